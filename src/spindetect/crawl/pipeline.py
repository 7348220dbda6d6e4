"""The one pipeline runner: documents → fingerprints → candidates → verdicts → families → records.

:func:`spindetect.scan` runs it over a crawl; :meth:`SpinIndex.query
<spindetect.crawl.index.SpinIndex.query>` runs it with an :class:`Elsewhere`
(the index) that finds the copies each batch has among documents kept outside
the run. A new engine calls the same stage functions (:mod:`.stages`) in the
same order::

    vocabulary           stages.learn_function_words                first batch
    read + fingerprint   DocumentTable.add_texts, Fingerprinter     per batch
    inspect              inspection.inspect_scores (spun score)     per batch (optional)
    look up elsewhere    Elsewhere.lookup                           per batch (optional)
    candidates           stages.candidates                          whole run
    verify               stages.verify                              whole run
    passages             stages.verify_passages (rejected candidates -> partial)
    templates            stages.drop_templated (one template, other facts: not copies)
    join elsewhere       older versions dropped, outside documents numbered after the run's
    cluster              stages.cluster (whole-document pairs only)
    describe             families.describe_families
    records              families.pair_records, summary

Partial copies (a passage reused inside a longer page) are reported as pairs but
do not join families: one shared quotation must not merge two families.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

import numpy as np

from spindetect.crawl.families import describe_families, pair_records
from spindetect.crawl.prefetch import Prefetch
from spindetect.crawl.records import (
    Candidates,
    ClusterRecord,
    DocumentRecord,
    DocumentTable,
    Fingerprints,
    PairVerdicts,
    Progress,
    ScanResult,
)
from spindetect.crawl.stages import (
    batched,
    candidates,
    cluster,
    drop_templated,
    function_hashes,
    learn_function_words,
    verify,
    verify_passages,
)
from spindetect.crawl.texts import SequenceTexts, TextSpool
from spindetect.inspection import DEFAULT_THRESHOLD, inspect_scores
from spindetect.settings import ScanConfig
from spindetect.sketch.minhash import Fingerprinter
from spindetect.sources.document import Document
from spindetect.sources.skips import SkipLog
from spindetect.text.function_words import FunctionWords

__all__ = ["Elsewhere", "ElsewherePairs", "OutsideDocument", "TextsHook", "run"]

# ``on_texts(result, text_of, vocabulary)``: called at the end of a run; ``text_of(doc_id)``
# reads a text back; ``vocabulary`` is the run's learned function words (None: no documents).
TextsHook = Callable[[ScanResult, Callable[[str], str], FunctionWords | None], None]


@dataclass(frozen=True)
class ElsewherePairs:
    """Verified pairs between documents of the run and documents kept elsewhere.

    ``new`` are row numbers in the run, ``old`` the outside store's document
    numbers; ``verdicts.pairs`` holds the same pairs in the lookup's own numbering.
    """

    new: np.ndarray
    old: np.ndarray
    verdicts: PairVerdicts

    @classmethod
    def empty(cls) -> ElsewherePairs:
        """No pairs."""
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), PairVerdicts.empty())

    @classmethod
    def concatenate(cls, parts: Sequence[ElsewherePairs]) -> ElsewherePairs:
        """Join the pairs of consecutive batches."""
        if not parts:
            return cls.empty()
        return cls(
            np.concatenate([p.new for p in parts]),
            np.concatenate([p.old for p in parts]),
            PairVerdicts.concatenate([(p.verdicts, p.verdicts.pairs) for p in parts]),
        )

    def take(self, mask: np.ndarray) -> ElsewherePairs:
        """Return the pairs where ``mask`` is true."""
        return ElsewherePairs(self.new[mask], self.old[mask], self.verdicts.take(mask))

    def shifted(self, offset: int) -> ElsewherePairs:
        """Return the same pairs with run rows moved by ``offset`` (a batch's first row)."""
        return ElsewherePairs(self.new + offset, self.old, self.verdicts)


@dataclass(frozen=True)
class OutsideDocument:
    """What the describe stage knows of a document kept elsewhere (no text)."""

    id: str
    title: str | None
    url: str | None
    links: tuple[str, ...]


class Elsewhere(Protocol):
    """Documents kept outside the run (an on-disk index) that the run's copies are sought in."""

    def lookup(self, fp: Fingerprints, config: ScanConfig, counts: Counter[str]) -> ElsewherePairs:
        """Return the verified pairs of one batch (rows from 0) with outside documents.

        Adds its candidate counts to ``counts`` (keys of the summary:
        ``candidates``, ``candidates_lsh``, ``candidates_shared``,
        ``skipped_common_samples``).
        """

    def documents(self, numbers: np.ndarray) -> dict[int, OutsideDocument]:
        """Return the outside documents with these numbers."""

    def summary(self) -> dict[str, Any]:
        """Keys the summary gets after ``documents`` (e.g. ``indexed_documents``)."""


def run(
    documents: Iterable[Document | str | tuple[str, str]],
    *,
    config: ScanConfig,
    explain: int,
    batch_size: int,
    threads: int | None,
    progress: Progress | None = None,
    skipped: SkipLog | None = None,
    elsewhere: Elsewhere | None = None,
    vocabulary: FunctionWords | None = None,
    inspect: bool = True,
    on_texts: TextsHook | None = None,
) -> ScanResult:
    """Run every stage over ``documents`` and return the pairs, families and summary.

    Parameters
    ----------
    documents : iterable of Document, str, or (id, text) tuples
        The run's documents. A sequence the caller holds is read in place; a
        stream's texts are read back from their origins (JSONL lines, text
        files) when the later stages need them, and the texts of documents
        with no origin are spooled to a temporary file.
    config : ScanConfig
    explain : int
        Explain this many of the largest families with the full compare.
    batch_size : int
        Documents read and fingerprinted together.
    threads : int or None
        Threads of the fingerprint kernel (None: all cores).
    progress : callable, optional
        ``progress(stage, done, total)``.
    skipped : SkipLog, optional
        The reader's log; its counts go into the summary.
    elsewhere : Elsewhere, optional
        Outside documents each batch is also looked up in.
    vocabulary : FunctionWords, optional
        Function words fixed by the caller (an index's stored ones, which its
        signatures were computed with); the first batch still gives the
        document frequencies. None learns both from the first batch.
    inspect : bool, default=True
        Give every document of the run its spun score (``ScanResult.documents``).
    on_texts : callable, optional
        Called once at the end, while the texts can still be read back, as
        ``on_texts(result, text_of, vocabulary)``: ``text_of(doc_id)`` returns that
        document's text (read back by document number, as the stages do);
        ``vocabulary`` is the run's function words and IDF (what
        ``compare(vocabulary=)`` takes to judge a pair as the scan did), None when
        the run read no document.

    Returns
    -------
    ScanResult
    """
    report = progress or _silent
    timings: dict[str, float] = {}
    meta = DocumentTable()
    in_memory = isinstance(documents, Sequence) and not isinstance(documents, (str, bytes))
    texts = SequenceTexts(documents) if in_memory else TextSpool()  # type: ignore[arg-type]
    counts: Counter[str] = Counter()
    try:
        start = time.perf_counter()
        outside: list[ElsewherePairs] = []
        expected = len(documents) if in_memory else 0  # type: ignore[arg-type]
        words: FunctionWords | None = None
        fingerprinter: Fingerprinter | None = None
        spun: list[np.ndarray] = []
        inspect_seconds = 0.0
        reading: Iterable[tuple[list[str], int]] = _read(documents, meta, texts, batch_size)
        ahead = Prefetch(reading, depth=2) if not in_memory else nullcontext(reading)
        try:
            with ahead as batches:
                for batch, estimate in batches:
                    if fingerprinter is None:  # the vocabulary stage reads the first batch
                        words = learn_function_words(batch, config)
                        if vocabulary is not None:
                            words = replace(
                                words, hashes=vocabulary.hashes, learned=vocabulary.learned
                            )
                        expected = max(expected, estimate)
                        fingerprinter = _fingerprinter(config, threads, expected, words)
                    lo = len(fingerprinter)
                    fingerprinter.add(batch)
                    if elsewhere is not None:
                        fp_batch = Fingerprints(*fingerprinter.result()).rows(lo, lo + len(batch))
                        outside.append(elsewhere.lookup(fp_batch, config, counts).shifted(lo))
                    if inspect:
                        t = time.perf_counter()
                        spun.append(inspect_scores(batch, threads=threads))
                        inspect_seconds += time.perf_counter() - t
                    report("fingerprint", len(fingerprinter), None)
            if fingerprinter is None:
                fingerprinter = _fingerprinter(config, threads, 0, None)
            fp = Fingerprints(*fingerprinter.result())
        finally:
            if fingerprinter is not None:
                fingerprinter.close()
        del fingerprinter  # the store lives on in ``fp`` only, freed after verification
        n = len(meta.ids)
        report("fingerprint", n, n)
        timings["read+fingerprint"] = time.perf_counter() - start - inspect_seconds
        if inspect:
            timings["inspect"] = inspect_seconds
        scores = np.concatenate(spun) if spun else np.zeros(0)
        del spun

        t = time.perf_counter()
        cands = candidates(fp, config, overwrite_samples=True) if n else None
        timings["candidates"] = time.perf_counter() - t
        _count_candidates(counts, cands)
        report("candidates", counts["candidates"], counts["candidates"])

        t = time.perf_counter()
        verified = verify(fp, cands, config.rules) if cands is not None else PairVerdicts.empty()
        if cands is not None and words is not None:
            passages = verify_passages(
                cast("Sequence[str]", texts), fp, cands, verified, words, config
            )  # the stores index like a sequence
            verified = PairVerdicts.concatenate(
                [(verified, verified.pairs), (passages, passages.pairs)]
            )
            verified = drop_templated(cast("Sequence[str]", texts), verified, words)
        del fp, cands  # fingerprints and candidates: not needed by the later stages
        found = ElsewherePairs.concatenate(outside)
        if elsewhere is not None:
            verified, found = _join_elsewhere(verified, found, meta, elsewhere)
        whole = verified.verdicts != "partial"
        labels = cluster(len(meta.ids), verified.pairs[whole])
        timings["verify+cluster"] = time.perf_counter() - t
        report("verify", len(verified), len(verified))

        t = time.perf_counter()
        texts.add_absent(len(meta.ids) - n)  # outside documents: no text here
        clusters = describe_families(labels, verified, meta, texts, explain, report)
        timings["describe"] = time.perf_counter() - t
        pairs = pair_records(verified, meta.ids, clusters)
        timings["total"] = time.perf_counter() - start
        summary = _summary(
            n,
            counts,
            verified,
            clusters,
            timings,
            skipped,
            elsewhere.summary() if elsewhere is not None else None,
            len(found.new),
        )
        if inspect:
            summary["spun_documents"] = int((scores >= DEFAULT_THRESHOLD).sum())
        # One record per document, made last: not held through the stages above.
        ids = meta.ids[: len(scores)]  # the run's documents (outside ones joined later)
        spun_records = [DocumentRecord(i, v) for i, v in zip(ids, scores.tolist(), strict=True)]
        result = ScanResult(pairs, clusters, summary, spun_records)
        if on_texts is not None:
            on_texts(result, _text_reader(meta.ids, texts), words)
        return result
    finally:
        texts.close()


def _read(
    documents: Iterable[Document | str | tuple[str, str]],
    meta: DocumentTable,
    texts: TextSpool | SequenceTexts,
    batch_size: int,
) -> Iterator[tuple[list[str], int]]:
    """Read stage: yield each batch of texts, recorded in ``meta`` and ``texts``.

    With the first batch, the documents the run is expected to hold (from the
    input files' sizes, :meth:`TextSpool.expected_total`); 0 with the others
    and when unknown.
    Runs in the :class:`Prefetch` thread for a stream: the main thread reads
    ``meta`` and ``texts`` only after the last batch.
    """
    first = True
    for batch in batched(meta.add_texts(texts.track(documents)), batch_size):
        texts.add(batch)
        estimate = texts.expected_total() if first and isinstance(texts, TextSpool) else 0
        yield batch, estimate
        first = False


def _fingerprinter(
    config: ScanConfig, threads: int | None, expected: int, words: FunctionWords | None
) -> Fingerprinter:
    """Return the fingerprint stage's accumulator, with the run's function words."""
    return Fingerprinter(
        config.specs(),
        seed=config.seed,
        workers=threads,
        sample_n=config.sample_n,
        sample_mod=config.sample_mod,
        expected_docs=expected,
        function_words=function_hashes(words),
    )


def _text_reader(ids: Sequence[str], texts: TextSpool | SequenceTexts) -> Callable[[str], str]:
    """Return ``text_of(doc_id)``: the text of the document with that id, read back."""
    number: dict[str, int] = {}

    def text_of(doc_id: str) -> str:
        if not number:
            number.update((d, i) for i, d in enumerate(ids))
        return texts[number[doc_id]]

    return text_of


def _silent(stage: str, done: int, total: int | None) -> None:
    """Report nothing (the default progress callback)."""


def _count_candidates(counts: Counter[str], cands: Candidates | None) -> None:
    if cands is None:  # no documents: the Counter reads 0 for every key
        return
    counts["candidates"] += int(cands.pairs.shape[0])
    counts["candidates_lsh"] += cands.from_lsh
    counts["candidates_shared"] += cands.from_samples
    counts["skipped_common_samples"] += cands.skipped_buckets


def _join_elsewhere(
    inner: PairVerdicts, found: ElsewherePairs, meta: DocumentTable, elsewhere: Elsewhere
) -> tuple[PairVerdicts, ElsewherePairs]:
    """All pairs in one numbering: the run's documents, then the outside ones they copy.

    An outside document with the id of a run document is that document's older
    version: it is left out (neither a copy of it nor a family member). The
    outside documents kept are appended to ``meta``.
    """
    n = len(meta.ids)
    old_nos = np.unique(found.old) if found.old.size else np.empty(0, np.int64)
    old_docs = elsewhere.documents(old_nos)
    new_ids = set(meta.ids)
    superseded = np.array([old_docs[d].id in new_ids for d in old_nos.tolist()], dtype=bool)
    if superseded.any():
        found = found.take(~np.isin(found.old, old_nos[superseded]))
        old_nos = old_nos[~superseded]
    node = n + np.searchsorted(old_nos, found.old)
    both = PairVerdicts.concatenate(
        [(inner, inner.pairs), (found.verdicts, np.stack([node, found.new], axis=1))]
    )
    for d in old_nos.tolist():
        doc = old_docs[d]
        meta.ids.append(doc.id)
        meta.titles.append(doc.title)
        meta.urls.append(doc.url)
        meta.links.append(doc.links)
    return both, found


def _summary(
    n: int,
    counts: Counter[str],
    verified: PairVerdicts,
    clusters: list[ClusterRecord],
    timings: dict[str, float],
    skipped: SkipLog | None,
    outside: dict[str, Any] | None,
    outside_pairs: int,
) -> dict[str, Any]:
    sizes = [c.size for c in clusters]
    summary: dict[str, Any] = {"documents": n, **(outside or {})}
    summary.update(
        {
            "candidates": counts["candidates"],
            "candidates_lsh": counts["candidates_lsh"],
            "candidates_shared": counts["candidates_shared"],
            "skipped_common_samples": counts["skipped_common_samples"],
            "candidates_per_document": round(2 * counts["candidates"] / n, 3) if n else 0.0,
            "pairs": dict(Counter(str(v) for v in verified.verdicts)),
        }
    )
    if outside is not None:
        summary["pairs_indexed"] = outside_pairs
    summary.update(
        {
            "clusters": len(clusters),
            "clustered_documents": sum(sizes),
            "largest_cluster": max(sizes, default=0),
            "skipped": skipped.to_dict() if skipped is not None else {},
            "seconds": {k: round(v, 3) for k, v in timings.items()},
        }
    )
    return summary
