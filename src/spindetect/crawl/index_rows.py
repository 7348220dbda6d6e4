"""Writing and deleting the rows of indexed documents (inside the caller's transaction).

:class:`~spindetect.crawl.index.SpinIndex` owns the connection and the
transactions; a :class:`RowWriter` fingerprints one batch of documents and
writes its ``docs``, ``bands`` and ``samples`` rows, or deletes a document's
rows, as described in :mod:`spindetect.crawl.index`. A stored row that cannot
be read back (a signature or samples blob of the wrong length) is refused with
:class:`~spindetect.exceptions.IndexCorruptError` naming the document.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from spindetect.crawl.families import fallback_title, link_targets
from spindetect.crawl.index_integrity import corrupt
from spindetect.crawl.index_schema import band_keys, band_tables, split_signatures
from spindetect.crawl.stages import fingerprint
from spindetect.settings import ScanConfig
from spindetect.sources.document import Document
from spindetect.text.function_words import FunctionWords

__all__ = ["RowWriter", "content_hash"]

_MAX_LINKS = 50


class RowWriter:
    """Row writes of one open index.

    Parameters
    ----------
    db : sqlite3.Connection
        The open index (its temporary query tables created).
    path : Path
        The index file, for messages.
    config : ScanConfig
        The index's fingerprint parameters.
    specs : list of (label, num_perm)
        Signature specs in the order of the stored ``sigs`` blob.
    words : callable
        ``words(texts)``: the function words to fingerprint with (fixed by the
        first batch of an empty index, see ``SpinIndex._words``).
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path,
        config: ScanConfig,
        specs: list[tuple[str, int]],
        words: Callable[[list[str]], FunctionWords],
    ) -> None:
        self._db = db
        self.path = path
        self.config = config
        self._specs = specs
        self._words = words

    def add_batch(
        self,
        batch: list[Document],
        threads: int | None,
        totals: Counter[str],
        reasons: Counter[str],
    ) -> None:
        """Fingerprint and write one batch (inside the caller's transaction), counting states."""
        db = self._db
        # Last occurrence of an id in the batch wins; earlier ones are superseded.
        latest: dict[str, int] = {}
        for k, doc in enumerate(batch):
            latest[doc.id] = k
        existing = self.lookup_ids(list(latest))
        todo: list[Document] = []
        status: list[str] = []
        seen: dict[str, bytes] = {}
        for k, doc in enumerate(batch):
            digest = content_hash(doc.text)
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
        texts = [d.text for d in todo]
        fp = fingerprint(texts, self.config, workers=threads, function_words=self._words(texts))
        empty = fp.samples.totals == 0
        for k in np.flatnonzero(empty).tolist():
            # Nothing to fingerprint: count it as skipped instead of added/updated.
            totals[status[k]] -= 1
            reasons["no-words"] += 1
        # Replaced (or now empty) documents lose their old rows.
        for doc in todo:
            if doc.id in existing:
                self.delete_rows(existing[doc.id][0])
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
            rows.append(
                (
                    int(numbers[pos]),
                    doc.id,
                    content_hash(doc.text),
                    _title(doc),
                    doc.url,
                    doc.source or None,
                    now,
                    _links(doc),
                    sigs[pos].tobytes(),
                    hashes[offsets[k] : offsets[k + 1]].tobytes(),
                )
            )
        db.executemany(
            "INSERT INTO docs (doc, id, content_hash, title, url, source, added_at, "
            "links, sigs, samples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # Rows go in in key order: B-tree inserts then walk the pages in order
        # (2-3x faster than random order once the index outgrows the cache).
        keys = band_keys(self.config, {label: arr[keep] for label, arr in fp.signatures.items()})
        tbl = np.tile(band_tables(self.config), keep.size)
        key = keys.view(np.int64).ravel()
        owner = np.repeat(numbers, keys.shape[1])
        order = np.lexsort((owner, key, tbl))
        db.executemany(
            "INSERT OR IGNORE INTO bands (tbl, key, doc) VALUES (?, ?, ?)",
            zip(tbl[order].tolist(), key[order].tolist(), owner[order].tolist(), strict=True),
        )
        counts = fp.samples.counts()[keep]
        idx = np.repeat(offsets[:-1][keep], counts) + _ranks(counts)
        sample = hashes[idx].view(np.int64)
        owner = np.repeat(numbers, counts)
        order = np.lexsort((owner, sample))
        db.executemany(
            "INSERT OR IGNORE INTO samples (hash, doc) VALUES (?, ?)",
            zip(sample[order].tolist(), owner[order].tolist(), strict=True),
        )

    def delete_rows(self, doc_no: int) -> None:
        """Delete a document's row and its band and sample rows (inside a transaction)."""
        db = self._db
        doc_id, sigs, samples = db.execute(
            "SELECT id, sigs, samples FROM docs WHERE doc = ?", (doc_no,)
        ).fetchone()
        width = sum(k for _, k in self._specs)
        if not isinstance(sigs, bytes) or len(sigs) != 4 * width:
            raise corrupt(self.path, f"document {json.dumps(doc_id)}: bad signature blob")
        if not isinstance(samples, bytes) or len(samples) % 8:
            raise corrupt(self.path, f"document {json.dumps(doc_id)}: bad samples blob")
        stored = np.frombuffer(sigs, dtype=np.uint32)[None, :]
        keys = band_keys(self.config, split_signatures(self._specs, stored))
        db.executemany(
            "DELETE FROM bands WHERE tbl = ? AND key = ? AND doc = ?",
            (
                (t, k, doc_no)
                for t, k in zip(
                    band_tables(self.config).tolist(), keys.view(np.int64)[0].tolist(), strict=True
                )
            ),
        )
        db.executemany(
            "DELETE FROM samples WHERE hash = ? AND doc = ?",
            ((h, doc_no) for h in np.frombuffer(samples, dtype=np.int64).tolist()),
        )
        db.execute("DELETE FROM docs WHERE doc = ?", (doc_no,))

    def lookup_ids(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        """Return (document number, content hash) of each of ``ids`` already indexed."""
        db = self._db
        db.execute("DELETE FROM q_ids")
        db.execute(
            "INSERT OR IGNORE INTO q_ids (id) SELECT value FROM json_each(?)",
            (json.dumps(list(ids)),),
        )
        return {
            doc_id: (int(doc_no), bytes(digest))
            for doc_no, doc_id, digest in db.execute(
                "SELECT d.doc, d.id, d.content_hash FROM q_ids q JOIN docs d ON d.id = q.id"
            )
        }


def _ranks(counts: np.ndarray) -> np.ndarray:
    """``0..c-1`` for each count ``c``, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    ranks: np.ndarray = np.arange(total, dtype=np.int64) - starts
    return ranks


def content_hash(text: str) -> bytes:
    """BLAKE2b-128 of the UTF-8 text (lone surrogates kept): what tells a changed text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _title(doc: Document) -> str | None:
    return doc.title or fallback_title(doc.text)


def _links(doc: Document) -> str | None:
    hrefs = dict.fromkeys([link.href for link in doc.links] + link_targets(doc.text))
    return json.dumps(list(hrefs)[:_MAX_LINKS]) if hrefs else None
