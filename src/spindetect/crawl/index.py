"""A persistent, incremental on-disk index of fingerprints (one SQLite file).

A crawl is indexed once, in batches, and each new crawl is then checked
against it: ``spindetect index add`` fills the index, ``spindetect scan
--against FILE`` finds copies of already-indexed pages among new documents
without re-reading the old ones. The index keeps only fingerprints (no texts):
MinHash signatures for verification, LSH band keys for candidate lookup and the
sampled word n-grams that find partial copies.

Tables (measurements and the choice of SQLite in
``research/ecosystem.md`` section 5)::

    meta(key TEXT PRIMARY KEY, value TEXT)      format, schema version, parameters
    docs(doc INTEGER PRIMARY KEY, id TEXT UNIQUE, content_hash BLOB, title, url,
         source, added_at, links, sigs BLOB, samples BLOB)
    bands(tbl, key, doc)      primary key (tbl, key, doc), WITHOUT ROWID
    samples(hash, doc)        primary key (hash, doc), WITHOUT ROWID

``sigs`` holds every signature spec (uint32) and ``samples`` the document's
sampled n-gram hashes (uint64), so that a document's band and sample rows can
be found again to remove or replace it. The band and sample tables are
clustered on their lookup key (``WITHOUT ROWID``): one B-tree each instead of a
rowid table plus an index, which halves their size (measured on 1,000
documents: 2.3 MB instead of 5.6 MB for samples, 1.2 MB instead of 2.8 MB for
bands) and makes a lookup a single covering seek. uint64 keys and hashes are
stored as int64 (``.view(np.int64)``).

Writes are idempotent and crash-safe: each batch of documents is looked up,
fingerprinted and written in one transaction (WAL journal), so an interrupted
``add`` loses at most the batch in flight and a rerun neither loses nor
duplicates anything. A document whose id is present with the same content
hash (BLAKE2b-128 of its UTF-8 text) is *unchanged* and skipped; the same id
with another text is *updated* (its old rows are deleted in the same
transaction).

Parameters that change fingerprints (``ScanConfig.to_dict()`` and the
signature specs) are stored in ``meta``; an index built with other parameters
is refused with :class:`~spindetect.exceptions.IndexFormatError`. Query-time
settings (verification rules, ``min_shared``, ``max_df``, ``max_bucket``) are
free to change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from spindetect.sketch import lsh
from spindetect._validation import check_int
from spindetect.exceptions import IndexFormatError
from spindetect.crawl.families import (
    ClusterRecord,
    DocumentTable,
    TextSpool,
    as_documents,
    describe_families,
    pair_records,
)
from spindetect.crawl.scanning import ScanResult
from spindetect.sources.reading import Document, SkipLog
from spindetect.crawl.stages import (
    Fingerprints,
    LshTable,
    PairVerdicts,
    ScanConfig,
    VerifyRules,
    batched,
    candidates,
    cluster,
    fingerprint,
    verify,
    verify_pairs,
)

__all__ = ["SCHEMA_VERSION", "AddReport", "SpinIndex"]

#: Version of the table layout; an index of another version is refused.
SCHEMA_VERSION = 1
_FORMAT = "spindetect-index"
_MAX_LINKS = 50
_PAGE_SIZE = 16384
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)  # as in scan.py

Progress = Callable[[str, int, int | None], None]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash BLOB NOT NULL,
    title TEXT,
    url TEXT,
    source TEXT,
    added_at REAL NOT NULL,
    links TEXT,
    sigs BLOB NOT NULL,
    samples BLOB NOT NULL
);
CREATE TABLE bands (
    tbl INTEGER NOT NULL, key INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (tbl, key, doc)
) WITHOUT ROWID;
CREATE TABLE samples (
    hash INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (hash, doc)
) WITHOUT ROWID;
"""

# Capped lookups: at most max_bucket documents per band key, max_df + 1 per sample
# (a covering seek on the clustered primary key for each query row).
_BAND_JOIN = """
SELECT q.rowid, b.doc FROM q_bands q JOIN bands b
ON b.tbl = q.tbl AND b.key = q.key
AND b.doc IN (SELECT doc FROM bands WHERE tbl = q.tbl AND key = q.key LIMIT ?)
"""
_SAMPLE_JOIN = """
SELECT q.rowid, s.doc FROM q_samples q JOIN samples s
ON s.hash = q.hash AND s.doc IN (SELECT doc FROM samples WHERE hash = q.hash LIMIT ?)
"""

