"""``spindetect.scan``: families of spun copies and near-duplicates in a crawl.

Documents stream in; texts are spooled to a temporary file (memory holds only
fingerprints, about 1.3 KB a document); the stages of :mod:`spindetect.stages`
find and verify copy pairs; union-find groups whole-document copies into
families; each family is described (members, pair verdicts, titles, links and
who they point to) and the largest are explained with the full
:func:`~spindetect.compare.compare` (inserted phrases, title/body mismatch, the
template text every member shares).

Partial copies (a passage reused inside a longer page) are reported as pairs but
do not join families: one shared quotation must not merge two families.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from ._validation import check_int
from .sources import Document, SkipLog
from .stages import (
    Fingerprints,
    PairVerdicts,
    ScanConfig,
    candidates,
    cluster,
    fingerprint,
    verify,
)

__all__ = ["ClusterRecord", "PairRecord", "ScanResult", "scan"]

Progress = Callable[[str, int, int | None], None]
_URL = re.compile(r"https?://[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PairRecord:
    """A verified copy pair (``a`` < ``b`` in input order)."""

    a: str
    b: str
    verdict: str
    confidence: float
    scores: dict[str, float]
    cluster: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSONL record ``{"type": "pair", ...}``."""
        return {"type": "pair", "a": self.a, "b": self.b, "verdict": self.verdict,
                "confidence": round(self.confidence, 4),
                "scores": {k: round(v, 4) for k, v in self.scores.items()},
                "cluster": self.cluster}


@dataclass(frozen=True)
class ClusterRecord:
    """A family of copies of one article."""

    id: str
    members: tuple[str, ...]
    representative: str
    verdicts: dict[str, int]
    titles: dict[str, str | None]
    links: list[dict[str, Any]]
    beneficiaries: list[dict[str, Any]]
    explained: bool = False
    title_mismatch: list[str] = field(default_factory=list)
    inserted: dict[str, list[str]] = field(default_factory=dict)
    template: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """JSONL record ``{"type": "cluster", ...}``."""
        return {"type": "cluster", "id": self.id, "size": self.size,
                "members": list(self.members), "representative": self.representative,
                "verdicts": self.verdicts, "titles": self.titles,
                "distinct_titles": len({t for t in self.titles.values() if t}),
                "links": self.links, "beneficiaries": self.beneficiaries,
                "explained": self.explained, "title_mismatch": self.title_mismatch,
                "inserted": self.inserted, "template": self.template}


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


@dataclass
class _Meta:
    ids: list[str] = field(default_factory=list)
    titles: list[str | None] = field(default_factory=list)
    urls: list[str | None] = field(default_factory=list)
    links: list[tuple[str, ...]] = field(default_factory=list)


