"""Property tests of spindetect.shingle: set similarity bounds and shingle counts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.text.shingles import char_shingles, containment, jaccard, word_shingles

SETS = st.lists(st.integers(0, 40), max_size=30).map(
    lambda xs: np.unique(np.array(xs, dtype=np.uint64))
)
WORDS = st.lists(st.sampled_from(["the", "a", "cat", "dog", "sat", "on", "mat", "x"]), max_size=25)
N = st.integers(1, 8)


@settings(max_examples=200, deadline=None)
@given(SETS, SETS)
def test_jaccard_symmetric_and_bounded(a: np.ndarray, b: np.ndarray) -> None:
    j = jaccard(a, b)
    assert j == jaccard(b, a)
    assert 0.0 <= j <= 1.0
    # Oracle: Python sets.
    sa, sb = set(a.tolist()), set(b.tolist())
    expected = 1.0 if not sa | sb else len(sa & sb) / len(sa | sb)
    assert j == expected


@settings(max_examples=100, deadline=None)
@given(SETS)
def test_jaccard_of_a_set_with_itself_is_one(a: np.ndarray) -> None:
    assert jaccard(a, a) == 1.0
    assert jaccard(a, a.copy()) == 1.0


@settings(max_examples=200, deadline=None)
@given(SETS, SETS)
def test_containment_bounded_and_bounds_jaccard(a: np.ndarray, b: np.ndarray) -> None:
    c = containment(a, b)
    assert 0.0 <= c <= 1.0
    sa, sb = set(a.tolist()), set(b.tolist())
    assert c == (1.0 if not sa else len(sa & sb) / len(sa))
    if a.size:
        # |A ∩ B| / |A ∪ B| <= |A ∩ B| / |A|
        assert jaccard(a, b) <= c


@settings(max_examples=150, deadline=None)
@given(WORDS, N)
def test_word_shingle_count(words: list[str], n: int) -> None:
    out = word_shingles(words, n)
    bound = max(len(words) - n + 1, 1) if words else 0
    windows = {tuple(words[i : i + n]) for i in range(bound)}
    assert len(out) <= bound
    # Distinct windows <-> distinct hashes (no collisions at this size).
    assert len(out) == len(windows)
    assert out.dtype == np.uint64
    assert np.all(out[1:] > out[:-1])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(st.characters(categories=["Ll"]), min_size=1, max_size=6), max_size=20, unique=True
    ),
    N,
)
def test_distinct_words_give_exact_count(words: list[str], n: int) -> None:
    expected = max(len(words) - n + 1, 1) if words else 0
    assert len(word_shingles(words, n)) == expected


ASCII_TEXT = st.text(st.sampled_from(list("abcXYZ .,'\n\t")), max_size=60)


@settings(max_examples=100, deadline=None)
@given(ASCII_TEXT, st.integers(1, 6))
def test_char_shingles_fold_case(text: str, n: int) -> None:
    assert char_shingles(text.swapcase(), n).tolist() == char_shingles(text, n).tolist()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.integers(1, 6))
def test_char_shingles_fold_white_space(text: str, n: int) -> None:
    spaced = " \n" + text.replace(" ", " \t \u00a0 ") + "\r\n "
    assert char_shingles(spaced, n).tolist() == char_shingles(text, n).tolist()