_TEMP = """
CREATE TEMP TABLE IF NOT EXISTS q_ids (id TEXT PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS q_bands (tbl INTEGER, key INTEGER);
CREATE TEMP TABLE IF NOT EXISTS q_samples (hash INTEGER);
CREATE TEMP TABLE IF NOT EXISTS q_docs (doc INTEGER PRIMARY KEY);
"""


@dataclass(frozen=True, slots=True)
class AddReport:
    """What :meth:`SpinIndex.add` did with each document it was given.

    Attributes
    ----------
    added : int
        New ids, now indexed.
    unchanged : int
        Ids already indexed with the same text (skipped).
    updated : int
        Ids already indexed with another text (replaced).
    skipped : int
        Documents not indexed, by reason in ``reasons`` (``"no-words"``: no word
        to fingerprint).
    reasons : dict of str to int
    """

    added: int = 0
    unchanged: int = 0
    updated: int = 0
    skipped: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts."""
        return dataclasses.asdict(self)


class SpinIndex:
    """Fingerprints of indexed documents in one SQLite file; add, query, remove.

    Use :meth:`open` to create or open an index (not the constructor). The
    object is a context manager that closes the connection.

    Examples
    --------
    >>> import tempfile, os
    >>> from spindetect.sources.reading import Document
    >>> path = os.path.join(tempfile.mkdtemp(), "crawl.db")
    >>> with SpinIndex.open(path) as index:
    ...     index.add([Document("a", "The river rose over the old stone bridge at dawn.")])
    ...     len(index), "a" in index
    AddReport(added=1, unchanged=0, updated=0, skipped=0, reasons={})
    (1, True)
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, config: ScanConfig,
                 specs: list[tuple[str, int]]) -> None:
        self._db = connection
        self.path = path
        self.config = config
        self._specs = specs  # (label, num_perm) in the order of the sigs blob
        self._db.executescript(_TEMP)

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, config: ScanConfig | None = None,
             create: bool = True) -> SpinIndex:
        """Open the index at ``path``, creating it if needed.

        Parameters
        ----------
        path : str or path-like
            The SQLite file.
        config : ScanConfig, optional
            Fingerprint parameters. A new index stores them (default
            ``ScanConfig()``); an existing index must have been built with the
            same ``config.to_dict()`` and signature specs. None opens an existing
            index with its stored parameters.
        create : bool, default=True
            Create the file when it does not exist (else raise).

        Raises
        ------
        IndexFormatError
            If the file is missing (and ``create`` is False), cannot be created,
            is not a spindetect index, has another schema version, or was built
            with other parameters (the message names both).
        """
        p = Path(path)
        if p.is_dir():
            raise IndexFormatError(f"{p}: is a directory, not an index file")
        new = not p.exists() or p.stat().st_size == 0
        if new and not create:
            raise IndexFormatError(f"{p}: no such index")
        if new and not p.parent.is_dir():
            raise IndexFormatError(f"{p}: cannot create the index: no directory {p.parent}")
        try:
            db = sqlite3.connect(str(p), timeout=60.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise IndexFormatError(f"{p}: cannot open the index: {exc}") from None
        try:
            return cls._init(db, p, config)
        except BaseException:
            db.close()
            raise

    @classmethod
    def _init(cls, db: sqlite3.Connection, p: Path, config: ScanConfig | None) -> SpinIndex:
        try:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise IndexFormatError(f"{p}: not a spindetect index ({exc})") from None
        try:
            if not tables:
                config = config or ScanConfig()
                # Before WAL: larger pages pack the ~3 KB docs rows and the B-trees better.
                db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
                _pragmas(db)
                db.execute("BEGIN IMMEDIATE")
                try:
                    for stmt in _SCHEMA.strip().split(";"):
                        if stmt.strip():
                            db.execute(stmt)
                    db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                   _meta_rows(config))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                return cls(db, p, config, _spec_list(config))
            if "meta" not in tables or not {"docs", "bands", "samples"} <= tables:
                raise IndexFormatError(f"{p}: not a spindetect index (no spindetect tables)")
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise IndexFormatError(f"{p}: cannot use the index: {exc}") from None
        if meta.get("format") != _FORMAT:
            raise IndexFormatError(f"{p}: not a spindetect index (format "
                                   f"{meta.get('format')!r})")
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise IndexFormatError(
                f"{p}: index schema version {meta.get('schema_version')!r}, this spindetect "
                f"reads version {SCHEMA_VERSION}")
        try:
            stored = json.loads(meta["params"])
            specs = [(str(label), int(k)) for label, _, _, k in stored["specs"]]
            config_stored = _config_from(json.loads(meta["config"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise IndexFormatError(f"{p}: corrupt index parameters ({exc!r})") from None
        if config is None:
            config = config_stored
        elif _params(config) != stored:
            raise IndexFormatError(
                f"{p}: the index was built with parameters {_dumps(stored)}, which differ "
                f"from the requested {_dumps(_params(config))}")
        try:
            _pragmas(db)
        except sqlite3.Error as exc:
            raise IndexFormatError(f"{p}: cannot use the index: {exc}") from None
        return cls(db, p, config, specs)

    # -- context manager and basics -----------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._db is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]

    def __enter__(self) -> SpinIndex:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        row = self._conn().execute("SELECT 1 FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def __repr__(self) -> str:
        state = "closed" if self._db is None else f"{len(self)} documents"
        return f"SpinIndex({str(self.path)!r}, {state})"

    def ids(self) -> Iterator[str]:
        """Yield the indexed ids in the order they were first added."""
        for (doc_id,) in self._conn().execute("SELECT id FROM docs ORDER BY doc"):
            yield doc_id

    def info(self) -> dict[str, Any]:
        """Return the index's size and parameters as a JSON-ready dict."""
        db = self._conn()
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        n = len(self)
        size = sum(os.path.getsize(f) for f in (self.path, Path(f"{self.path}-wal"))
                   if f.exists())
        return {
            "path": str(self.path),
            "documents": n,
            "bytes": size,
            "bytes_per_document": round(size / n, 1) if n else None,
            "band_rows": int(db.execute("SELECT COUNT(*) FROM bands").fetchone()[0]),
            "sample_rows": int(db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]),
            "schema_version": int(meta["schema_version"]),
            "created_at": meta.get("created_at"),
            "created_by": meta.get("created_by"),
            "params": json.loads(meta["params"]),
            "config": json.loads(meta["config"]),
        }

    # -- writing -----------------------------------------------------------------

    def add(self, documents: Iterable[Document | tuple[str, str]], *, batch_size: int = 2048,
            workers: int | None = None, progress: Progress | None = None) -> AddReport:
        """Index ``documents``, one transaction per batch.

        Each batch is looked up by id, the new and changed documents are
        fingerprinted, and all its rows are written in one transaction: an
        interrupted run keeps every committed batch, and a rerun skips them as
        unchanged. Within the iterable, a later document with an id already
        seen replaces the earlier one.

        Parameters
        ----------
        documents : iterable of Document or (id, text) tuples
            For example :func:`spindetect.sources.iter_documents`.
        batch_size : int, default=2048
            Documents per transaction.
        workers : int or None, default=None
            Threads of the fingerprint kernel (None: all cores).
        progress : callable, optional
            Called as ``progress("index", documents_done, None)`` after each batch
            and ``progress("index", n, n)`` at the end.

        Returns
        -------
        AddReport
        """
        check_int("batch_size", batch_size, low=1)
        db = self._conn()
        totals: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        done = 0
        for batch in batched(as_documents(documents), batch_size):
            db.execute("BEGIN IMMEDIATE")
            try:
                self._add_batch(batch, workers, totals, reasons)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            done += len(batch)
            if progress is not None:
                progress("index", done, None)
        if progress is not None:
            progress("index", done, done)
        return AddReport(totals["added"], totals["unchanged"], totals["updated"],
                         sum(reasons.values()), dict(reasons))

    def _add_batch(self, batch: list[Document], workers: int | None, totals: Counter[str],
                   reasons: Counter[str]) -> None:
        db = self._db
        # Last occurrence of an id in the batch wins; earlier ones are superseded.
        latest: dict[str, int] = {}
        for k, doc in enumerate(batch):
            latest[doc.id] = k
        existing = self._lookup_ids(list(latest))
        todo: list[Document] = []
        status: list[str] = []
        seen: dict[str, bytes] = {}
        for k, doc in enumerate(batch):
            digest = _content_hash(doc.text)
            before = seen.get(doc.id)
            if before is None and doc.id in existing:
                before = existing[doc.id][1]
            seen[doc.id] = digest
            if before == digest:
                totals["unchanged"] += 1
                continue
            state = "updated" if before is not None else "added"
            totals[state] += 1
            if latest[doc.id] == k:  # else superseded later in this batch
                todo.append(doc)
                status.append(state)
        if not todo:
            return
        fp = fingerprint([d.text for d in todo], self.config, workers=workers)
        empty = fp.samples.totals == 0
        for k in np.flatnonzero(empty).tolist():
            # Nothing to fingerprint: count it as skipped instead of added/updated.
            totals[status[k]] -= 1
            reasons["no-words"] += 1
        # Replaced (or now empty) documents lose their old rows.
        for doc in todo:
            if doc.id in existing:
                self._delete_rows(existing[doc.id][0])
        keep = np.flatnonzero(~empty)
        if keep.size == 0:
            return
        next_no = int(db.execute("SELECT COALESCE(MAX(doc), 0) FROM docs").fetchone()[0]) + 1
        numbers = np.empty(keep.size, dtype=np.int64)
        for pos, k in enumerate(keep.tolist()):
            old = existing.get(todo[k].id)
            if old is not None:
                numbers[pos] = old[0]
            else:
                numbers[pos] = next_no
                next_no += 1
        sigs = np.hstack([fp.signatures[label][keep] for label, _ in self._specs])
        sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
        offsets = fp.samples.offsets
        hashes = fp.samples.hashes
        now = time.time()
        rows = []
        for pos, k in enumerate(keep.tolist()):
            doc = todo[k]
            rows.append((int(numbers[pos]), doc.id, _content_hash(doc.text), _title(doc),
                         doc.url, doc.source or None, now, _links(doc), sigs[pos].tobytes(),
                         hashes[offsets[k]:offsets[k + 1]].tobytes()))
        db.executemany("INSERT INTO docs (doc, id, content_hash, title, url, source, added_at, "
                       "links, sigs, samples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        # Rows go in in key order: B-tree inserts then walk the pages in order
        # (2-3x faster than random order once the index outgrows the cache).
        keys = self._band_keys({label: arr[keep] for label, arr in fp.signatures.items()})
        tbl = np.tile(self._band_tables(), keep.size)
        key = keys.view(np.int64).ravel()
        owner = np.repeat(numbers, keys.shape[1])
        order = np.lexsort((owner, key, tbl))
        db.executemany("INSERT OR IGNORE INTO bands (tbl, key, doc) VALUES (?, ?, ?)",
                       zip(tbl[order].tolist(), key[order].tolist(), owner[order].tolist(),
                           strict=True))
        counts = fp.samples.counts()[keep]
        idx = np.repeat(offsets[:-1][keep], counts) + _ranks(counts)
        sample = hashes[idx].view(np.int64)
        owner = np.repeat(numbers, counts)
        order = np.lexsort((owner, sample))
        db.executemany("INSERT OR IGNORE INTO samples (hash, doc) VALUES (?, ?)",
                       zip(sample[order].tolist(), owner[order].tolist(), strict=True))

    def remove(self, doc_id: str) -> None:
        """Remove the document ``doc_id`` and its rows.

        Raises
        ------
        KeyError
            If ``doc_id`` is not in the index.
        """
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT doc FROM docs WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise KeyError(doc_id)
            self._delete_rows(int(row[0]))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _delete_rows(self, doc_no: int) -> None:
        """Delete a document's row and its band and sample rows (inside a transaction)."""
        db = self._db
        sigs, samples = db.execute("SELECT sigs, samples FROM docs WHERE doc = ?",
                                   (doc_no,)).fetchone()
        keys = self._band_keys(self._split(np.frombuffer(sigs, dtype=np.uint32)[None, :]))
        db.executemany("DELETE FROM bands WHERE tbl = ? AND key = ? AND doc = ?",
                       ((t, k, doc_no) for t, k in zip(self._band_tables().tolist(),
                                                       keys.view(np.int64)[0].tolist(),
                                                       strict=True)))
        db.executemany("DELETE FROM samples WHERE hash = ? AND doc = ?",
                       ((h, doc_no) for h in np.frombuffer(samples, dtype=np.int64).tolist()))
        db.execute("DELETE FROM docs WHERE doc = ?", (doc_no,))

    def _lookup_ids(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        db = self._db
        db.execute("DELETE FROM q_ids")
        db.execute("INSERT OR IGNORE INTO q_ids (id) SELECT value FROM json_each(?)",
                   (json.dumps(list(ids)),))
        return {doc_id: (int(doc_no), bytes(digest)) for doc_no, doc_id, digest in db.execute(
            "SELECT d.doc, d.id, d.content_hash FROM q_ids q JOIN docs d ON d.id = q.id")}

    # -- querying ----------------------------------------------------------------

    def query(
        self,
        documents: Iterable[Document | str | tuple[str, str]],
        *,
        rules: VerifyRules | None = None,
        min_shared: int | None = None,
        max_df: int | None = None,
        max_bucket: int | None = None,
        batch_size: int = 2048,
        workers: int | None = None,
        progress: Progress | None = None,
        skipped: SkipLog | None = None,
    ) -> ScanResult:
        """Find copies of new ``documents`` among the indexed ones and among themselves.

        For each batch of new documents: fingerprints and band keys are
        computed; indexed documents sharing a band key (LSH) or at least
        ``min_shared`` sampled n-grams are looked up with temporary-table
        joins; their stored signatures are loaded and every candidate pair is
        judged by :func:`spindetect.stages.verify_pairs` (the rules of
        :func:`~spindetect.stages.verify`). Pairs among the new documents come
        from the in-memory stages run over all of them. Families are the
        connected components of both kinds of whole-document pairs.

        An indexed document with the id of a new one is its older version: it
        is left out (neither a copy of it nor a family member).

        Parameters
        ----------
        documents : iterable of Document, str, or (id, text) tuples
            The new documents.
        rules : VerifyRules, optional
            Verification thresholds (default: the index's configuration).
        min_shared, max_df, max_bucket : int, optional
            Override the configuration's candidate settings. ``max_df`` drops
            sampled n-grams held by more indexed documents than this; a band key
            held by more than ``max_bucket`` indexed documents links only the
            first ``max_bucket`` of them.
        batch_size : int, default=2048
        workers : int or None, default=None
        progress : callable, optional
            ``progress(stage, done, total)``.
        skipped : SkipLog, optional
            The reader's log; its counts go into the summary.

        Returns
        -------
        ScanResult
            Pairs (``a`` the indexed document when one of the pair is indexed,
            else the earlier new one), families and a summary with the keys of
            :func:`spindetect.scan.scan` plus ``indexed_documents``,
            ``pairs_indexed`` and ``index``. Families are not explained (the
            index holds no texts).
        """
        check_int("batch_size", batch_size, low=1)
        config = dataclasses.replace(
            self.config,
            rules=rules if rules is not None else self.config.rules,
            min_shared=min_shared if min_shared is not None else self.config.min_shared,
            max_df=max_df if max_df is not None else self.config.max_df,
            max_bucket=max_bucket if max_bucket is not None else self.config.max_bucket,
        )
        self._conn()
        report = progress or (lambda stage, done, total: None)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        meta = DocumentTable()
        spool = TextSpool()
        try:
            parts: list[Fingerprints] = []
            found: list[_Found] = []
            counts: Counter[str] = Counter()
            offset = 0
            for batch in batched(meta.add_texts(documents), batch_size):
                offset = self._query_batch(batch, offset, spool, parts, found, counts, config,
                                           workers)
                report("query", offset, None)
            n = offset
            report("query", n, n)
            timings["read+fingerprint+lookup"] = time.perf_counter() - start
            t = time.perf_counter()
            if n:
                fp = Fingerprints.concatenate(parts)
                cands = candidates(fp, config)
                inner = verify(fp, cands, config.rules)
                counts["candidates"] += int(cands.pairs.shape[0])
                counts["candidates_lsh"] += cands.from_lsh
                counts["candidates_shared"] += cands.from_samples
                counts["skipped_common_samples"] += cands.skipped_buckets
            else:
                inner = _no_verdicts()
            del parts
            outer = _Found.concatenate(found)
            # An indexed document with a new document's id is that document's old version.
            old_nos = np.unique(outer.old) if outer.old.size else np.empty(0, np.int64)
            old_meta = self._doc_meta(old_nos)
            new_ids = set(meta.ids)
            superseded = np.array([old_meta[d]["id"] in new_ids for d in old_nos.tolist()],
                                  dtype=bool)
            if superseded.any():
                keep_old = ~np.isin(outer.old, old_nos[superseded])
                outer = outer.take(keep_old)
                old_nos = old_nos[~superseded]
            node = n + np.searchsorted(old_nos, outer.old)
            # Pairs among the n new documents (i < j), then (old node, new row) pairs.
            both = _concat_verdicts([(inner, inner.pairs),
                                     (outer.verdicts, np.stack([node, outer.new], axis=1))])
            for d in old_nos.tolist():
                m = old_meta[d]
                meta.ids.append(m["id"])
                meta.titles.append(m["title"])
                meta.urls.append(m["url"])
                meta.links.append(tuple(m["links"]))
            total = n + old_nos.size
            whole = both.verdicts != "partial"
            labels = cluster(total, both.pairs[whole])
            spool.add([""] * old_nos.size)  # indexed documents: no text stored
            clusters = describe_families(labels, both, meta, spool, 0, report)
            timings["verify+cluster"] = time.perf_counter() - t
            pairs = pair_records(both, meta.ids, clusters)
            timings["total"] = time.perf_counter() - start
            summary = self._summary(n, counts, both, len(outer.new), clusters, timings,
                                    skipped)
            return ScanResult(pairs, clusters, summary)
        finally:
            spool.close()

    def _query_batch(self, texts: list[str], offset: int, spool: TextSpool,
                     parts: list[Fingerprints], found: list[_Found], counts: Counter[str],
                     config: ScanConfig, workers: int | None) -> int:
        spool.add(texts)
        fp = fingerprint(texts, config, workers=workers)
        parts.append(fp)
        if len(self):
            hit = self._lookup(fp, config, counts)
            if hit.new.size:
                found.append(_Found(hit.new + offset, hit.old, hit.verdicts))
        return offset + len(texts)

    def _lookup(self, fp: Fingerprints, config: ScanConfig, counts: Counter[str]) -> _Found:
        """Candidates and verdicts of one batch of new documents against the index."""
        db = self._db
        n = len(fp)
        # Query keys go into temporary tables in key order (json_each: one statement per
        # table, no per-row Python calls); sorted probes walk the B-trees in order, which
        # measured 2x faster than probing in document order.
        # LSH: band keys of every table, joined with the bands table.
        keys = self._band_keys(fp.signatures).view(np.int64)
        nb = keys.shape[1]
        tbl = np.tile(self._band_tables(), n)
        key = keys.ravel()
        qrow = np.repeat(np.arange(n, dtype=np.int64), nb)
        order = np.lexsort((key, tbl))
        tbl, key, qrow = tbl[order], key[order], qrow[order]
        db.execute("DELETE FROM q_bands")
        bounds = np.searchsorted(tbl, np.arange(len(self.config.tables) + 1))
        for t in range(len(self.config.tables)):
            lo, hi = int(bounds[t]), int(bounds[t + 1])
            db.execute("INSERT INTO q_bands (rowid, tbl, key) "
                       "SELECT ? + key, ?, value FROM json_each(?)",
                       (lo, t, json.dumps(key[lo:hi].tolist())))
        rows = np.array(db.execute(_BAND_JOIN, (config.max_bucket,)).fetchall(),
                        dtype=np.int64).reshape(-1, 2)
        lsh_pairs = _unique_rows(np.stack([qrow[rows[:, 0]], rows[:, 1]], axis=1))
        # Shared samples, without samples held by more than max_df indexed documents.
        sample = fp.samples.hashes.view(np.int64)
        order = np.argsort(sample, kind="stable")
        sample = sample[order]
        srow = np.repeat(np.arange(n, dtype=np.int64), fp.samples.counts())[order]
        db.execute("DELETE FROM q_samples")
        db.execute("INSERT INTO q_samples (rowid, hash) SELECT key, value FROM json_each(?)",
                   (json.dumps(sample.tolist()),))
        rows = np.array(db.execute(_SAMPLE_JOIN, (config.max_df + 1,)).fetchall(),
                        dtype=np.int64).reshape(-1, 2)
        if rows.size:
            common = np.bincount(rows[:, 0]) > config.max_df
            counts["skipped_common_samples"] += int(np.unique(sample[np.flatnonzero(common)]).size)
            rows = rows[~common[rows[:, 0]]]
        shared_pairs, shared = _count_rows(np.stack([srow[rows[:, 0]], rows[:, 1]], axis=1))
        strong = shared_pairs[shared >= config.min_shared]
        pairs = _unique_rows(np.concatenate([lsh_pairs, strong]))
        counts["candidates"] += int(pairs.shape[0])
        counts["candidates_lsh"] += int(lsh_pairs.shape[0])
        counts["candidates_shared"] += int(strong.shape[0])
        if pairs.size == 0:
            return _Found.empty()
        # Shared counts for every candidate (0 when they share no sample).
        width = np.int64(max(int(pairs[:, 1].max()), int(shared_pairs[:, 1].max(initial=0))) + 1)
        cand_code = pairs[:, 0] * width + pairs[:, 1]
        shared_code = shared_pairs[:, 0] * width + shared_pairs[:, 1]
        pos = np.searchsorted(shared_code, cand_code)
        pos = np.minimum(pos, max(shared_code.size - 1, 0))
        match = (shared_code[pos] == cand_code) if shared_code.size else np.zeros(
            cand_code.size, dtype=bool)
        cand_shared = np.where(match, shared[pos] if shared.size else 0, 0)
        # Stored signatures of the candidates.
        old_nos = np.unique(pairs[:, 1])
        stored = self._load_signatures(old_nos)
        local = np.stack([pairs[:, 0], np.searchsorted(old_nos, pairs[:, 1])], axis=1)
        verdicts = verify_pairs(fp.signatures, stored, local, cand_shared, config.rules)
        return _Found(verdicts.pairs[:, 0].copy(), old_nos[verdicts.pairs[:, 1]], verdicts)

    def _load_signatures(self, doc_nos: np.ndarray) -> dict[str, np.ndarray]:
        db = self._db
        db.execute("DELETE FROM q_docs")
        db.execute("INSERT OR IGNORE INTO q_docs (doc) SELECT value FROM json_each(?)",
                   (json.dumps(doc_nos.tolist()),))
        blobs = db.execute("SELECT d.sigs FROM q_docs q JOIN docs d ON d.doc = q.doc "
                           "ORDER BY q.doc").fetchall()
        if len(blobs) != doc_nos.size:  # pragma: no cover - rows vanished mid-query
            raise IndexFormatError(f"{self.path}: band rows point to missing documents")
        width = sum(k for _, k in self._specs)
        flat = np.frombuffer(b"".join(b for (b,) in blobs), dtype=np.uint32)
        return self._split(flat.reshape(doc_nos.size, width))

    def _split(self, sigs: np.ndarray) -> dict[str, np.ndarray]:
        """Cut stored signature rows into one array per spec."""
        out = {}
        col = 0
        for label, k in self._specs:
            out[label] = sigs[:, col:col + k]
            col += k
        return out

    def _doc_meta(self, doc_nos: np.ndarray) -> dict[int, dict[str, Any]]:
        db = self._db
        db.execute("DELETE FROM q_docs")
        db.execute("INSERT OR IGNORE INTO q_docs (doc) SELECT value FROM json_each(?)",
                   (json.dumps(doc_nos.tolist()),))
        return {int(doc_no): {"id": doc_id, "title": title, "url": url,
                              "links": json.loads(links) if links else []}
                for doc_no, doc_id, title, url, links in db.execute(
                    "SELECT d.doc, d.id, d.title, d.url, d.links FROM q_docs q "
                    "JOIN docs d ON d.doc = q.doc")}

    def _band_keys(self, signatures: Any) -> np.ndarray:
        cols = [lsh.band_keys(signatures[t.label], t.bands, t.rows)  # type: ignore[arg-type]
                for t in self.config.tables]
        return np.ascontiguousarray(np.hstack(cols))

    def _band_tables(self) -> np.ndarray:
        return np.concatenate([np.full(t.bands, k, dtype=np.int64)  # type: ignore[arg-type]
                               for k, t in enumerate(self.config.tables)])

    def _summary(self, n: int, counts: Counter[str], both: PairVerdicts, indexed_pairs: int,
                 clusters: list[ClusterRecord], timings: dict[str, float],
                 skipped: SkipLog | None) -> dict[str, Any]:
        sizes = [c.size for c in clusters]
        return {
            "documents": n,
            "indexed_documents": len(self),
            "index": str(self.path),
            "candidates": counts["candidates"],
            "candidates_lsh": counts["candidates_lsh"],
            "candidates_shared": counts["candidates_shared"],
            "skipped_common_samples": counts["skipped_common_samples"],
            "pairs": dict(Counter(str(v) for v in both.verdicts)),
            "pairs_indexed": indexed_pairs,
            "clusters": len(clusters),
            "clustered_documents": sum(sizes),
            "largest_cluster": max(sizes, default=0),
            "skipped": skipped.to_dict() if skipped is not None else {},
            "seconds": {k: round(v, 3) for k, v in timings.items()},
        }

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise IndexFormatError(f"{self.path}: the index is closed")
        return self._db


# -- helpers -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """Verified new-to-indexed pairs: new row, indexed document number, verdicts."""

    new: np.ndarray
    old: np.ndarray
    verdicts: PairVerdicts

    @classmethod
    def empty(cls) -> _Found:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), _no_verdicts())

    @classmethod
    def concatenate(cls, parts: Sequence[_Found]) -> _Found:
        if not parts:
            return cls.empty()
        return cls(np.concatenate([p.new for p in parts]), np.concatenate([p.old for p in parts]),
                   _concat_verdicts([(p.verdicts, p.verdicts.pairs) for p in parts]))

    def take(self, mask: np.ndarray) -> _Found:
        v = self.verdicts
        return _Found(self.new[mask], self.old[mask],
                      PairVerdicts(v.pairs[mask], v.skeleton[mask], v.content[mask],
                                   v.shared[mask], v.verdicts[mask], v.confidence[mask]))


def _no_verdicts() -> PairVerdicts:
    return PairVerdicts(np.empty((0, 2), np.int64), np.empty(0), np.empty(0),
                        np.empty(0, np.int64), np.empty(0, dtype=object), np.empty(0))


def _concat_verdicts(items: Sequence[tuple[PairVerdicts, np.ndarray]]) -> PairVerdicts:
    """Join verdicts, each with the pairs (node numbers) it stands for."""
    return PairVerdicts(
        np.concatenate([p.reshape(-1, 2) for _, p in items]).astype(np.int64),
        np.concatenate([v.skeleton for v, _ in items]),
        np.concatenate([v.content for v, _ in items]),
        np.concatenate([v.shared for v, _ in items]).astype(np.int64),
        np.concatenate([v.verdicts for v, _ in items]),
        np.concatenate([v.confidence for v, _ in items]),
    )


def _unique_rows(pairs: np.ndarray) -> np.ndarray:
    """Distinct rows of an (m, 2) array of non-negative ints, sorted."""
    return _count_rows(pairs)[0]


def _count_rows(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an (m, 2) array of non-negative ints, sorted, and their counts."""
    if pairs.size == 0:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64)
    p = pairs.astype(np.int64)
    width = np.int64(p[:, 1].max() + 1)
    codes, counts = np.unique(p[:, 0] * width + p[:, 1], return_counts=True)
    return np.stack([codes // width, codes % width], axis=1), counts.astype(np.int64)


def _ranks(counts: np.ndarray) -> np.ndarray:
    """``0..c-1`` for each count ``c``, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    ranks: np.ndarray = np.arange(total, dtype=np.int64) - starts
    return ranks


def _content_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _title(doc: Document) -> str | None:
    if doc.title:
        return doc.title
    from spindetect.pairwise.titles import split_title

    return split_title(doc.text[:2000] + "\n.").title


def _links(doc: Document) -> str | None:
    hrefs = dict.fromkeys([link.href for link in doc.links] + _URL.findall(doc.text))
    return json.dumps(list(hrefs)[:_MAX_LINKS]) if hrefs else None


def _pragmas(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -65536")  # 64 MiB
    db.execute("PRAGMA temp_store = MEMORY")


def _spec_list(config: ScanConfig) -> list[tuple[str, int]]:
    return [(label, spec.num_perm) for label, spec in sorted(config.specs().items())]


def _params(config: ScanConfig) -> dict[str, Any]:
    """Everything that must match for stored fingerprints to be comparable."""
    return {**config.to_dict(),
            "specs": [[label, spec.kind, spec.n, spec.num_perm]
                      for label, spec in sorted(config.specs().items())]}


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def _meta_rows(config: ScanConfig) -> list[tuple[str, str]]:
    from spindetect import __version__

    full = {
        "tables": [[t.kind, t.n, t.num_perm, t.threshold, t.bands, t.rows]
                   for t in config.tables],
        "seed": config.seed, "sample_n": config.sample_n, "sample_mod": config.sample_mod,
        "min_shared": config.min_shared, "max_df": config.max_df,
        "max_bucket": config.max_bucket, "rules": dataclasses.asdict(config.rules),
    }
    return [
        ("format", _FORMAT),
        ("schema_version", str(SCHEMA_VERSION)),
        ("params", json.dumps(_params(config), sort_keys=True)),
        ("config", json.dumps(full, sort_keys=True)),
        ("created_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        ("created_by", f"spindetect {__version__}"),
    ]


def _config_from(full: dict[str, Any]) -> ScanConfig:
    tables = tuple(LshTable(kind, n, num_perm, threshold, bands, rows)
                   for kind, n, num_perm, threshold, bands, rows in full["tables"])
    return ScanConfig(tables=tables, seed=full["seed"], sample_n=full["sample_n"],
                      sample_mod=full["sample_mod"], min_shared=full["min_shared"],
                      max_df=full["max_df"], max_bucket=full["max_bucket"],
                      rules=VerifyRules(**full["rules"]))
