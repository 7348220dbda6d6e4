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
import functools
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from spindetect._validation import (
    check_choice,
    check_collection,
    check_float,
    check_instance,
    check_int,
    renamed_option,
)
from spindetect.crawl import pipeline
from spindetect.crawl.index_integrity import (
    AUTO_CHECK_BYTES,
    CHECKS,
    check_contents,
    check_file,
    check_meta,
    check_tables,
    corrupt,
    rollback,
    sqlite_errors,
    text_decoder,
)
from spindetect.crawl.index_lookup import IndexLookup
from spindetect.crawl.index_rows import RowWriter
from spindetect.crawl.index_schema import (
    PAGE_SIZE,
    SCHEMA,
    SCHEMA_VERSION,
    TEMP_TABLES,
    VOCABULARY_KEY,
    dumps,
    meta_rows,
    params,
    set_pragmas,
    spec_list,
    vocabulary_from_meta,
    vocabulary_to_meta,
)
from spindetect.crawl.records import AddReport, Progress, ScanResult, as_documents
from spindetect.crawl.stages import batched, learn_function_words
from spindetect.exceptions import IndexFormatError
from spindetect.settings import ScanConfig, VerifyRules
from spindetect.sources.document import Document
from spindetect.sources.skips import SkipLog
from spindetect.text.function_words import FunctionWords

__all__ = ["LOCK_TIMEOUT", "SCHEMA_VERSION", "AddReport", "SpinIndex"]

