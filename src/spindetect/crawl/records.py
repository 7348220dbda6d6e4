"""The records of the crawl pipeline, in the order it makes them.

:class:`DocumentTable` (ids, titles, URLs, links of the documents read),
:class:`Fingerprints` (signatures and sampled n-grams), :class:`Candidates`,
:class:`PairVerdicts` (verified pairs as arrays), then the records a scan
reports: :class:`PairRecord`, :class:`ClusterRecord`, :class:`DocumentRecord`
(every document's spun score) and :class:`ScanResult`; :class:`AddReport` says what
adding a batch to an index did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spindetect.crawl.columns import StringColumn
from spindetect.exceptions import InvalidParameterError
from spindetect.sketch.sampled import SampledShingles
from spindetect.sources.document import Document

__all__ = [
    "AddReport",
    "Candidates",
    "ClusterRecord",
    "DocumentRecord",
    "DocumentTable",
    "Fingerprints",
    "PairRecord",
    "PairVerdicts",
    "Progress",
    "ScanResult",
    "as_documents",
]

#: A progress callback: ``progress(stage, done, total)`` (``total`` None while unknown).
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Fingerprints:
    """Fingerprints of a batch of documents (rows follow document order)."""

    signatures: Mapping[str, np.ndarray]
    samples: SampledShingles

    def __len__(self) -> int:
        return len(self.samples)

    def rows(self, lo: int, hi: int) -> Fingerprints:
        """Return the fingerprints of documents ``lo`` to ``hi - 1`` (views, no copy)."""
        s = self.samples
        start, end = int(s.offsets[lo]), int(s.offsets[hi])
        return Fingerprints(
            {k: v[lo:hi] for k, v in self.signatures.items()},
            SampledShingles(s.hashes[start:end], s.offsets[lo : hi + 1] - start, s.totals[lo:hi]),
        )

    @classmethod
    def concatenate(cls, parts: Sequence[Fingerprints]) -> Fingerprints:
        """Join the fingerprints of consecutive batches."""
        keys = parts[0].signatures.keys() if parts else ()
        return cls(
            {k: np.concatenate([p.signatures[k] for p in parts]) for k in keys},
            SampledShingles.concatenate([p.samples for p in parts]),
        )


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs ``i < j`` with the number of samples they share.

    ``bands`` holds the (bands, rows) each table used, by table label.
    """

    pairs: np.ndarray
    shared: np.ndarray
    from_lsh: int
    from_samples: int
    skipped_buckets: int
    bands: Mapping[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class PairVerdicts:
    """Verified pairs: indices, fast scores, verdicts and confidences."""

    pairs: np.ndarray
    skeleton: np.ndarray
    content: np.ndarray
    shared: np.ndarray
    verdicts: np.ndarray  # object array of str
    confidence: np.ndarray
    passage: np.ndarray | None = None  # passage score, NaN where not computed

    def __len__(self) -> int:
        return int(self.pairs.shape[0])

    def passages(self) -> np.ndarray:
        """Return the passage scores (NaN for pairs judged without one)."""
        if self.passage is None:
            return np.full(len(self), np.nan)
        return self.passage

    @classmethod
    def empty(cls) -> PairVerdicts:
        """No pairs."""
        return cls(
            np.empty((0, 2), np.int64),
            np.empty(0),
            np.empty(0),
            np.empty(0, np.int64),
            np.empty(0, dtype=object),
            np.empty(0),
            np.empty(0),
        )

    @classmethod
    def concatenate(
        cls, parts: Sequence[PairVerdicts | tuple[PairVerdicts, np.ndarray]]
    ) -> PairVerdicts:
        """Join verdicts, in order; a ``(verdicts, pairs)`` part renumbers its pairs."""
        items = [(p, p.pairs) if isinstance(p, PairVerdicts) else p for p in parts]
        if not items:
            return cls.empty()
        return cls(
            np.concatenate([p.reshape(-1, 2) for _, p in items]).astype(np.int64),
            np.concatenate([v.skeleton for v, _ in items]),
            np.concatenate([v.content for v, _ in items]),
            np.concatenate([v.shared for v, _ in items]).astype(np.int64),
            np.concatenate([v.verdicts for v, _ in items]),
            np.concatenate([v.confidence for v, _ in items]),
            np.concatenate([v.passages() for v, _ in items]),
        )

    def take(self, mask: np.ndarray) -> PairVerdicts:
        """Return the pairs where ``mask`` is true."""
        return PairVerdicts(
            self.pairs[mask],
            self.skeleton[mask],
            self.content[mask],
            self.shared[mask],
            self.verdicts[mask],
            self.confidence[mask],
            self.passages()[mask],
        )


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
        return {
            "type": "pair",
            "a": self.a,
            "b": self.b,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "cluster": self.cluster,
        }


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
    urls: dict[str, str] = field(default_factory=dict)
    """The URL of each member that has one (id -> URL)."""

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """JSONL record ``{"type": "cluster", ...}``."""
        return {
            "type": "cluster",
            "id": self.id,
            "size": self.size,
            "members": list(self.members),
            "representative": self.representative,
            "verdicts": self.verdicts,
            "titles": self.titles,
            "urls": self.urls,
            "distinct_titles": len({t for t in self.titles.values() if t}),
            "links": self.links,
            "beneficiaries": self.beneficiaries,
            "explained": self.explained,
            "title_mismatch": self.title_mismatch,
            "inserted": self.inserted,
            "template": self.template,
        }


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One document of the run and its spun score (:func:`spindetect.inspect_scores`).

    Every document gets one, whether or not it has copies, so that a crawl can be
    sorted by how likely each page is spun text, original or not in the crawl.
    """

    id: str
    spun_score: float

    def to_dict(self) -> dict[str, Any]:
        """JSONL record ``{"type": "document", "id": ..., "spun_score": ...}``."""
        return {"type": "document", "id": self.id, "spun_score": round(self.spun_score, 4)}


@dataclass
class DocumentTable:
    """Per-document metadata kept in memory while texts go to the spool.

    Titles and URLs are :class:`~spindetect.crawl.columns.StringColumn` by
    default (one UTF-8 buffer: ~115 MB less than lists of strings at 1M
    documents); lists work too.
    """

    ids: list[str] = field(default_factory=list)
    titles: list[str | None] | StringColumn = field(default_factory=StringColumn)
    urls: list[str | None] | StringColumn = field(default_factory=StringColumn)
    links: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, doc: Document) -> None:
        """Record one document's id, title, URL and link targets."""
        self.ids.append(doc.id)
        self.titles.append(doc.title)
        self.urls.append(doc.url)
        self.links.append(tuple(link.href for link in doc.links))

    def add_texts(self, documents: Iterable[Document | str | tuple[str, str]]) -> Iterator[str]:
        """Record every document (rules of :func:`as_documents`) and yield its text.

        Plain strings skip the :class:`Document` built for them (a scan of 100k
        strings saves ~0.1 s).
        """
        for k, doc in enumerate(documents):
            if isinstance(doc, str):
                self.ids.append(str(k))
                self.titles.append(None)
                self.urls.append(None)
                self.links.append(())
                yield doc
            else:
                document = _as_document(k, doc)
                self.add(document)
                yield document.text


@dataclass
class ScanResult:
    """Pairs, families and counts of one scan; iterating yields pairs then clusters.

    ``documents`` holds every document's spun score in input order (empty when
    the scan ran without inspection).
    """

    pairs: list[PairRecord]
    clusters: list[ClusterRecord]
    summary: dict[str, Any]
    documents: list[DocumentRecord] = field(default_factory=list)

    def __iter__(self) -> Iterator[PairRecord | ClusterRecord]:
        yield from self.pairs
        yield from self.clusters

    def records(self) -> Iterator[dict[str, Any]]:
        """JSON-ready records: pairs, clusters, documents, then one ``{"type": "summary"}``."""
        for item in self:
            yield item.to_dict()
        for doc in self.documents:
            yield doc.to_dict()
        yield {"type": "summary", **self.summary}

    def most_spun(self, n: int) -> list[DocumentRecord]:
        """Return the ``n`` documents with the highest spun score (ties: input order)."""
        order = sorted(range(len(self.documents)), key=lambda i: -self.documents[i].spun_score)
        return [self.documents[i] for i in order[:n]]


def as_documents(documents: Iterable[Document | str | tuple[str, str]]) -> Iterator[Document]:
    """Accept documents, plain strings (ids "0", "1", ...) or ``(id, text)`` tuples."""
    for k, doc in enumerate(documents):
        yield _as_document(k, doc)


def _as_document(k: int, doc: Document | str | tuple[str, str]) -> Document:
    """Item ``k`` of :func:`as_documents` as a :class:`Document`."""
    if isinstance(doc, Document):
        return doc
    if isinstance(doc, str):
        return Document(id=str(k), text=doc)
    if isinstance(doc, (tuple, list)) and len(doc) == 2 and isinstance(doc[1], str):
        return Document(id=str(doc[0]), text=doc[1])
    raise InvalidParameterError(
        f"documents must hold Document, str or (id, text) tuples; item {k} is "
        f"{type(doc).__name__}: {doc!r:.60}"
    )


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
