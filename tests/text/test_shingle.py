"""Tests of shingle sets and set similarity (spindetect.shingle)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.text._hashing import KIND_SEEDS, hash_forms, ngram_hashes
from spindetect.text.shingles import (
    char_shingles,
    containment,
    content_shingles,
    jaccard,
    skeleton_shingles,
    word_shingles,
)
from spindetect.text.tokens import tokenize

EMPTY = np.empty(0, dtype=np.uint64)


def u64(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.uint64)


def forms(text: str) -> list[str]:
    return list(tokenize(text))


def assert_sorted_unique_u64(arr: np.ndarray) -> None:
    assert arr.dtype == np.uint64
    assert arr.ndim == 1
    assert np.all(arr[1:] > arr[:-1])


class TestJaccard:
    def test_docstring_example(self) -> None:
        assert jaccard(u64(1, 2, 3), u64(2, 3, 4)) == 0.5

    def test_both_empty_is_one(self) -> None:
        assert jaccard(EMPTY, EMPTY) == 1.0

    def test_one_empty_is_zero(self) -> None:
        assert jaccard(EMPTY, u64(1, 2)) == 0.0
        assert jaccard(u64(1, 2), EMPTY) == 0.0

    def test_identical_and_disjoint(self) -> None:
        assert jaccard(u64(5, 9), u64(5, 9)) == 1.0
        assert jaccard(u64(1, 2), u64(3, 4)) == 0.0

    def test_value_and_symmetry(self) -> None:
        a, b = u64(1, 2, 3, 4), u64(3, 4, 5)
        assert jaccard(a, b) == jaccard(b, a) == pytest.approx(2 / 5)

    def test_large_hash_values(self) -> None:
        top = (1 << 64) - 1
        assert jaccard(u64(1, top), u64(top)) == 0.5

    def test_returns_python_float(self) -> None:
        assert type(jaccard(u64(1), u64(1, 2))) is float


class TestContainment:
    def test_value_is_asymmetric(self) -> None:
        a, b = u64(1, 2), u64(1, 2, 3, 4)
        assert containment(a, b) == 1.0
        assert containment(b, a) == 0.5

    def test_empty_a_is_contained_in_anything(self) -> None:
        assert containment(EMPTY, u64(1)) == 1.0
        assert containment(EMPTY, EMPTY) == 1.0

    def test_nonempty_in_empty_is_zero(self) -> None:
        assert containment(u64(1, 2), EMPTY) == 0.0

    def test_partial(self) -> None:
        assert containment(u64(1, 2, 3, 4), u64(1, 4, 5, 6)) == 0.5

    def test_returns_python_float(self) -> None:
        assert type(containment(u64(1, 2, 3), u64(2))) is float


class TestWordShingles:
    def test_matches_hashing_contract(self) -> None:
        f = ["the", "cat", "sat", "on", "the", "mat"]
        expected = np.unique(ngram_hashes(hash_forms(f), 3, seed=KIND_SEEDS["word"]))
        assert word_shingles(f, 3).tolist() == expected.tolist()

    def test_sorted_unique_and_counted(self) -> None:
        f = forms("one two three four five six seven")
        out = word_shingles(f, 3)
        assert_sorted_unique_u64(out)
        assert len(out) == 5

    def test_repeated_ngrams_counted_once(self) -> None:
        assert len(word_shingles(["a", "b", "a", "b", "a", "b"], 2)) == 2

    def test_short_text_is_one_shingle(self) -> None:
        assert len(word_shingles(["only", "two"], 5)) == 1
        whole = word_shingles(["only", "two"], 2).tolist()
        assert word_shingles(["only", "two"], 5).tolist() == whole

    def test_empty(self) -> None:
        out = word_shingles([], 5)
        assert out.shape == (0,)
        assert out.dtype == np.uint64

    def test_accepts_tokens_object(self) -> None:
        toks = tokenize("The Cat sat")
        assert word_shingles(toks, 2).tolist() == word_shingles(["the", "cat", "sat"], 2).tolist()

    def test_default_n_is_five(self) -> None:
        f = [str(i) for i in range(8)]
        assert word_shingles(f).tolist() == word_shingles(f, 5).tolist()
        assert len(word_shingles(f)) == 4

    def test_one_word_swap_changes_the_covering_shingles_only(self) -> None:
        a = forms("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9")
        b = list(a)
        b[5] = "swapped"
        sa, sb = word_shingles(a, 3), word_shingles(b, 3)
        # 8 trigrams each; the 3 covering position 5 differ.
        assert len(np.intersect1d(sa, sb)) == 5
        assert jaccard(sa, sb) == pytest.approx(5 / 11)

    def test_differs_from_other_kinds(self) -> None:
        f = ["the", "of"]
        assert not set(word_shingles(f, 1).tolist()) & set(skeleton_shingles(f, 1).tolist())


class TestSkeletonShingles:
    def test_docstring_example(self) -> None:
        a = skeleton_shingles(forms("the benefits of a group"), 3)
        b = skeleton_shingles(forms("the advantages of a system"), 3)
        assert len(a) == 1
        assert a.tolist() == b.tolist()

    def test_unchanged_by_content_word_swaps(self) -> None:
        original = "It is one of the best ways to find support when you are in need of help"
        spun = "It is one of the finest methods to locate assistance when you are in want of aid"
        assert forms(original) != forms(spun)
        a, b = skeleton_shingles(forms(original)), skeleton_shingles(forms(spun))
        assert len(a) > 3
        assert jaccard(a, b) == 1.0
        assert jaccard(word_shingles(forms(original)), word_shingles(forms(spun))) < 0.5

    def test_changes_when_function_words_change(self) -> None:
        a = skeleton_shingles(forms("the cat sat on the mat"), 2)
        b = skeleton_shingles(forms("a cat sat under a mat"), 2)
        assert jaccard(a, b) == 0.0

    def test_no_function_words_is_empty(self) -> None:
        assert skeleton_shingles(forms("cats chase mice"), 4).shape == (0,)


class TestContentShingles:
    def test_ignores_stopwords(self) -> None:
        with_stop = content_shingles(forms("The cat and the dog are in a house"))
        without = content_shingles(["cat", "dog", "house"])
        assert with_stop.tolist() == without.tolist()
        assert len(without) == 3

    def test_is_a_bag_order_ignored(self) -> None:
        a = content_shingles(["cat", "dog", "cat"])
        b = content_shingles(["dog", "cat"])
        assert a.tolist() == b.tolist()
        assert len(a) == 2

    def test_only_stopwords_is_empty(self) -> None:
        assert content_shingles(forms("it is what it is")).shape == (0,)

    def test_seeded_apart_from_word_unigrams(self) -> None:
        assert content_shingles(["cat"]).tolist() != word_shingles(["cat"], 1).tolist()


class TestCharShingles:
    def test_case_and_white_space_folded(self) -> None:
        a = char_shingles("Hello   World\n\tAgain", 4)
        b = char_shingles("hello world again", 4)
        assert a.tolist() == b.tolist()

    def test_punctuation_folded(self) -> None:
        curly = char_shingles("it\u2019s \u201cok\u201d", 3)
        assert curly.tolist() == char_shingles('it\'s "ok"', 3).tolist()

    def test_count(self) -> None:
        assert len(char_shingles("abcdefg", 3)) == 5
        assert len(char_shingles("aaaaaa", 2)) == 1

    def test_short_text_is_one_shingle(self) -> None:
        assert len(char_shingles("ab", 5)) == 1

    @pytest.mark.parametrize("text", ["", "   \n\t "])
    def test_empty(self, text: str) -> None:
        assert char_shingles(text, 3).shape == (0,)

    def test_non_bmp_characters_count_as_one(self) -> None:
        assert len(char_shingles("\U0001f600\U0001f601\U0001f602", 2)) == 2

    def test_sorted_unique(self) -> None:
        assert_sorted_unique_u64(char_shingles("the quick brown fox jumps", 5))


class TestValidation:
    @pytest.mark.parametrize("n", [0, -1, 65, 2.0, True, "5", None])
    def test_word_n(self, n: object) -> None:
        expected = rf"^n must be an integer in \[1, 64\], got {re.escape(repr(n))}$"
        with pytest.raises(InvalidParameterError, match=expected):
            word_shingles(["a", "b"], n)  # type: ignore[arg-type]

    @pytest.mark.parametrize("n", [0, 65, 1.5])
    def test_skeleton_n(self, n: object) -> None:
        with pytest.raises(InvalidParameterError, match=r"^n must be an integer in \[1, 64\]"):
            skeleton_shingles(["the", "of"], n)  # type: ignore[arg-type]

    @pytest.mark.parametrize("n", [0, 257, 3.0])
    def test_char_n(self, n: object) -> None:
        with pytest.raises(InvalidParameterError, match=r"^n must be an integer in \[1, 256\]"):
            char_shingles("some text", n)  # type: ignore[arg-type]

    def test_bounds_accepted(self) -> None:
        assert len(word_shingles(["a"], 64)) == 1
        assert len(char_shingles("abc", 256)) == 1
        assert len(word_shingles(["a", "b"], 1)) == 2

    def test_validated_even_for_empty_input(self) -> None:
        with pytest.raises(InvalidParameterError, match="n must be"):
            word_shingles([], 0)
