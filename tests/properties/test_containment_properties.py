"""Hypothesis properties of pairwise.containment."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.pairwise.containment import containment

VOCAB = st.sampled_from(["cat", "dog", "the", "of", "runs", "red", "hat", "a"])
WORDS = st.lists(VOCAB)
# Short enough that a run's start occurs at most 16 times in the longer text (the cap
# on positions tried), so the greedy tiling finds the whole copy.
SHORT = st.lists(VOCAB, max_size=5)


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_share_is_a_fraction_and_runs_match(a: list[str], b: list[str]) -> None:
    c = containment(a, b)
    short, long_ = (a, b) if c.side == "a" else (b, a)
    assert 0.0 <= c.share <= 1.0
    assert c.tokens == sum(len(r) for r in c.runs)
    for r in c.runs:
        assert short[r.s_first : r.s_last] == long_[r.l_first : r.l_last]
        assert len(r) >= 4


@settings(max_examples=200, deadline=None)
@given(SHORT, SHORT, SHORT)
def test_a_text_inside_a_longer_one_is_contained(
    pre: list[str], a: list[str], post: list[str]
) -> None:
    text = [*a, "zebra"]  # a content word, so the run counts
    if len(text) < 4:
        return
    longer = pre + text + post + ["extra"]
    assert containment(text, longer).share == 1.0
    assert containment(longer, text).share == 1.0  # either direction