class _Spool:
    """Texts on disk, read back by index (bounded memory for large crawls)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._offsets = [0]

    def add(self, texts: Sequence[str]) -> None:
        data = [t.encode("utf-8", "surrogatepass") for t in texts]
        self._file.seek(0, os.SEEK_END)
        for d in data:
            self._file.write(d)
            self._offsets.append(self._offsets[-1] + len(d))

    def head(self, i: int, limit: int) -> str:
        """The first ``limit`` bytes of text ``i`` (cut at a character boundary)."""
        self._file.seek(self._offsets[i])
        size = min(limit, self._offsets[i + 1] - self._offsets[i])
        return self._file.read(size).decode("utf-8", "ignore")

    def __getitem__(self, i: int) -> str:
        self._file.seek(self._offsets[i])
        return self._file.read(self._offsets[i + 1] - self._offsets[i]).decode(
            "utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()


def scan(
    documents: Iterable[Document | str | tuple[str, str]],
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    batch_size: int = 8192,
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
    batch_size : int, default=8192
        Documents fingerprinted together.
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
    report = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    meta = _Meta()
    spool = _Spool()
    try:
        start = time.perf_counter()
        parts = []
        batch: list[str] = []
        for doc in _as_documents(documents):
            meta.ids.append(doc.id)
            meta.titles.append(doc.title)
            meta.urls.append(doc.url)
            meta.links.append(tuple(link.href for link in doc.links))
            batch.append(doc.text)
            if len(batch) == batch_size:
                parts.append(_fingerprint_batch(batch, spool, config, workers))
                report("fingerprint", len(meta.ids), None)
                batch = []
        if batch:
            parts.append(_fingerprint_batch(batch, spool, config, workers))
        report("fingerprint", len(meta.ids), len(meta.ids))
        timings["read+fingerprint"] = time.perf_counter() - start
        n = len(meta.ids)
        if n == 0:
            return ScanResult([], [], _summary(meta, None, None, [], timings, skipped))
        fp = Fingerprints.concatenate(parts)
        del parts

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
        clusters = _families(labels, verified, meta, spool, explain, report)
        timings["describe"] = time.perf_counter() - t
        pairs = _pair_records(verified, meta.ids, clusters)
        timings["total"] = time.perf_counter() - start
        return ScanResult(pairs, clusters, _summary(meta, cands, verified, clusters, timings,
                                                    skipped))
    finally:
        spool.close()


def _pair_records(verified: PairVerdicts, ids: list[str],
                  clusters: list[ClusterRecord]) -> list[PairRecord]:
    cluster_id = {m: c.id for c in clusters for m in c.members}
    return [
        PairRecord(ids[i], ids[j], v, conf, {"skeleton": s, "content": c, "shared": float(sh)},
                   cluster_id.get(ids[i]) if v != "partial" else None)
        for (i, j), v, conf, s, c, sh in zip(
            verified.pairs.tolist(), verified.verdicts.tolist(), verified.confidence.tolist(),
            verified.skeleton.tolist(), verified.content.tolist(), verified.shared.tolist(),
            strict=True)
    ]


def _as_documents(documents: Iterable[Document | str | tuple[str, str]]) -> Iterator[Document]:
    for k, doc in enumerate(documents):
        if isinstance(doc, Document):
            yield doc
        elif isinstance(doc, str):
            yield Document(id=str(k), text=doc)
        else:
            doc_id, text = doc
            yield Document(id=str(doc_id), text=text)


def _fingerprint_batch(batch: list[str], spool: _Spool, config: ScanConfig,
                       workers: int | None) -> Fingerprints:
    spool.add(batch)
    return fingerprint(batch, config, workers=workers)


def _families(labels: np.ndarray, verified: PairVerdicts, meta: _Meta, spool: _Spool,
              explain: int, report: Progress) -> list[ClusterRecord]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, root in enumerate(labels.tolist()):
        groups[root].append(i)
    families = [members for members in groups.values() if len(members) > 1]
    families.sort(key=lambda m: (-len(m), m[0]))
    degree: Counter[int] = Counter()
    verdicts_of: dict[int, Counter[str]] = defaultdict(Counter)
    for (i, j), v in zip(verified.pairs.tolist(), verified.verdicts, strict=True):
        if v == "partial":
            continue
        degree[i] += 1
        degree[j] += 1
        verdicts_of[int(labels[i])][str(v)] += 1
    records = []
    for rank, members in enumerate(families):
        rep = max(members, key=lambda m: (degree[m], -m))
        ids = tuple(meta.ids[m] for m in members)
        links = _link_counts(members, meta, spool)
        record = ClusterRecord(
            id=f"c{rank + 1}",
            members=ids,
            representative=meta.ids[rep],
            verdicts=dict(verdicts_of[int(labels[members[0]])]),
            titles={meta.ids[m]: _title_of(m, meta, spool) for m in members},
            links=links,
            beneficiaries=[x for x in links if x["members"] >= 2],
        )
        if rank < explain:
            record = _explain(record, rep, members, meta, spool)
            report("explain", rank + 1, min(explain, len(families)))
        records.append(record)
    return records


def _title_of(i: int, meta: _Meta, spool: _Spool) -> str | None:
    if meta.titles[i]:
        return meta.titles[i]
    from .titles import split_title

    return split_title(spool.head(i, 600)).title


def _link_counts(members: Sequence[int], meta: _Meta, spool: _Spool) -> list[dict[str, Any]]:
    by_domain: dict[str, set[int]] = defaultdict(set)
    hrefs: dict[str, Counter[str]] = defaultdict(Counter)
    for m in members:
        own_host = urlsplit(meta.urls[m] or "").hostname
        targets = set(meta.links[m]) | set(_URL.findall(spool[m]))
        for href in targets:
            host = urlsplit(href).hostname
            if host and host != own_host:
                domain = host.removeprefix("www.")
                by_domain[domain].add(m)
                hrefs[domain][href] += 1
    ranked = sorted(by_domain, key=lambda d: (-len(by_domain[d]), d))
    return [{"domain": d, "members": len(by_domain[d]),
             "hrefs": [h for h, _ in hrefs[d].most_common(5)]} for d in ranked[:20]]


def _explain(record: ClusterRecord, rep: int, members: Sequence[int], meta: _Meta,
             spool: _Spool, max_members: int = 12) -> ClusterRecord:
    """Run the full compare of the representative against members; fill the explanation."""
    from .compare import compare

    rep_text = spool[rep]
    inserted: dict[str, list[str]] = {}
    mismatch: set[str] = set()
    shared: Counter[str] | None = None
    compared = 0
    for m in members:
        if m == rep or compared >= max_members:
            continue
        compared += 1
        result = compare(rep_text, spool[m])
        inserted[meta.ids[m]] = list(result.inserted["b"])[:10]
        inserted.setdefault(meta.ids[rep], list(result.inserted["a"])[:10])
        for side, i in (("a", rep), ("b", m)):
            finding = result.titles.get(side)
            if finding is not None and finding.mismatch:
                mismatch.add(meta.ids[i])
        same = Counter(result.text_a[p.a[0]:p.a[1]] for p in result.passages
                       if p.kind == "identical")
        shared = same if shared is None else shared & same
    template = [t for t in (shared or {}) if len(t.split()) >= 3][:10]
    return ClusterRecord(
        id=record.id, members=record.members, representative=record.representative,
        verdicts=record.verdicts, titles=record.titles, links=record.links,
        beneficiaries=record.beneficiaries, explained=True,
        title_mismatch=sorted(mismatch), inserted=inserted, template=template,
    )


def _summary(meta: _Meta, cands: Any, verified: PairVerdicts | None,
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
