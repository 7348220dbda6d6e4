"""Tests of the leave-one-corpus-out calibration helpers (``benchmarks/calibrate_real.py``)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import spindetect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import calibrate_real as C  # noqa: E402

N = 40
unit = arrays(np.float64, N, elements=st.floats(0.0, 1.0))
counts = arrays(np.float64, N, elements=st.integers(0, 200).map(float))


@st.composite
def pair_features(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """Random measured scores of ``N`` pairs, as compare reports them."""
    a, b = draw(unit), draw(unit)
    return {
        "coverage_min": np.minimum(a, b),
        "coverage_max": np.maximum(a, b),
        "kept": draw(unit),
        "aligned_tokens": draw(counts),
        "related_swaps": draw(arrays(np.float64, N, elements=st.integers(0, 6).map(float))),
        "synonym_evidence": draw(unit),
        "identical": draw(arrays(np.bool_, N)),
    }


@st.composite
def verdict_rules(draw: st.DrawFn) -> dict[str, float]:
    """Random valid VerdictRules as a dict."""
    p = st.floats(0.0, 1.0)
    return dataclasses.asdict(
        spindetect.VerdictRules(
            copy_coverage=draw(p),
            near_duplicate_kept=draw(p),
            spun_kept=draw(p),
            partial_tokens=draw(st.integers(0, 150)),
            partial_kept=draw(p),
            spin_swaps=draw(st.integers(0, 6)),
            spin_evidence=draw(p),
        )
    )


@settings(deadline=None, max_examples=60)
@given(pair_features(), verdict_rules())
def test_fast_pair_flags_agree_with_the_verdicts(
    f: dict[str, np.ndarray], rules: dict[str, float]
) -> None:
    """The fast flag path is the verdict path's ``!= "unrelated"``."""
    assert (C.pair_flags(f, rules) == (C.pair_verdicts(f, rules) != "unrelated")).all()


@settings(deadline=None, max_examples=60)
@given(unit, unit, counts, unit, st.floats(0, 1), st.floats(0, 1), st.integers(1, 20))
def test_fast_crawl_flags_agree_with_the_verdicts(
    skel: np.ndarray,
    cont: np.ndarray,
    shared: np.ndarray,
    conf: np.ndarray,
    spun_skeleton: float,
    min_confidence: float,
    partial_shared: int,
) -> None:
    """Kept and whole masks match the verdict names of :func:`crawl_verdicts`."""
    rules = dataclasses.asdict(
        spindetect.VerifyRules(
            spun_skeleton=spun_skeleton,
            min_confidence=min_confidence,
            partial_shared=partial_shared,
        )
    )
    f = {"skeleton": skel, "content": cont, "shared": shared, "confidence": conf}
    verdicts = C.crawl_verdicts(f, rules, lambda *_: conf)
    kept, whole = C.crawl_flags(f, rules)
    assert (kept == (verdicts != "")).all()
    assert (whole == np.isin(verdicts, ["near-duplicate", "spun"])).all()


TEXT = (
    "Support groups bring together people who face the same illness or loss. "
    "Members share their experience and learn ways of coping from each other. "
    "Many groups meet weekly in a hospital, a library or a community centre. "
    "Some meet online, which helps people who live far away or cannot travel. "
    "A trained facilitator often keeps the meeting on track and safe for all. "
)

#: A long passage that is not in TEXT: TEXT + EXTRA contains TEXT (a partial copy).
EXTRA = (
    "Tomatoes need full sun, steady water and rich soil to give a good crop in summer. "
    "Gardeners stake the plants early so the stems do not break under the fruit. "
    "Mulch keeps the roots cool and the soil moist through the hottest weeks. "
    "Pick the fruit when it is firm and red, and store it away from the fridge. "
    "Old varieties often taste better than the ones sold in supermarkets today. "
    "Seeds saved from the best plants can be sown again the next spring. "
    "Rotate the beds each year so that pests and diseases do not build up. "
)


@pytest.mark.parametrize(
    "other",
    [
        TEXT,
        TEXT.replace("weekly", "every week").replace("learn", "discover"),
        TEXT.replace("people", "folks").replace("share", "trade").replace("ways", "means"),
        TEXT + "An unrelated closing remark about the weather and the price of bread today.",
        TEXT + EXTRA,
        EXTRA,
    ],
)
def test_replica_of_the_verdict_rule_agrees_with_compare(other: str) -> None:
    """Re-deriving compare's verdict from its own scores gives compare's verdict.

    Fails when the rule in ``src/`` changes without ``pair_verdicts`` following it.
    """
    row = C._compare_features((TEXT, other))
    f = C.pairwise_features([row])
    base = dataclasses.asdict(spindetect.VerdictRules())
    assert C.pair_verdicts(f, base)[0] == row["verdict"]


