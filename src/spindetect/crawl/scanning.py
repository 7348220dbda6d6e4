"""``spindetect.scan``: families of spun copies and near-duplicates in a crawl.

Documents stream in; texts are spooled to a temporary file (memory holds only
fingerprints, about 1.3 KB a document), unless the caller passed a sequence it
already holds in memory, which is then read in place; the stages of :mod:`spindetect.stages`
find and verify copy pairs; union-find groups whole-document copies into
families; each family is described (members, pair verdicts, titles, links and
who they point to) and the largest are explained with the full
:func:`~spindetect.compare.compare` (inserted phrases, title/body mismatch, the
template text every member shares).

Partial copies (a passage reused inside a longer page) are reported as pairs but
do not join families: one shared quotation must not merge two families.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from spindetect._validation import check_int
from spindetect.crawl.families import (
    ClusterRecord,
    DocumentTable,
    PairRecord,
    SequenceTexts,
    TextSpool,
    describe_families,
    pair_records,
)
from spindetect.sketch.minhash import Fingerprinter
from spindetect.sources.reading import Document, SkipLog
from spindetect.crawl.stages import (
    Fingerprints,
    PairVerdicts,
    ScanConfig,
    batched,
    candidates,
    cluster,
    verify,
)

__all__ = ["ClusterRecord", "PairRecord", "ScanResult", "scan"]

Progress = Callable[[str, int, int | None], None]


@dataclass
class ScanResult:
    """Pairs, families and counts of one scan; iterating yields pairs then clusters."""

    pairs: list[PairRecord]
    clusters: list[ClusterRecord]
    summary: dict[str, Any]

    def __iter__(self) -> Iterator[PairRecord | ClusterRecord]:
        yield from self.pairs
        yield from self.clusters

    def records(self) -> Iterator[dict[str, Any]]:
        """JSON-ready records: pairs, clusters, then one ``{"type": "summary"}``."""
        for item in self:
            yield item.to_dict()
        yield {"type": "summary", **self.summary}


def scan(
    documents: Iterable[Document | str | tuple[str, str]],
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    batch_size: int = 2048,
    workers: int | None = None,
    progress: Progress | None = None,
    skipped: SkipLog | None = None,
) -> ScanResult:
    """Find copy pairs and families of copies among ``documents``.

    Parameters
    ----------
    documents : iterable of Document, str, or (id, text) tuples
        The crawl (for example :func:`spindetect.sources.iter_documents`);
        plain strings get ids ``"0"``, ``"1"``, ...
    config : ScanConfig, optional
        Fingerprints, LSH tables and verification thresholds.
    explain : int, default=20
        Explain this many of the largest families with the full compare.
    batch_size : int, default=2048
        Documents fingerprinted together (2048 ran faster and steadier than 8192
        or 32768 on the 100k benchmark crawl: smaller buffers, reused warm).
    workers : int or None, default=None
        Threads of the fingerprint kernel (None: all cores).
    progress : callable, optional
        Called as ``progress(stage, done, total)``.
    skipped : SkipLog, optional
        The log the reader records bad inputs in; its counts go into the summary.

    Returns
    -------
    ScanResult
    """
    config = config or ScanConfig()
    check_int("explain", explain, low=0)
    check_int("batch_size", batch_size, low=1)
    with _cyclic_gc_paused():
        return _scan(documents, config, explain, batch_size, workers, progress, skipped)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the scan.

    A scan allocates hundreds of thousands of small acyclic objects (records,
    dicts, tuples); each allocation burst triggers full collections that walk
    the whole heap (measured: 1.0 s of a 5.0 s scan of 100k documents). Reference
    counting still frees everything; the collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scan(documents: Iterable[Document | str | tuple[str, str]], config: ScanConfig,
          explain: int, batch_size: int, workers: int | None, progress: Progress | None,
          skipped: SkipLog | None) -> ScanResult:
    report = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    meta = DocumentTable()
    # A sequence the caller holds is read in place; a stream is spooled to disk.
    in_memory = isinstance(documents, Sequence) and not isinstance(documents, (str, bytes))
    spool = SequenceTexts(documents) if in_memory else TextSpool()  # type: ignore[arg-type]
    try:
        start = time.perf_counter()
        expected = len(documents) if in_memory else 0  # type: ignore[arg-type]
        with Fingerprinter(config.specs(), seed=config.seed, workers=workers,
                           sample_n=config.sample_n, sample_mod=config.sample_mod,
                           expected_docs=expected) as fingerprinter:
            for batch in batched(meta.add_texts(documents), batch_size):
                spool.add(batch)
                fingerprinter.add(batch)
                report("fingerprint", len(meta.ids), None)
            fp = Fingerprints(*fingerprinter.result())
        report("fingerprint", len(meta.ids), len(meta.ids))
        timings["read+fingerprint"] = time.perf_counter() - start
        n = len(meta.ids)
        if n == 0:
            return ScanResult([], [], _summary(meta, None, None, [], timings, skipped))

        t = time.perf_counter()
        cands = candidates(fp, config)
        timings["candidates"] = time.perf_counter() - t
        report("candidates", int(cands.pairs.shape[0]), int(cands.pairs.shape[0]))

        t = time.perf_counter()
        verified = verify(fp, cands, config.rules)
        whole = verified.verdicts != "partial"
        labels = cluster(n, verified.pairs[whole])
        timings["verify+cluster"] = time.perf_counter() - t
        report("verify", len(verified), len(verified))

        t = time.perf_counter()
        clusters = describe_families(labels, verified, meta, spool, explain, report)
        timings["describe"] = time.perf_counter() - t
        pairs = pair_records(verified, meta.ids, clusters)
        timings["total"] = time.perf_counter() - start
        return ScanResult(pairs, clusters, _summary(meta, cands, verified, clusters, timings,
                                                    skipped))
    finally:
        spool.close()


def _summary(meta: DocumentTable, cands: Any, verified: PairVerdicts | None,
             clusters: list[ClusterRecord], timings: dict[str, float],
             skipped: SkipLog | None) -> dict[str, Any]:
    verdicts = Counter(str(v) for v in verified.verdicts) if verified is not None else Counter()
    sizes = [c.size for c in clusters]
    return {
        "documents": len(meta.ids),
        "candidates": 0 if cands is None else int(cands.pairs.shape[0]),
        "candidates_lsh": 0 if cands is None else cands.from_lsh,
        "candidates_shared": 0 if cands is None else cands.from_samples,
        "skipped_common_samples": 0 if cands is None else cands.skipped_buckets,
        "pairs": dict(verdicts),
        "clusters": len(clusters),
        "clustered_documents": sum(sizes),
        "largest_cluster": max(sizes, default=0),
        "skipped": skipped.to_dict() if skipped is not None else {},
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
