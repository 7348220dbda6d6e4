"""The verdict of a compared pair and its confidence, from the pair's scores and counts.

:func:`~spindetect.pairwise.comparison.compare` measures a pair (coverage, kept
share, TF-IDF cosine, synonym evidence, containment, the seeded passage score,
runs); this module turns those figures into one of :data:`VERDICTS` with
:func:`judge` (the rules of :class:`~spindetect.settings.VerdictRules`) and a
probability-like confidence with :func:`verdict_confidence`. It imports only the
rules, so the thresholds can be read and tested without texts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from spindetect.settings import VerdictRules

__all__ = ["COPY_VERDICTS", "VERDICTS", "contained_copy", "judge", "logistic", "verdict_confidence"]

VERDICTS = ("identical", "near-duplicate", "spun", "partial", "unrelated")
COPY_VERDICTS = frozenset({"identical", "near-duplicate", "spun", "partial"})


def judge(
    scores: Mapping[str, float],
    stats: Mapping[str, int],
    rules: VerdictRules,
    *,
    identical: bool = False,
) -> str:
    """Return the verdict of a pair from its scores and counts (rules in ``docs/compare.md``).

    ``identical`` (the two token sequences are equal) wins; then, with ``cov`` the
    shorter coverage and ``kept`` the aligned share: ``near-duplicate`` when both
    cover and keep enough and the swaps do not look like spinning, ``spun`` when
    they cover and keep less, ``partial`` for an aligned passage or a contained
    copy (:func:`contained_copy`), else ``unrelated``.
    """
    if identical:
        return "identical"
    cov_min = min(scores["coverage_a"], scores["coverage_b"])
    cov_max = max(scores["coverage_a"], scores["coverage_b"])
    kept = scores["kept"]
    spin_like = (
        stats["related_swaps"] >= rules.spin_swaps
        and scores["synonym_evidence"] >= rules.spin_evidence
    )
    if cov_min >= rules.copy_coverage and kept >= rules.near_duplicate_kept and not spin_like:
        return "near-duplicate"
    if cov_min >= rules.copy_coverage and kept >= rules.spun_kept:
        return "spun"
    if (
        stats["aligned_tokens"] >= rules.partial_tokens
        and kept >= rules.partial_kept
        and (cov_max >= rules.copy_coverage or kept >= rules.near_duplicate_kept)
    ):
        return "partial"
    if contained_copy(scores, stats, rules):
        return "partial"
    return "unrelated"


def contained_copy(
    scores: Mapping[str, float], stats: Mapping[str, int], rules: VerdictRules
) -> bool:
    """Tell a copy contained in any order: runs, one long run, or a seeded passage.

    ``scores`` must hold ``passage`` (the seeded passage score,
    :func:`~spindetect.pairwise.passages.passage_scores`) beside the public scores.
    """
    share_rule = (
        scores["containment"] >= rules.contained_share
        and stats["contained_tokens"] >= rules.contained_tokens
        and stats["longest_run"] >= rules.contained_run
    )
    return (
        share_rule
        or stats["longest_run"] >= rules.contained_passage
        or scores["passage"] >= rules.passage_score
    )


def verdict_confidence(
    verdict: str,
    scores: Mapping[str, float],
    contained: VerdictRules | None = None,
    longest_run: int = 0,
) -> float:
    """Probability-like certainty that the verdict holds (logistic model, docs/compare.md).

    A ``partial`` verdict read from containment (``contained`` holds the rules)
    takes at least :math:`1 / (1 + e^{-10 (share - contained\\_share)})`: 0.5 at
    the threshold, 0.88 at 0.2 above it, and at least
    :math:`1 / (1 + e^{-(run - contained\\_passage) / 10})` for the longest shared
    run (0.88 at 20 tokens beyond the threshold); slopes set, not fit.
    """
    if verdict == "identical":
        return 1.0
    cov = min(scores["coverage_a"], scores["coverage_b"])
    # Coefficients of a logistic regression of copy vs non-copy on generated spun pairs,
    # SpinBot pairs and non-copies (benchmarks/calibrate_compare.py).
    z = (
        -6.69
        + 4.76 * cov
        + 1.95 * scores["kept"]
        + 2.18 * scores["tfidf_cosine"]
        + 3.71 * scores["synonym_evidence"]
    )
    p_copy = logistic(z)
    if contained is not None:
        margin = scores["containment"] - contained.contained_share
        passage = (longest_run - contained.contained_passage) / 10.0
        seeded = 2.0 * (scores["passage"] - contained.passage_score)
        p_copy = max(p_copy, logistic(10.0 * margin), logistic(passage), logistic(seeded))
    return p_copy if verdict in COPY_VERDICTS else 1.0 - p_copy


def logistic(z: float) -> float:
    """Return :math:`1 / (1 + e^{-z})`, z clipped to [-50, 50] (no overflow)."""
    return 1.0 / (1.0 + math.exp(-min(50.0, max(-50.0, z))))
