"""Property tests of spindetect.minhash: kernel == reference path, estimator accuracy, merge."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.sketch.minhash import MinHasher, estimate_jaccard, merge, multi_signatures
from spindetect.text.shingles import content_shingles, jaccard, skeleton_shingles, word_shingles
from spindetect.text.tokens import tokenize

# A restricted alphabet that exercises every branch of the kernel's tokenizer:
# ASCII letters and digits, both apostrophes, separators, Latin-1 letters with
# simple and multi-character normal forms, a CJK ideograph and whole stopwords.
PIECES = st.sampled_from(
    [
        *"aAbZz09_ '\u2019\u2018.,-\n\u00e9\u00c9\u00df\u00b5\u00aa\u00bd\u00ff\u4e2d",
        "the ",
        "of ",
        "it's ",
        "don\u2019t ",
        "and ",
        "Is ",
        "cat ",
        "mat ",
        "''",
        "'\u2019",
    ]
)
TEXT = st.lists(PIECES, max_size=60).map("".join)
HASHER = MinHasher(32, seed=3)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4), st.integers(1, 6), st.integers(1, 5))
def test_kernel_equals_reference_path(texts: list[str], n_word: int, n_skel: int) -> None:
    out = multi_signatures(
        texts,
        {"w": ("word", n_word, 32), "s": ("skeleton", n_skel, 32), "c": ("content", None, 32)},
        seed=3,
        threads=1,
    )
    for i, text in enumerate(texts):
        forms = tokenize(text).forms
        assert np.array_equal(out["w"][i], HASHER.signature(word_shingles(forms, n_word)))
        assert np.array_equal(out["s"][i], HASHER.signature(skeleton_shingles(forms, n_skel)))
        assert np.array_equal(out["c"][i], HASHER.signature(content_shingles(forms)))


ASCII_TEXT = st.lists(
    st.sampled_from([*list("abZ09_ '.,\n"), "the ", "it's ", "''"]), max_size=60
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(ASCII_TEXT, min_size=1, max_size=4), st.integers(1, 6))
def test_ascii_fast_path_equals_reference_path(texts: list[str], n: int) -> None:
    out = multi_signatures(texts, {"w": ("word", n, 32), "c": ("content", None, 32)}, seed=3)
    for i, text in enumerate(texts):
        forms = tokenize(text).forms
        assert np.array_equal(out["w"][i], HASHER.signature(word_shingles(forms, n)))
        assert np.array_equal(out["c"][i], HASHER.signature(content_shingles(forms)))


SETS = st.lists(st.integers(0, 2**64 - 1), max_size=40).map(
    lambda xs: np.array(xs, dtype=np.uint64)
)


@settings(max_examples=100, deadline=None)
@given(SETS, SETS)
def test_estimate_symmetric_bounded_and_merge_is_union(a: np.ndarray, b: np.ndarray) -> None:
    sa, sb = HASHER.signature(a), HASHER.signature(b)
    j = estimate_jaccard(sa, sb)
    assert j == estimate_jaccard(sb, sa)
    assert 0.0 <= j <= 1.0
    assert np.array_equal(merge(sa, sb), HASHER.signature(np.concatenate([a, b])))
    if set(a.tolist()) == set(b.tolist()):
        assert j == 1.0


def test_estimate_is_unbiased_against_exact_jaccard() -> None:
    # 400 random set pairs with Jaccard spread over [0, 1]; fixed seeds.
    rng = np.random.default_rng(12)
    k = 128
    hasher = MinHasher(k, seed=1)
    errors = []
    for _ in range(400):
        size = int(rng.integers(20, 400))
        shared = int(rng.integers(0, size + 1))
        universe = rng.integers(0, 2**63, size=2 * size, dtype=np.uint64)
        a = universe[:size]
        b = np.concatenate([universe[:shared], universe[size : 2 * size - shared]])
        exact = jaccard(np.unique(a), np.unique(b))
        errors.append(estimate_jaccard(hasher.signature(a), hasher.signature(b)) - exact)
    err = np.array(errors)
    # Standard error of one estimate <= 0.5/sqrt(k) = 0.044; of the mean of 400: 0.0022.
    assert abs(err.mean()) < 0.01
    assert np.mean(np.abs(err) <= 4 / np.sqrt(k)) >= 0.99
    assert np.abs(err).max() < 6 / np.sqrt(k)