#: Seconds :meth:`SpinIndex.open` waits by default for another process's lock.
LOCK_TIMEOUT = 60.0
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(
    method: Callable[Concatenate[SpinIndex, _P], _R],
) -> Callable[Concatenate[SpinIndex, _P], _R]:
    """Run ``method`` with SQLite errors turned into typed index errors naming the file."""

    @functools.wraps(method)
    def wrapper(index: SpinIndex, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with sqlite_errors(index.path):
            return method(index, *args, **kwargs)

    return wrapper


class SpinIndex:
    """Fingerprints of indexed documents in one SQLite file; add, query, remove.

    Use :meth:`open` to create or open an index (not the constructor). The
    object is a context manager that closes the connection.

    Examples
    --------
    >>> import tempfile, os
    >>> from spindetect.sources.document import Document
    >>> path = os.path.join(tempfile.mkdtemp(), "crawl.db")
    >>> with SpinIndex.open(path) as index:
    ...     index.add([Document("a", "The river rose over the old stone bridge at dawn.")])
    ...     len(index), "a" in index
    AddReport(added=1, unchanged=0, updated=0, skipped=0, reasons={})
    (1, True)
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        config: ScanConfig,
        specs: list[tuple[str, int]],
    ) -> None:
        self._db = connection
        self.path = path
        self.config = config
        self._specs = specs  # (label, num_perm) in the order of the sigs blob
        self._db.executescript(TEMP_TABLES)
        self._rows = RowWriter(connection, path, config, specs, self._words)

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        config: ScanConfig | None = None,
        create: bool = True,
        check: str = "auto",
        timeout: float | None = None,
    ) -> SpinIndex:
        """Open the index at ``path``, creating it if needed, and check it.

        Every open checks the file's SQLite header against its size, the
        schema's tables and columns and the stored parameters (cheap: they do
        not grow with the index); ``check`` adds a read of every page or row
        (:mod:`spindetect.crawl.index_integrity`).

        Parameters
        ----------
        path : str or path-like
            The SQLite file. An empty (0-byte) file becomes a new index when
            ``create`` is True.
        config : ScanConfig, optional
            Fingerprint parameters. A new index stores them (default
            ``ScanConfig()``); an existing index must have been built with the
            same ``config.to_dict()`` and signature specs. None opens an existing
            index with its stored parameters.
        create : bool, default=True
            Create the file when it does not exist (else raise).
        check : {"auto", "quick", "full", "none"}, default="auto"
            ``"quick"`` runs ``PRAGMA quick_check`` (every page's B-tree
            structure), ``"auto"`` does so for files up to 1 GiB
            (:data:`~spindetect.crawl.index_integrity.AUTO_CHECK_BYTES`),
            ``"full"`` runs ``PRAGMA integrity_check`` and checks every row
            (:meth:`check`), ``"none"`` only the cheap checks.
        timeout : float, optional
            Seconds to wait for another process's lock before giving up
            (default :data:`LOCK_TIMEOUT`, 60 s).

        Raises
        ------
        IndexCorruptError
            If the file is damaged: not an SQLite database, empty (and
            ``create`` is False), truncated, a table or column missing, the
            stored parameters or schema version missing or malformed, pages or
            rows refused by the checks. The message names the file and the problem.
        IndexFormatError
            If the file is missing (and ``create`` is False), cannot be created,
            is another application's database, has another schema version, was
            built with other parameters (the message names both), or is locked
            by another process.
        """
        check_instance("config", config, ScanConfig)
        check_choice("check", check, CHECKS)
        wait = LOCK_TIMEOUT if timeout is None else check_float("timeout", timeout, low=0.0)
        p = Path(path)
        if p.is_dir():
            raise IndexFormatError(f"{p}: is a directory, not an index file")
        exists = p.exists()
        if not exists and not create:
            raise IndexFormatError(f"{p}: no such index")
        if not exists and not p.parent.is_dir():
            raise IndexFormatError(f"{p}: cannot create the index: no directory {p.parent}")
        if exists and (p.stat().st_size > 0 or not create):
            check_file(p)
        try:
            db = sqlite3.connect(str(p), timeout=wait, isolation_level=None)
        except sqlite3.Error as exc:
            raise IndexFormatError(f"{p}: cannot open the index: {exc}") from None
        db.text_factory = text_decoder(p)  # a damaged TEXT value: IndexCorruptError
        try:
            with sqlite_errors(p):
                index = cls._init(db, p, config, create)
                index._check_on_open(check)
                return index
        except UnicodeDecodeError as exc:
            # Python decodes SQLite's message, which quotes a damaged schema's bytes.
            db.close()
            raise corrupt(p, "its schema holds bytes that are not UTF-8") from exc
        except BaseException:
            db.close()
            raise

    @classmethod
    def _init(
        cls, db: sqlite3.Connection, p: Path, config: ScanConfig | None, create: bool
    ) -> SpinIndex:
        tables = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            if not create:
                raise IndexFormatError(f"{p}: not a spindetect index (an empty SQLite database)")
            config = config or ScanConfig()
            # Before WAL: larger pages pack the ~3 KB docs rows and the B-trees better.
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            set_pragmas(db)
            db.execute("BEGIN IMMEDIATE")
            try:
                for stmt in SCHEMA.strip().split(";"):
                    if stmt.strip():
                        db.execute(stmt)
                db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta_rows(config))
                db.execute("COMMIT")
            except BaseException:
                rollback(db)
                raise
            return cls(db, p, config, spec_list(config))
        if not tables & {"meta", "docs", "bands", "samples"}:
            raise IndexFormatError(f"{p}: not a spindetect index (no spindetect tables)")
        check_tables(db, p, tables)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        stored, config_stored = check_meta(meta, p)
        if config is None:
            config = config_stored
        elif params(config) != stored:
            raise IndexFormatError(
                f"{p}: the index was built with parameters {dumps(stored)}, which differ "
                f"from the requested {dumps(params(config))}"
            )
        set_pragmas(db)
        return cls(db, p, config, spec_list(config_stored))

    def _check_on_open(self, check: str) -> None:
        """Read the pages and rows of a just-opened index if ``check`` asks for it."""
        if check == "full" or check == "quick":
            self.check(full=check == "full")
        elif check == "auto" and _file_bytes(self.path) <= AUTO_CHECK_BYTES:
            self.check(full=False)

    @_guarded
    def check(self, *, full: bool = True) -> dict[str, Any]:
        """Read every page and row of the index; raise at the first problems.

        Runs ``PRAGMA quick_check`` (``full``: ``PRAGMA integrity_check``,
        which also checks the id index against the table), checks every document
        row (signature, sample and content-hash blob lengths, id, links JSON)
        and, when ``full``, that every band and sample row belongs to a
        document (:func:`~spindetect.crawl.index_integrity.check_contents`).

        Parameters
        ----------
        full : bool, default=True

        Returns
        -------
        dict
            ``path``, ``documents``, ``band_rows``, ``sample_rows`` and
            ``status`` (``"ok"``).

        Raises
        ------
        IndexCorruptError
            Naming the file and the first problems (up to three documents by id).
        """
        check_instance("full", full, bool, optional=False)
        width = 4 * sum(k for _, k in self._specs)
        counts = check_contents(self._conn(), self.path, width, full=full)
        return {"path": str(self.path), **counts, "status": "ok"}

    # -- context manager and basics -----------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._db is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]

    def __enter__(self) -> SpinIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @_guarded
    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    @_guarded
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
        with sqlite_errors(self.path):
            for (doc_id,) in self._conn().execute("SELECT id FROM docs ORDER BY doc"):
                yield doc_id

    @_guarded
    def info(self) -> dict[str, Any]:
        """Return the index's size and parameters as a JSON-ready dict."""
        db = self._conn()
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        n = len(self)
        size = sum(os.path.getsize(f) for f in (self.path, Path(f"{self.path}-wal")) if f.exists())
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

    @_guarded
    def add(
        self,
        documents: Iterable[Document | tuple[str, str]],
        *,
        batch_size: int = 2048,
        threads: int | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> AddReport:
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
        threads : int or None, default=None
            Threads of the fingerprint kernel (None: all cores).
        progress : callable, optional
            Called as ``progress("index", documents_done, None)`` after each batch
            and ``progress("index", n, n)`` at the end.
        workers : int or None, default=None
            Former name of ``threads`` (deprecated).

        Returns
        -------
        AddReport
        """
        check_collection("documents", documents)
        check_int("batch_size", batch_size, low=1)
        threads = renamed_option("workers", workers, "threads", threads)
        db = self._conn()
        totals: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        done = 0
        for batch in batched(as_documents(documents), batch_size):
            db.execute("BEGIN IMMEDIATE")
            try:
                self._add_batch(batch, threads, totals, reasons)
                db.execute("COMMIT")
            except BaseException:
                rollback(db)
                raise
            done += len(batch)
            if progress is not None:
                progress("index", done, None)
        if progress is not None:
            progress("index", done, done)
        return AddReport(
            totals["added"],
            totals["unchanged"],
            totals["updated"],
            sum(reasons.values()),
            dict(reasons),
        )

    def _add_batch(
        self,
        batch: list[Document],
        threads: int | None,
        totals: Counter[str],
        reasons: Counter[str],
    ) -> None:
        """Write one batch inside the open transaction (:meth:`RowWriter.add_batch`)."""
        self._rows.add_batch(batch, threads, totals, reasons)

    def _words(self, texts: list[str] | None = None) -> FunctionWords:
        """Return the function words of the index's fingerprints (stored in ``meta``).

        The first batch added to an empty index fixes them (the vocabulary
        stage of a scan, :func:`~spindetect.crawl.stages.learn_function_words`,
        on its texts); queries and later batches use the stored ones, so that
        every signature splits skeleton from content the same way.
        """
        db = self._conn()
        row = db.execute("SELECT value FROM meta WHERE key = ?", (VOCABULARY_KEY,)).fetchone()
        if row is not None or texts is None:
            try:
                return vocabulary_from_meta(row[0] if row is not None else None)
            except (KeyError, ValueError, TypeError) as exc:
                raise corrupt(self.path, f"malformed function words in meta ({exc!r})") from None
        empty = db.execute("SELECT COUNT(*) FROM docs").fetchone()[0] == 0
        words = learn_function_words(texts, self.config) if empty else FunctionWords.english()
        value = vocabulary_to_meta(words)
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (VOCABULARY_KEY, value))
        return words

    @_guarded
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
            self._rows.delete_rows(int(row[0]))
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise

    # -- querying ----------------------------------------------------------------

    @_guarded
    def query(
        self,
        documents: Iterable[Document | str | tuple[str, str]],
        *,
        rules: VerifyRules | None = None,
        min_shared: int | None = None,
        max_df: int | None = None,
        max_bucket: int | None = None,
        batch_size: int = 2048,
        threads: int | None = None,
        progress: Progress | None = None,
        skipped: SkipLog | None = None,
        workers: int | None = None,
    ) -> ScanResult:
        """Find copies of new ``documents`` among the indexed ones and among themselves.

        The pipeline of :func:`spindetect.scan` (:func:`spindetect.crawl.pipeline.run`)
        runs over the new documents, and each batch is also looked up in the
        index (:class:`~spindetect.crawl.index_lookup.IndexLookup`): indexed
        documents sharing a band key (LSH) or at least ``min_shared`` sampled
        n-grams are verified with their stored signatures. Families are the
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
        threads : int or None, default=None
            Threads of the fingerprint kernel (None: all cores).
        progress : callable, optional
            ``progress(stage, done, total)``.
        skipped : SkipLog, optional
            The reader's log; its counts go into the summary.
        workers : int or None, default=None
            Former name of ``threads`` (deprecated).

        Returns
        -------
        ScanResult
            Pairs (``a`` the indexed document when one of the pair is indexed,
            else the earlier new one), families and a summary with the keys of
            :func:`spindetect.scan` plus ``indexed_documents``,
            ``pairs_indexed`` and ``index``. Families are not explained (the
            index holds no texts).
        """
        check_collection("documents", documents)
        check_instance("rules", rules, VerifyRules)
        check_int("batch_size", batch_size, low=1)
        config = dataclasses.replace(
            self.config,
            rules=rules if rules is not None else self.config.rules,
            min_shared=min_shared if min_shared is not None else self.config.min_shared,
            max_df=max_df if max_df is not None else self.config.max_df,
            max_bucket=max_bucket if max_bucket is not None else self.config.max_bucket,
        )
        threads = renamed_option("workers", workers, "threads", threads)
        lookup = IndexLookup(self._conn(), self.path, config, self._specs)
        return pipeline.run(
            documents,
            config=config,
            explain=0,
            batch_size=batch_size,
            threads=threads,
            progress=progress,
            skipped=skipped,
            elsewhere=lookup,
            vocabulary=self._words(),
        )

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise IndexFormatError(f"{self.path}: the index is closed")
        return self._db


# -- helpers -------------------------------------------------------------------------


def _file_bytes(path: Path) -> int:
    """Size of the index file and its write-ahead log."""
    wal = Path(f"{path}-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