def test_parse_grid_reads_ranges_and_lists_and_rejects_unknown_names() -> None:
    """``lo:hi:step`` includes both ends; a name outside the rules class is an error."""
    got = C.parse_grid(
        ["copy_coverage=0.3:0.5:0.1", "partial_tokens=10,20"], spindetect.VerdictRules
    )
    assert got == {"copy_coverage": (0.3, 0.4, 0.5), "partial_tokens": (10.0, 20.0)}
    with pytest.raises(ValueError, match="grid name"):
        C.parse_grid(["not_a_rule=1"], spindetect.VerdictRules)
    with pytest.raises(ValueError, match="step"):
        C.parse_grid(["copy_coverage=0.1:0.5:0"], spindetect.VerdictRules)


def test_parse_rules_overrides_and_validates() -> None:
    """Overrides keep the field's type; the rules class validates the value."""
    got = C.parse_rules(["partial_tokens=30", "spun_skeleton=0.2"], spindetect.VerdictRules)
    assert got.partial_tokens == 30 and isinstance(got.partial_tokens, int)
    with pytest.raises(spindetect.InvalidParameterError):
        C.parse_rules(["copy_coverage=2"], spindetect.VerdictRules)


def test_grid_points_always_hold_the_base_rules() -> None:
    """The base is a candidate even off the grid, so a fit never does worse in-sample."""
    base = spindetect.VerdictRules()
    points = C.grid_points(base, {"copy_coverage": (0.1, 0.2)})
    assert dataclasses.asdict(base) in points
    assert len(points) == 3


def _counts(tp: list[list[int]], fp: list[list[int]], pos: list[int], neg: list[int]) -> C.Counts:
    t, f = np.array(tp), np.array(fp)
    return C.Counts(t, f, t.copy(), np.array(pos), np.array(neg))


def test_choose_maximises_recall_within_the_false_positive_budget() -> None:
    """Point 2 has the best recall but breaks the budget; point 1 is chosen."""
    counts = _counts([[5, 5], [8, 9], [10, 10]], [[0, 0], [0, 1], [5, 5]], [10, 10], [100, 100])
    train = np.array([True, True])
    assert C.choose(counts, train, np.zeros(3), max_fpr=0.01) == 1
    assert C.choose(counts, train, np.zeros(3), max_fpr=0.0) == 0
    assert C.choose(counts, train, np.zeros(3), min_precision=0.5) == 2


def test_loco_measures_each_corpus_with_rules_fit_without_it() -> None:
    """Corpus 0 alone would pick point 1; fit without it, point 0 is chosen and measured."""
    # point 0: good on corpus 1; point 1: good on corpus 0, many false positives on corpus 1
    counts = _counts([[2, 10], [10, 3]], [[0, 0], [0, 50]], [10, 10], [100, 100])
    got = C.loco(counts, ["x", "y"], np.zeros(2), max_fpr=0.01)
    assert got["folds"]["x"]["point"] == 0
    assert got["folds"]["x"]["tp"] == 2
    assert got["held_out"]["pos"] == 20


def test_expected_calibration_error() -> None:
    """Zero when the probabilities match the outcomes' shares; the gap otherwise."""
    y = np.array([0, 1, 0, 1])
    assert C.expected_calibration_error(np.full(4, 0.5), y) == pytest.approx(0.0)
    assert C.expected_calibration_error(np.full(4, 0.9), y) == pytest.approx(0.4)


def test_loco_logistic_recovers_a_separable_rule_and_scores_held_out_corpora() -> None:
    """Held-out probabilities of a separable feature rank every copy above every non-copy."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (200, 1))
    y = x[:, 0] > 0.5
    corpus = np.repeat([0, 1, 2, 3], 50)
    got = C.loco_logistic(x, y, corpus, ["a", "b", "c", "d"], np.full(200, 0.5), ["f"])
    assert got["pooled"]["loco"]["auc"] > 0.99  # each fold's model differs a little
    assert got["pooled"]["in_force"]["auc"] == pytest.approx(0.5)
    assert got["proposed"]["f"] > 0
    assert set(got["corpora"]) == {"a", "b", "c", "d"}


def test_confidence_features_must_be_measured_scores() -> None:
    """A feature name compare does not report is an error naming it."""
    row = {
        "corpus": "x",
        "label": True,
        "verdict": "spun",
        "confidence": 0.9,
        "kept": 0.5,
        "coverage_a": 0.7,
        "coverage_b": 0.8,
    }
    with pytest.raises(ValueError, match="no_such_score"):
        C.calibrate_confidence([row], ["no_such_score"])
