"""Containment of the shorter text in the longer, in any order (pairwise.containment)."""

from __future__ import annotations

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.containment import containment

SOURCE = (
    "the committee approved the new budget for the regional hospital on monday . "
    "nurses had asked for more staff on the night shifts for two years . "
    "the plan adds forty beds to the children's ward and a second operating room ."
).split()


def _sentences(forms: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for f in forms:
        out[-1].append(f)
        if f == ".":
            out.append([])
    return [s for s in out if s]


def test_reordered_copy_is_fully_contained() -> None:
    parts = _sentences(SOURCE)
    reordered = [f for s in reversed(parts) for f in s]
    c = containment(reordered, SOURCE)
    assert c.share == 1.0
    assert c.tokens == len(reordered)
    for r in c.runs:  # every run is a word-for-word match
        assert reordered[r.s_first : r.s_last] == SOURCE[r.l_first : r.l_last]


@pytest.mark.parametrize("short_first", [True, False])
def test_excerpt_either_direction(short_first: bool) -> None:
    excerpt = _sentences(SOURCE)[1]
    args = (excerpt, SOURCE) if short_first else (SOURCE, excerpt)
    c = containment(*args)
    assert c.side == ("a" if short_first else "b")
    assert c.share == 1.0 and c.tokens == len(excerpt)


def test_function_word_runs_do_not_count() -> None:
    a = "one of the most of the time we went".split()
    b = "it is one of the most of the places".split()
    assert containment(a, b).tokens == 0


def test_same_subject_without_shared_sequences_scores_low() -> None:
    other = (
        "a regional hospital budget was approved by councillors this week . "
        "staff shortages at night worried nurses . children will get more beds ."
    ).split()
    assert containment(other, SOURCE).share < 0.2


def test_runs_do_not_overlap_and_share_matches_tokens() -> None:
    a = SOURCE[5:30] + "and then something else entirely happened".split() + SOURCE[:12]
    c = containment(a, SOURCE)
    covered = [t for r in c.runs for t in range(r.s_first, r.s_last)]
    assert len(covered) == len(set(covered)) == c.tokens
    assert c.share == pytest.approx(c.tokens / min(len(a), len(SOURCE)))
    assert all(len(r) >= 4 for r in c.runs)


def test_short_and_empty_inputs() -> None:
    assert containment([], SOURCE).share == 0.0
    assert containment(["budget"], ["budget"]).tokens == 0  # shorter than a run
    assert containment(["the", "new", "budget"], ["the", "new", "budget"], n=3).share == 1.0


def test_n_is_validated() -> None:
    with pytest.raises(InvalidParameterError, match="n"):
        containment(SOURCE, SOURCE, n=0)
