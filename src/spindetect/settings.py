"""Settings: one home for every threshold and knob of the detector.

The crawl pipeline's :class:`ScanConfig` (LSH tables :class:`LshTable`, the
fast verification :class:`VerifyRules`, candidate limits), with defaults chosen
in ``docs/scan.md``, and the pairwise comparison's :class:`VerdictRules`
(defaults chosen in ``docs/compare.md``). Each is a frozen dataclass that
validates in ``__post_init__`` with messages naming the parameter and its
value; :class:`VerdictRules`, :class:`VerifyRules` and :class:`ScanConfig` take
keyword arguments only. :meth:`ScanConfig.to_dict` names the parameters that
must match for stored fingerprints (an index) to be comparable. Imports only
:mod:`spindetect.sketch` (signature specs) and the validation helpers, so that
every layer above may read its settings from here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

from spindetect._validation import check_choice, check_float, check_instance, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.sketch import lsh
from spindetect.sketch.minhash import SignatureSpec

__all__ = ["CONTENT", "SKELETON", "LshTable", "ScanConfig", "VerdictRules", "VerifyRules"]


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


@dataclass(frozen=True, kw_only=True)
class VerdictRules:
    """Thresholds of the verdict of :func:`spindetect.compare` (chosen in ``docs/compare.md``).

    With ``cov_a``/``cov_b`` the share of each body's tokens inside aligned
    sentence pairs and ``kept`` the share of aligned tokens left unchanged::

        identical       the two texts have the same token sequence
        near-duplicate  min(cov) >= copy_coverage, kept >= near_duplicate_kept, and
                        the changes do not look spun (see below)
        spun            min(cov) >= copy_coverage and kept >= spun_kept
        partial         aligned words (the smaller side) >= partial_tokens,
                        kept >= partial_kept, and either max(cov) >= copy_coverage
                        or kept >= near_duplicate_kept (a verbatim passage);
                        or, in any order, containment >= contained_share with
                        >= contained_tokens tokens in shared runs, one of them
                        >= contained_run tokens long (reordered cut-and-paste,
                        excerpts: :mod:`spindetect.pairwise.containment`;
                        contained_share by leave-one-group-out,
                        ``tools/calibrate_containment.py``); or one shared run
                        >= contained_passage tokens at any share (a passage reused
                        inside two long texts); or a seeded passage score
                        >= passage_score (a rewritten passage, any language:
                        :func:`spindetect.pairwise.passages.passage_scores`;
                        docs/compare.md), or >= weighted_passage_score when
                        the collection's vocabulary weighs the words (the
                        scan's rule, ``VerifyRules.passage``)
        unrelated       otherwise

    Changes look spun when at least ``spin_swaps`` substitutions have a lexicon
    relation of weight >= 0.8 (synonym, function word, one hop) and
    ``synonym_evidence >= spin_evidence``: a lightly spun copy is still *spun*.
    A title whose similarity to its own body is below ``title_threshold`` is
    reported as a mismatch.
    """

    copy_coverage: float = 0.5
    near_duplicate_kept: float = 0.9
    spun_kept: float = 0.3
    partial_tokens: int = 40
    partial_kept: float = 0.5
    spin_swaps: int = 3
    spin_evidence: float = 0.4
    title_threshold: float = 0.5
    contained_share: float = 0.2
    contained_tokens: int = 20
    contained_run: int = 8
    contained_passage: int = 30
    passage_score: float = 2.5
    weighted_passage_score: float = 0.8

    def __post_init__(self) -> None:
        check_float("copy_coverage", self.copy_coverage, low=0.0, high=1.0)
        check_float("near_duplicate_kept", self.near_duplicate_kept, low=0.0, high=1.0)
        check_float("spun_kept", self.spun_kept, low=0.0, high=1.0)
        check_int("partial_tokens", self.partial_tokens, low=0)
        check_float("partial_kept", self.partial_kept, low=0.0, high=1.0)
        check_int("spin_swaps", self.spin_swaps, low=0)
        check_float("spin_evidence", self.spin_evidence, low=0.0, high=1.0)
        check_float("title_threshold", self.title_threshold, low=0.0, high=1.0)
        check_float("contained_share", self.contained_share, low=0.0, high=1.0)
        check_int("contained_tokens", self.contained_tokens, low=0)
        check_int("contained_run", self.contained_run, low=1)
        check_int("contained_passage", self.contained_passage, low=1)
        check_float("passage_score", self.passage_score, low=0.0)
        check_float("weighted_passage_score", self.weighted_passage_score, low=0.0)


@dataclass(frozen=True, kw_only=True)
class VerifyRules:
    """Thresholds turning fast candidate scores into pair verdicts.

    With ``skel``/``cont`` the MinHash estimates of skeleton and content-word
    Jaccard, ``shared`` the sampled n-grams two documents share and ``conf`` the
    whole-copy confidence of :func:`scan_confidence`::

        near-duplicate  cont >= near_duplicate and cont >= skel  (edits hit words
                        evenly; a spinner hits content words, so cont < skel)
                        and conf >= min_confidence
        spun            (skel >= spun_skeleton and cont >= spun_content_min,
                        or cont >= spun_content) and conf >= min_confidence;
                        or cont >= reordered_content and shared < partial_shared
                        (the same content words in another order: shuffled
                        words or sentences keep no skeleton, and their
                        verbatim 8-grams are few)
        partial         shared >= partial_shared
        (rejected)      otherwise

    ``min_confidence`` keeps pages that share only boilerplate (verbatim text,
    little skeleton) from being called whole copies: they become ``partial``.
    ``reordered_content`` = 0.4: on the candidates of every real set (the set's
    own crawl: pan11-pairs, mpc-dev, wiki-versions-dev, textreuse, pan13, and
    the generated crawl), no non-copy rejected by the other rules reaches it
    (one same-series wiki page pair reaches 0.35), while 12 of pan11-pairs'
    algorithmically obfuscated passages (shuffled words, skeleton ~0) did.

    A candidate none of these keeps is a ``partial`` copy when its passage
    score (:func:`spindetect.pairwise.passages.passage_scores`: the best group of
    neighbouring sentence seeds, each counted by its cosine) is at least
    ``passage``: a rewritten, reordered or short passage inside two pages.
    Sentences seed at cosine and Dice ``>= passage_seed``, and a group counts
    only when chance does not explain it (``-log10`` Poisson tail ``>=
    passage_concentration``) or it covers half the shorter text. The three
    were chosen by ``benchmarks/calibrate_passages.py`` (2-fold on
    ``indo-pan-dev`` with a generated crawl of another seed as negatives).
    """

    near_duplicate: float = 0.75
    spun_skeleton: float = 0.18
    spun_content_min: float = 0.15
    spun_content: float = 0.5
    partial_shared: int = 4
    min_confidence: float = 0.5
    reordered_content: float = 0.4
    passage: float = 0.8
    passage_seed: float = 0.35
    passage_concentration: float = 2.0

    def __post_init__(self) -> None:
        for name in (
            "near_duplicate",
            "spun_skeleton",
            "spun_content_min",
            "spun_content",
            "min_confidence",
            "reordered_content",
            "passage_seed",
        ):
            check_float(name, getattr(self, name), low=0.0, high=1.0)
        check_float("passage", self.passage, low=0.0)
        check_float("passage_concentration", self.passage_concentration, low=0.0)
        check_int("partial_shared", self.partial_shared, low=1)


@dataclass(frozen=True, kw_only=True)
class ScanConfig:
    """Settings of a scan (defaults chosen in ``docs/scan.md``)."""

    tables: tuple[LshTable, ...] = (
        LshTable("skeleton", 4, 128, 0.3),
        LshTable("content", 1, 128, 0.3),
    )
    seed: int = 1
    sample_n: int = 8
    sample_mod: int = 4
    min_shared: int = 3
    max_df: int = 64
    max_bucket: int = 256
    candidate_budget: float | None = 8.0
    rules: VerifyRules = field(default_factory=VerifyRules)
    function_words: Literal["auto", "english"] = "auto"
    passage_budget: int = 2_000

    def __post_init__(self) -> None:
        check_instance("rules", self.rules, VerifyRules, optional=False)
        if not isinstance(self.tables, tuple) or not all(
            isinstance(t, LshTable) for t in self.tables
        ):
            raise InvalidParameterError(
                f"tables must be a tuple of LshTable, got {self.tables!r:.60}"
            )
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
