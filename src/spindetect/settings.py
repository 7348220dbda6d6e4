"""Settings: one home for every threshold and knob of the detector.

The crawl pipeline's :class:`ScanConfig` (LSH tables :class:`LshTable`, the
fast verification :class:`VerifyRules`, candidate limits), with defaults chosen
in ``docs/scan.md``. :meth:`ScanConfig.to_dict` names the parameters that must
match for stored fingerprints (an index) to be comparable. Imports only
:mod:`spindetect.sketch` (signature specs) and the validation helpers, so that
every layer above may read its settings from here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

from spindetect._validation import check_choice, check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.sketch import lsh
from spindetect.sketch.minhash import SignatureSpec

__all__ = ["CONTENT", "SKELETON", "LshTable", "ScanConfig", "VerifyRules"]


#: Signatures that verification scores every candidate with.
SKELETON = "skeleton:4"
CONTENT = "content"


@dataclass(frozen=True)
class LshTable:
    """One LSH table: a MinHash signature kind and the Jaccard threshold it targets.

    ``bands`` x ``rows`` come from :func:`spindetect.lsh.optimal_params` unless given.
    """

    kind: str
    n: int | None = None
    num_perm: int = 128
    threshold: float = 0.3
    bands: int | None = None
    rows: int | None = None

    def __post_init__(self) -> None:
        spec = SignatureSpec(self.kind, self.n, self.num_perm)  # validates kind/n/num_perm
        object.__setattr__(self, "n", spec.n)
        check_float("threshold", self.threshold, low=0.0, high=1.0)
        if (self.bands is None) != (self.rows is None):
            raise InvalidParameterError(
                f"bands and rows must be given together, got bands={self.bands!r}, "
                f"rows={self.rows!r}"
            )
        object.__setattr__(self, "_given_bands", self.bands is not None)
        if self.bands is None:
            bands, rows = lsh.optimal_params(self.threshold, self.num_perm)
            object.__setattr__(self, "bands", bands)
            object.__setattr__(self, "rows", rows)
        elif self.bands * self.rows > self.num_perm:  # type: ignore[operator]
            raise InvalidParameterError(
                f"bands * rows must be at most num_perm={self.num_perm}, "
                f"got {self.bands} * {self.rows}"
            )

    @property
    def label(self) -> str:
        """Key of this table's signatures: ``'skeleton:6'``, ``'content'``."""
        return SignatureSpec(self.kind, self.n, self.num_perm).label

    @property
    def spec(self) -> SignatureSpec:
        """The signature this table is built on."""
        return SignatureSpec(self.kind, self.n, self.num_perm)


@dataclass(frozen=True)
class VerifyRules:
    """Thresholds turning fast candidate scores into pair verdicts.

    With ``skel``/``cont`` the MinHash estimates of skeleton and content-word
    Jaccard, ``shared`` the sampled n-grams two documents share and ``conf`` the
    whole-copy confidence of :func:`scan_confidence`::

        near-duplicate  cont >= near_duplicate and cont >= skel  (edits hit words
                        evenly; a spinner hits content words, so cont < skel)
                        and conf >= min_confidence
        spun            (skel >= spun_skeleton and cont >= spun_content_min,
                        or cont >= spun_content) and conf >= min_confidence
        partial         shared >= partial_shared
        (rejected)      otherwise

    ``min_confidence`` keeps pages that share only boilerplate (verbatim text,
    little skeleton) from being called whole copies: they become ``partial``.

    A candidate none of these keeps is a ``partial`` copy when its passage
    score (:func:`spindetect.crawl.passages.passage_scores`: the best group of
    neighbouring sentence seeds, each counted by its cosine) is at least
    ``passage``: a rewritten, reordered or short passage inside two pages.
    """

    near_duplicate: float = 0.75
    spun_skeleton: float = 0.18
    spun_content_min: float = 0.15
    spun_content: float = 0.5
    partial_shared: int = 4
    min_confidence: float = 0.5
    passage: float = 0.8

    def __post_init__(self) -> None:
        for name in (
            "near_duplicate",
            "spun_skeleton",
            "spun_content_min",
            "spun_content",
            "min_confidence",
        ):
            check_float(name, getattr(self, name), low=0.0, high=1.0)
        check_float("passage", self.passage, low=0.0)
        check_int("partial_shared", self.partial_shared, low=1)


@dataclass(frozen=True)
class ScanConfig:
    """Settings of a scan (defaults chosen in ``docs/scan.md``)."""

    tables: tuple[LshTable, ...] = (
        LshTable("skeleton", 4, 128, 0.3),
        LshTable("content", 1, 128, 0.3),
    )
    seed: int = 1
    sample_n: int = 8
    sample_mod: int = 4
    min_shared: int = 4
    max_df: int = 64
    max_bucket: int = 256
    candidate_budget: float | None = 8.0
    rules: VerifyRules = field(default_factory=VerifyRules)
    function_words: Literal["auto", "english"] = "auto"
    passage_budget: int = 2_000

    def __post_init__(self) -> None:
        check_choice("function_words", self.function_words, ("auto", "english"))
        check_int("passage_budget", self.passage_budget, low=0)
        if self.candidate_budget is not None:
            check_float("candidate_budget", self.candidate_budget, low=0.0)
            given = [t.label for t in self.tables if getattr(t, "_given_bands", False)]
            if given:
                warnings.warn(
                    f"candidate_budget={self.candidate_budget} chooses the bands and rows of "
                    f"every table, so those given for {', '.join(given)} are not used; pass "
                    "candidate_budget=None to keep them",
                    UserWarning,
                    stacklevel=3,
                )
        if not self.tables:
            raise InvalidParameterError("tables must hold at least one LshTable, got none")
        check_int("sample_n", self.sample_n, low=1, high=64)
        check_int("sample_mod", self.sample_mod, low=1)
        check_int("min_shared", self.min_shared, low=1)
        check_int("max_df", self.max_df, low=2)
        check_int("max_bucket", self.max_bucket, low=2)

    def specs(self) -> dict[str, SignatureSpec]:
        """Signature specs needed by the tables and by verification."""
        specs = {t.label: t.spec for t in self.tables}
        specs.setdefault(SKELETON, SignatureSpec("skeleton", 4, 128))
        specs.setdefault(CONTENT, SignatureSpec("content", 1, 128))
        return specs

    def to_dict(self) -> dict[str, Any]:
        """Parameters that must match for fingerprints to be comparable (stored in indexes)."""
        return {
            "seed": self.seed,
            "tables": [[t.kind, t.n, t.num_perm, t.bands, t.rows] for t in self.tables],
            "sample": [self.sample_n, self.sample_mod],
        }
