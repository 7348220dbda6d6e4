"""Looking up a batch of new documents in the on-disk index (the pipeline's :class:`Elsewhere`).

For each batch the runner hands over, indexed documents sharing a band key
(LSH) or at least ``min_shared`` sampled n-grams are found with temporary-table
joins, their stored signatures are loaded, and every candidate pair is judged by
:func:`spindetect.crawl.stages.verify_pairs` (the rules of
:func:`~spindetect.crawl.stages.verify`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from spindetect.crawl.index_integrity import corrupt
from spindetect.crawl.index_schema import (
    BAND_JOIN,
    SAMPLE_JOIN,
    band_keys,
    band_tables,
    split_signatures,
)
from spindetect.crawl.pipeline import ElsewherePairs, OutsideDocument
from spindetect.crawl.records import Fingerprints
from spindetect.crawl.stages import verify_pairs
from spindetect.settings import ScanConfig

__all__ = ["IndexLookup", "count_rows", "unique_rows"]


class IndexLookup:
    """The indexed documents as seen by one query (an :class:`~.pipeline.Elsewhere`).

    Parameters
    ----------
    db : sqlite3.Connection
        The open index (its temporary query tables created).
    path : Path
        The index file, for messages and the summary.
    config : ScanConfig
        The index's fingerprint parameters with the query's candidate settings.
    specs : list of (label, num_perm)
        Signature specs in the order of the stored ``sigs`` blob.
    """

    def __init__(
        self, db: sqlite3.Connection, path: Path, config: ScanConfig, specs: list[tuple[str, int]]
    ) -> None:
        self._db = db
        self._path = path
        self._config = config
        self._specs = specs
        self._size = int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def summary(self) -> dict[str, Any]:
        """``indexed_documents`` and ``index`` (the file)."""
        return {"indexed_documents": self._size, "index": str(self._path)}

    def lookup(self, fp: Fingerprints, config: ScanConfig, counts: Counter[str]) -> ElsewherePairs:
        """Candidates and verdicts of one batch of new documents against the index."""
        if not self._size:
            return ElsewherePairs.empty()
        db = self._db
        n = len(fp)
        # Query keys go into temporary tables in key order (json_each: one statement per
        # table, no per-row Python calls); sorted probes walk the B-trees in order, which
        # measured 2x faster than probing in document order.
        # LSH: band keys of every table, joined with the bands table.
        keys = band_keys(self._config, fp.signatures).view(np.int64)
        nb = keys.shape[1]
        tbl = np.tile(band_tables(self._config), n)
        key = keys.ravel()
        qrow = np.repeat(np.arange(n, dtype=np.int64), nb)
        order = np.lexsort((key, tbl))
        tbl, key, qrow = tbl[order], key[order], qrow[order]
        db.execute("DELETE FROM q_bands")
        bounds = np.searchsorted(tbl, np.arange(len(self._config.tables) + 1))
        for t in range(len(self._config.tables)):
            lo, hi = int(bounds[t]), int(bounds[t + 1])
            db.execute(
                "INSERT INTO q_bands (rowid, tbl, key) SELECT ? + key, ?, value FROM json_each(?)",
                (lo, t, json.dumps(key[lo:hi].tolist())),
            )
        rows = np.array(
            db.execute(BAND_JOIN, (config.max_bucket,)).fetchall(), dtype=np.int64
        ).reshape(-1, 2)
        lsh_pairs = unique_rows(np.stack([qrow[rows[:, 0]], rows[:, 1]], axis=1))
        # Shared samples, without samples held by more than max_df indexed documents.
        sample = fp.samples.hashes.view(np.int64)
        order = np.argsort(sample, kind="stable")
        sample = sample[order]
        srow = np.repeat(np.arange(n, dtype=np.int64), fp.samples.counts())[order]
        db.execute("DELETE FROM q_samples")
        db.execute(
            "INSERT INTO q_samples (rowid, hash) SELECT key, value FROM json_each(?)",
            (json.dumps(sample.tolist()),),
        )
        rows = np.array(
            db.execute(SAMPLE_JOIN, (config.max_df + 1,)).fetchall(), dtype=np.int64
        ).reshape(-1, 2)
        if rows.size:
            common = np.bincount(rows[:, 0]) > config.max_df
            counts["skipped_common_samples"] += int(np.unique(sample[np.flatnonzero(common)]).size)
            rows = rows[~common[rows[:, 0]]]
        shared_pairs, shared = count_rows(np.stack([srow[rows[:, 0]], rows[:, 1]], axis=1))
        strong = shared_pairs[shared >= config.min_shared]
        pairs = unique_rows(np.concatenate([lsh_pairs, strong]))
        counts["candidates"] += int(pairs.shape[0])
        counts["candidates_lsh"] += int(lsh_pairs.shape[0])
        counts["candidates_shared"] += int(strong.shape[0])
        if pairs.size == 0:
            return ElsewherePairs.empty()
        # Shared counts for every candidate (0 when they share no sample).
        width = np.int64(max(int(pairs[:, 1].max()), int(shared_pairs[:, 1].max(initial=0))) + 1)
        cand_code = pairs[:, 0] * width + pairs[:, 1]
        shared_code = shared_pairs[:, 0] * width + shared_pairs[:, 1]
        pos = np.searchsorted(shared_code, cand_code)
        pos = np.minimum(pos, max(shared_code.size - 1, 0))
        match = (
            (shared_code[pos] == cand_code)
            if shared_code.size
            else np.zeros(cand_code.size, dtype=bool)
        )
        cand_shared = np.where(match, shared[pos] if shared.size else 0, 0)
        # Stored signatures of the candidates.
        old_nos = np.unique(pairs[:, 1])
        stored = self._load_signatures(old_nos)
        local = np.stack([pairs[:, 0], np.searchsorted(old_nos, pairs[:, 1])], axis=1)
        verdicts = verify_pairs(fp.signatures, stored, local, cand_shared, config.rules)
        return ElsewherePairs(verdicts.pairs[:, 0].copy(), old_nos[verdicts.pairs[:, 1]], verdicts)

    def documents(self, numbers: np.ndarray) -> dict[int, OutsideDocument]:
        """Id, title, URL and links of the indexed documents with these numbers."""
        db = self._db
        self._select_docs(numbers)
        out = {}
        for doc_no, doc_id, title, url, links in db.execute(
            "SELECT d.doc, d.id, d.title, d.url, d.links FROM q_docs q JOIN docs d ON d.doc = q.doc"
        ):
            out[int(doc_no)] = OutsideDocument(
                _text(doc_id, "id", doc_id, self._path),
                None if title is None else _text(title, "title", doc_id, self._path),
                None if url is None else _text(url, "url", doc_id, self._path),
                _links(links, doc_id, self._path),
            )
        return out

    def _select_docs(self, numbers: np.ndarray) -> None:
        """Put these document numbers in the temporary table ``q_docs`` (joined by the reads)."""
        self._db.execute("DELETE FROM q_docs")
        self._db.execute(
            "INSERT OR IGNORE INTO q_docs (doc) SELECT value FROM json_each(?)",
            (json.dumps(numbers.tolist()),),
        )

    def _load_signatures(self, doc_nos: np.ndarray) -> dict[str, np.ndarray]:
        db = self._db
        self._select_docs(doc_nos)
        rows = db.execute(
            "SELECT d.id, d.sigs FROM q_docs q JOIN docs d ON d.doc = q.doc ORDER BY q.doc"
        ).fetchall()
        if len(rows) != doc_nos.size:
            raise corrupt(self._path, "band or sample rows point to missing documents")
        width = sum(k for _, k in self._specs)
        for doc_id, blob in rows:
            if not isinstance(blob, bytes) or len(blob) != 4 * width:
                size = len(blob) if isinstance(blob, bytes) else type(blob).__name__
                raise corrupt(
                    self._path,
                    f"document {json.dumps(doc_id)}: signatures of {size} bytes, "
                    f"expected {4 * width}",
                )
        flat = np.frombuffer(b"".join(b for _, b in rows), dtype=np.uint32)
        return split_signatures(self._specs, flat.reshape(doc_nos.size, width))


def _text(value: object, column: str, doc_id: object, path: Path) -> str:
    """Return ``value`` if it is a str; raise naming the document and the column."""
    if not isinstance(value, str):
        raise corrupt(path, f"document {json.dumps(str(doc_id))}: {column} is not text")
    return value


def _links(value: object, doc_id: object, path: Path) -> tuple[str, ...]:
    """Return the stored links (a JSON list of str, or NULL); raise naming the document."""
    if value is None or value == "":
        return ()
    try:
        links = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        links = None
    if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
        raise corrupt(path, f"document {json.dumps(str(doc_id))}: links are not a JSON list")
    return tuple(links)


def unique_rows(pairs: np.ndarray) -> np.ndarray:
    """Distinct rows of an (m, 2) array of non-negative ints, sorted."""
    return count_rows(pairs)[0]


def count_rows(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an (m, 2) array of non-negative ints, sorted, and their counts."""
    if pairs.size == 0:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64)
    p = pairs.astype(np.int64)
    width = np.int64(p[:, 1].max() + 1)
    codes, counts = np.unique(p[:, 0] * width + p[:, 1], return_counts=True)
    return np.stack([codes // width, codes % width], axis=1), counts.astype(np.int64)
