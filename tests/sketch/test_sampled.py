"""Tests of spindetect.containment: mod-m sampled shingles and shared-sample pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.sketch.sampled import SampledShingles, sampled_shingles, shared_sample_pairs
from spindetect.synth.pair_sets import generate_negatives
from spindetect.text._hashing import KIND_SEEDS, hash_forms, ngram_hashes
from spindetect.text.shingles import word_shingles
from spindetect.text.tokens import tokenize

VARIED = [
    "",
    "   \n\t  ",
    "one",
    "two words",
    "The quick brown fox jumps over the lazy dog, again and again and again.",
    "Café naïve résumé — “quoted” words, don't stop; e-mail x@y.com 3.14 1,000 İstanbul straße",
    "日本語のテキスト 中文文本 한국어 텍스트 emoji 😀 here 👍🏽 ok",
    "Ａｂｃ full width ＡＢＣ ligature ﬁne œuvre Æther ǅ DŽ",
    "Ã©tÃ© mojibake cafÃ© and more Ã¨ words here",
    "a\u0301 combining e\u0308 marks \u200b zero width \u00a0 no-break space",
    "\ud800 a lone surrogate in a text with several more words after it",
    "UPPER lower MiXeD Case CASE case Case case case case",
    "Numbers 1 22 333 4444 55555 and 1st 2nd 3rd, 10% off, $5.99!",
    "line one\nline two\r\nline three\rline four\u2028line five\u2029end",
]


def reference(text: str, n: int, mod: int) -> np.ndarray:
    """Return the sampled n-gram hashes, each once, in order of first occurrence."""
    grams = ngram_hashes(hash_forms(tokenize(text).forms), n, seed=KIND_SEEDS["word"])
    grams = grams[grams % np.uint64(mod) == 0]
    _, first = np.unique(grams, return_index=True)
    kept = grams[np.sort(first)]
    assert set(kept.tolist()) == set(word_shingles(tokenize(text).forms, n).tolist()) & set(
        grams.tolist()
    )  # the same hashes as the public shingler
    return kept


def doc_samples(s: SampledShingles, d: int) -> np.ndarray:
    return s.hashes[s.offsets[d] : s.offsets[d + 1]]


def brute_shared(per_doc: list[np.ndarray], max_df: int) -> dict[tuple[int, int], int]:
    """Pairwise counts of shared hashes, ignoring hashes held by more than max_df docs."""
    df: dict[int, int] = {}
    for hashes in per_doc:
        for h in set(hashes.tolist()):
            df[h] = df.get(h, 0) + 1
    out = {}
    for i, j in itertools.combinations(range(len(per_doc)), 2):
        common = set(per_doc[i].tolist()) & set(per_doc[j].tolist())
        k = sum(1 for h in common if df[h] <= max_df)
        if k:
            out[(i, j)] = k
    return out


def from_lists(per_doc: list[list[int]]) -> SampledShingles:
    arrays = [np.unique(np.asarray(h, dtype=np.uint64)) for h in per_doc]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([a.size for a in arrays], out=offsets[1:])
    hashes = np.concatenate(arrays) if arrays else np.empty(0, np.uint64)
    return SampledShingles(hashes, offsets, np.array([a.size for a in arrays], dtype=np.int64))


# -- sampled_shingles ------------------------------------------------------------


@pytest.mark.parametrize(("n", "mod"), [(1, 1), (2, 3), (5, 1), (5, 8), (8, 4), (12, 2)])
def test_sampled_shingles_equal_reference(n: int, mod: int) -> None:
    samples = sampled_shingles(VARIED, n=n, mod=mod)
    assert len(samples) == len(VARIED)
    assert samples.hashes.dtype == np.uint64
    for d, text in enumerate(VARIED):
        got = doc_samples(samples, d)
        np.testing.assert_array_equal(got, reference(text, n, mod), err_msg=repr(text))


def test_sampled_shingles_unique_in_text_order_and_totals() -> None:
    text = "a b c a b c a b c a b c d"  # repeated 3-grams must be kept once
    samples = sampled_shingles([text, VARIED[4], ""], n=3, mod=1)
    for d in range(len(samples)):
        got = doc_samples(samples, d)
        assert np.unique(got).size == got.size
    first = ngram_hashes(hash_forms("a b c a b c d".split()), 3, seed=KIND_SEEDS["word"])
    np.testing.assert_array_equal(doc_samples(samples, 0)[:3], first[:3])
    words = len(tokenize(text).forms)
    assert samples.totals.tolist()[0] == words - 3 + 1
    assert samples.totals.tolist()[2] == 0
    assert samples.counts().tolist() == [int(np.diff(samples.offsets)[d]) for d in range(3)]
    assert doc_samples(samples, 0).size == 4  # (a b c), (b c a), (c a b), (b c d)


def test_sampled_shingles_of_long_repetitive_texts_equal_reference() -> None:
    # Thousands of samples a document (the kernel's hash set grows) and many repeats.
    long = " ".join(generate_negatives(1, seed=3, doc_words=2000)[0])
    texts = [long, (long + " ") * 3, "x y " * 900]
    samples = sampled_shingles(texts, n=2, mod=1, workers=2)
    for d, text in enumerate(texts):
        np.testing.assert_array_equal(doc_samples(samples, d), reference(text, 2, 1))


def test_sampled_shingles_mod_thins_out_about_one_in_mod() -> None:
    text = " ".join(generate_negatives(1, seed=11, doc_words=600)[0])
    every = sampled_shingles([text], n=5, mod=1)
    some = sampled_shingles([text], n=5, mod=8)
    kept = doc_samples(some, 0)
    assert set(kept.tolist()) <= set(doc_samples(every, 0).tolist())
    ratio = kept.size / doc_samples(every, 0).size
    assert 1 / 16 < ratio < 1 / 4  # ~1/8 of about 1,000 distinct 5-grams


def test_sampled_shingles_empty_input_and_validation() -> None:
    empty = sampled_shingles([], n=5, mod=8)
    assert len(empty) == 0 and empty.hashes.size == 0 and empty.offsets.tolist() == [0]
    with pytest.raises(InvalidParameterError, match="n"):
        sampled_shingles(["x"], n=0)
    with pytest.raises(InvalidParameterError, match="mod"):
        sampled_shingles(["x"], mod=0)


# -- shared_sample_pairs -----------------------------------------------------------


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return [text for pair in generate_negatives(3, seed=5, doc_words=500) for text in pair]


def test_passage_reused_inside_longer_text_is_found(articles: list[str]) -> None:
    words = articles[0].split()
    passage = " ".join(words[100:250])
    host = articles[1].split()
    embedded = " ".join([*host[:200], passage, *host[200:]])
    texts = [articles[0], embedded, *articles[2:]]
    samples = sampled_shingles(texts, n=8, mod=4)
    pairs, shared, skipped = shared_sample_pairs(samples, min_shared=4, max_df=64)
    found = {tuple(p): int(s) for p, s in zip(pairs.tolist(), shared.tolist(), strict=True)}
    assert skipped == 0
    assert (0, 1) in found
    # ~143 8-grams of the passage, a quarter sampled: far more than 4 are shared.
    assert found[(0, 1)] >= 15
    assert set(found) == {(0, 1)}  # same-topic articles share no 8-grams


def test_shared_pairs_equal_brute_force_on_random_samples() -> None:
    rng = np.random.default_rng(3)
    per_doc = [rng.choice(40, size=rng.integers(0, 15), replace=False).tolist() for _ in range(30)]
    samples = from_lists(per_doc)
    arrays = [doc_samples(samples, d) for d in range(len(samples))]
    for max_df, min_shared in [(2, 1), (5, 1), (5, 2), (30, 3), (30, 1)]:
        pairs, shared, skipped = shared_sample_pairs(samples, min_shared=min_shared, max_df=max_df)
        expected = {k: v for k, v in brute_shared(arrays, max_df).items() if v >= min_shared}
        got = dict(zip(map(tuple, pairs.tolist()), shared.tolist(), strict=True))
        assert got == expected, (max_df, min_shared)
        assert pairs.dtype == np.int64 and shared.dtype == np.int64
        assert np.all(pairs[:, 0] < pairs[:, 1])
        keys = pairs[:, 0] * len(samples) + pairs[:, 1]
        assert np.all(np.diff(keys) > 0)  # sorted, unique
        df = np.unique(np.concatenate(arrays), return_counts=True)[1]
        assert skipped == int((df > max_df).sum())


def test_samples_above_max_df_are_ignored_and_counted() -> None:
    common = [1, 2, 3, 4, 5]  # held by all 6 documents
    per_doc = [[*common, 100 + d] for d in range(6)]
    per_doc[0] += [50, 51, 52, 53]
    per_doc[1] += [50, 51, 52, 53]
    samples = from_lists(per_doc)
    pairs, shared, skipped = shared_sample_pairs(samples, min_shared=1, max_df=5)
    assert skipped == 5
    assert pairs.tolist() == [[0, 1]] and shared.tolist() == [4]
    pairs, shared, skipped = shared_sample_pairs(samples, min_shared=1, max_df=6)
    assert skipped == 0
    assert (
        len(pairs) == 15
        and dict(zip(map(tuple, pairs.tolist()), shared.tolist(), strict=True))[(0, 1)] == 9
    )


def test_min_shared_is_respected() -> None:
    per_doc = [[1, 2, 3], [1, 2, 3], [1, 2, 9], [1, 8, 9]]
    samples = from_lists(per_doc)
    got = {
        m: {tuple(p) for p in shared_sample_pairs(samples, min_shared=m)[0].tolist()}
        for m in (1, 2, 3, 4)
    }
    assert got[1] == {(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)}
    assert got[2] == {(0, 1), (0, 2), (1, 2), (2, 3)}
    assert got[3] == {(0, 1)}
    assert got[4] == set()


def test_shared_pairs_of_empty_and_lone_documents() -> None:
    for samples in (from_lists([]), from_lists([[], []]), from_lists([[1, 2], [3, 4]])):
        pairs, shared, skipped = shared_sample_pairs(samples)
        assert pairs.shape == (0, 2) and shared.size == 0 and skipped == 0
    with pytest.raises(InvalidParameterError, match="max_df"):
        shared_sample_pairs(from_lists([[1]]), max_df=1)
    with pytest.raises(InvalidParameterError, match="min_shared"):
        shared_sample_pairs(from_lists([[1]]), min_shared=0)


# -- SampledShingles.concatenate ------------------------------------------------------


def test_concatenate_equals_one_batch() -> None:
    whole = sampled_shingles(VARIED, n=3, mod=2)
    parts = [
        sampled_shingles(VARIED[a:b], n=3, mod=2)
        for a, b in [(0, 3), (3, 3), (3, 9), (9, len(VARIED))]
    ]
    joined = SampledShingles.concatenate(parts)
    assert len(joined) == len(VARIED)
    np.testing.assert_array_equal(joined.hashes, whole.hashes)
    np.testing.assert_array_equal(joined.offsets, whole.offsets)
    np.testing.assert_array_equal(joined.totals, whole.totals)
    assert joined.offsets.dtype == np.int64


def test_concatenate_keeps_pairs_across_batches(articles: list[str]) -> None:
    texts = [articles[0], articles[1], articles[0]]
    parts = [sampled_shingles(texts[:1], n=8, mod=4), sampled_shingles(texts[1:], n=8, mod=4)]
    pairs, _, _ = shared_sample_pairs(SampledShingles.concatenate(parts), min_shared=4)
    assert pairs.tolist() == [[0, 2]]


def test_concatenate_nothing() -> None:
    empty = SampledShingles.concatenate([])
    assert len(empty) == 0 and empty.hashes.dtype == np.uint64
    assert shared_sample_pairs(empty)[0].shape == (0, 2)
