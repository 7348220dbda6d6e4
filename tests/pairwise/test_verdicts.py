"""Tests for spindetect.pairwise.verdicts: scores and counts -> verdict and confidence."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from spindetect.pairwise.verdicts import (
    COPY_VERDICTS,
    VERDICTS,
    contained_copy,
    judge,
    logistic,
    verdict_confidence,
)
from spindetect.settings import VerdictRules

RULES = VerdictRules()


def scores(**given: float) -> dict[str, float]:
    """Return the scores of an unrelated pair, with ``given`` overriding."""
    base = {
        "coverage_a": 0.0,
        "coverage_b": 0.0,
        "kept": 0.0,
        "tfidf_cosine": 0.0,
        "synonym_evidence": 0.0,
        "containment": 0.0,
        "passage": 0.0,
    }
    return {**base, **given}


def stats(**given: int) -> dict[str, int]:
    """Return the counts of an unrelated pair, with ``given`` overriding."""
    return {
        **{"related_swaps": 0, "aligned_tokens": 0, "contained_tokens": 0, "longest_run": 0},
        **given,
    }


def test_identical_wins_over_any_score() -> None:
    assert judge(scores(), stats(), RULES, identical=True) == "identical"
    assert verdict_confidence("identical", scores()) == 1.0


def test_whole_copies_by_coverage_and_kept_share() -> None:
    cov = RULES.copy_coverage
    near = scores(coverage_a=cov, coverage_b=cov, kept=RULES.near_duplicate_kept)
    assert judge(near, stats(), RULES) == "near-duplicate"
    spun_like = stats(related_swaps=RULES.spin_swaps)
    near_spun = {**near, "synonym_evidence": RULES.spin_evidence}
    assert judge(near_spun, spun_like, RULES) == "spun"  # swaps that look like a spinner's
    assert (
        judge(scores(coverage_a=cov, coverage_b=cov, kept=RULES.spun_kept), stats(), RULES)
        == "spun"
    )
    assert judge(scores(coverage_a=cov, coverage_b=cov - 0.01, kept=1.0), stats(), RULES) != "spun"


def test_each_containment_rule_alone_makes_a_partial_copy() -> None:
    assert judge(scores(), stats(), RULES) == "unrelated"
    run = stats(longest_run=RULES.contained_passage)
    assert contained_copy(scores(), run, RULES) and judge(scores(), run, RULES) == "partial"
    seeded = scores(passage=RULES.passage_score)
    assert contained_copy(seeded, stats(), RULES)
    share = scores(containment=RULES.contained_share)
    counts = stats(contained_tokens=RULES.contained_tokens, longest_run=RULES.contained_run)
    assert contained_copy(share, counts, RULES)
    assert not contained_copy(share, {**counts, "longest_run": RULES.contained_run - 1}, RULES)


def test_confidence_of_a_non_copy_is_the_complement() -> None:
    s = scores(coverage_a=0.3, coverage_b=0.3, kept=0.4, tfidf_cosine=0.5)
    copy = verdict_confidence("spun", s)
    assert math.isclose(verdict_confidence("unrelated", s), 1.0 - copy)
    assert set(VERDICTS) - COPY_VERDICTS == {"unrelated"}


@given(st.floats(allow_nan=False, allow_infinity=True))
def test_logistic_is_a_probability_and_never_overflows(z: float) -> None:
    p = logistic(z)
    assert 0.0 <= p <= 1.0
    assert math.isclose(logistic(-z) + p, 1.0, abs_tol=1e-12) or abs(z) > 50
