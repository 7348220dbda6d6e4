"""Tests of spindetect.text.function_words and spindetect.sketch.tokenizing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spindetect.exceptions import InvalidParameterError
from spindetect.sketch import _kernels
from spindetect.sketch.minhash import Fingerprinter, MinHasher, SignatureSpec
from spindetect.sketch.tokenizing import token_hashes
from spindetect.text._hashing import KIND_SEEDS, hash_forms, ngram_hashes
from spindetect.text.function_words import (
    MIN_LANGUAGE_DOCS,
    FunctionWords,
    english_hashes,
    language_lists,
)
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import tokenize

# Indonesian-like sentences: frequent closed-class words around varied content words.
FUNCTION = ["yang", "dan", "di", "itu", "dengan", "untuk"]
CONTENT = [f"kata{i}" for i in range(300)]


def crawl(n_docs: int, seed: int = 0) -> list[str]:
    """Crawl."""
    rng = np.random.default_rng(seed)
    docs = []
    for _ in range(n_docs):
        words = []
        for _ in range(40):
            words.append(
                FUNCTION[int(rng.integers(len(FUNCTION)))]
                if rng.random() < 0.45
                else CONTENT[int(rng.integers(len(CONTENT)))]
            )
        docs.append(" ".join(words))
    return docs


def test_token_hashes_equal_the_reference_path_even_for_risky_text() -> None:
    """Token hashes equal the reference path even for risky text."""
    texts = ["The cat sat.", "", "Ünïcode ﾊﾝｸﾞﾙ 한국어 가 text", "don't stop", "a" * 5]
    hashes, counts = token_hashes(texts)
    expected = [hash_forms(tokenize(t).forms) for t in texts]
    assert counts.tolist() == [e.size for e in expected]
    np.testing.assert_array_equal(hashes, np.concatenate(expected))


def test_token_hashes_validation() -> None:
    """Token hashes validation."""
    assert token_hashes([])[0].size == 0
    with pytest.raises(InvalidParameterError, match="single str"):
        token_hashes("abc")
    with pytest.raises(InvalidParameterError, match="hold str"):
        token_hashes(["a", 3])  # type: ignore[list-item]


def test_english_hashes_are_the_kernel_stopwords() -> None:
    """English hashes are the kernel stopwords."""
    table = _kernels.stopword_table()
    assert english_hashes().size == len(STOPWORDS)
    assert np.isin(english_hashes(), table).all()


def test_learns_the_frequent_widespread_tokens_of_another_language() -> None:
    """Learns the frequent widespread tokens of another language."""
    words = FunctionWords.from_texts(crawl(200))
    learned = set(np.setdiff1d(words.hashes, english_hashes()).tolist())
    assert learned == set(hash_forms(FUNCTION).tolist())
    assert words.learned == len(FUNCTION)
    assert 0.4 <= words.coverage <= 0.5


def test_english_text_gains_no_function_words() -> None:
    """English text gains no function words."""
    text = (
        "the cat sat on the mat and it was happy with the food that we gave to it "
        "because there is nothing better than a warm place in the sun for a cat"
    )
    docs = [text.replace("cat", f"animal{i}") for i in range(50)]
    words = FunctionWords.from_texts(docs)
    assert words.learned == 0
    np.testing.assert_array_equal(words.hashes, english_hashes())


ENGLISH = (
    "the {w} sat on the mat and it was happy with the food that we gave to it "
    "because there is nothing better than a warm place in the sun for the {w}"
)


def english_crawl(n_docs: int) -> list[str]:
    """English pages, one content word apiece."""
    return [ENGLISH.format(w=f"animal{i}") for i in range(n_docs)]


def indonesian_pages(n_docs: int, seed: int = 0) -> list[str]:
    """Pages of real Indonesian function words (the bundled list) around made-up content words."""
    rng = np.random.default_rng(seed)
    function = ["yang", "dan", "di", "ini", "dari", "untuk", "dengan", "itu", "adalah", "dalam"]
    return [
        " ".join(
            function[int(rng.integers(len(function)))]
            if rng.random() < 0.4
            else f"isi{int(rng.integers(500))}"
            for _ in range(60)
        )
        for _ in range(n_docs)
    ]


def test_language_lists_hold_each_languages_own_function_words() -> None:
    """The bundled per-language lists: Indonesian has its own words, not English ones."""
    lists = language_lists()
    assert {"en", "id", "de", "fr"} <= set(lists)
    indonesian = set(lists["id"].tolist())
    assert set(hash_forms(["yang", "dan", "di"]).tolist()) <= indonesian
    assert hash_forms(["the"])[0] not in indonesian
    assert all(np.all(np.diff(h.astype(np.float64)) > 0) for h in lists.values())


def test_a_mostly_english_sample_adds_the_function_words_of_its_other_language() -> None:
    """English pages keep the English list; Indonesian pages among them bring theirs."""
    words = FunctionWords.from_texts(english_crawl(200) + indonesian_pages(MIN_LANGUAGE_DOCS + 5))
    assert np.isin(english_hashes(), words.hashes).all()
    assert np.isin(hash_forms(["yang", "dan", "dalam"]), words.hashes).all()
    assert not np.isin(hash_forms(["animal3", "isi7", "isi8"]), words.hashes).any()
    assert words.learned == np.setdiff1d(words.hashes, english_hashes()).size > 0


def test_too_few_pages_in_another_language_add_nothing() -> None:
    """Fewer than MIN_LANGUAGE_DOCS pages of a language leave the English list as it is."""
    words = FunctionWords.from_texts(english_crawl(200) + indonesian_pages(MIN_LANGUAGE_DOCS - 1))
    assert words.learned == 0
    np.testing.assert_array_equal(words.hashes, english_hashes())


def test_pages_in_no_language_add_nothing() -> None:
    """Lists of numbers and codes (the English list covers none of them) are in no language."""
    rng = np.random.default_rng(1)
    lists = [" ".join(f"x{int(rng.integers(50))}" for _ in range(80)) for _ in range(40)]
    words = FunctionWords.from_texts(english_crawl(200) + lists)
    assert words.learned == 0


def test_english_mode_learns_no_other_language() -> None:
    """max_learned=0 (function_words='english') adds nothing, whatever the sample holds."""
    docs = english_crawl(200) + indonesian_pages(20)
    assert FunctionWords.from_texts(docs, max_learned=0).learned == 0


def test_rare_tokens_are_never_learned_and_max_learned_caps() -> None:
    """Rare tokens are never learned and max learned caps."""
    docs = crawl(100)
    docs[0] = "langka " * 500 + docs[0]  # very frequent but in one document only
    words = FunctionWords.from_texts(docs, max_learned=3)
    assert words.learned == 3
    assert hash_forms(["langka"])[0] not in set(words.hashes.tolist())


def test_idf_from_the_sample() -> None:
    """Idf from the sample."""
    docs = crawl(100)
    words = FunctionWords.from_texts(docs)
    common, rare, unseen = hash_forms(["yang", "kata7", "tidakada"])
    idf = words.idf(np.array([common, rare, unseen], dtype=np.uint64))
    assert idf[0] < idf[1] < idf[2]
    assert idf[2] == pytest.approx(np.log(101 / 0.5))
    assert (FunctionWords.english().idf(np.array([common], dtype=np.uint64)) == 1.0).all()


def test_from_hashes_validation() -> None:
    """From hashes validation."""
    with pytest.raises(InvalidParameterError, match="counts"):
        FunctionWords.from_hashes(np.zeros(3, np.uint64), np.array([1, 1]))
    with pytest.raises(InvalidParameterError, match="coverage"):
        FunctionWords.from_texts(["a"], coverage=2.0)
    with pytest.raises(InvalidParameterError, match="single str"):
        FunctionWords.from_texts("abc")
    empty = FunctionWords.from_texts([])
    assert empty.learned == 0 and empty.n_docs == 0


@given(st.lists(st.text(alphabet="abc ", max_size=30), max_size=20))
def test_learned_words_come_from_the_sample_and_cover_no_less(texts: list[str]) -> None:
    """Learned words come from the sample and cover no less."""
    words = FunctionWords.from_texts(texts, base=False, min_df=0.0)
    assert np.isin(words.hashes, words.vocabulary).all()
    assert 0.0 <= words.coverage <= 1.0
    assert words.df.sum() >= words.vocabulary.size


def test_fingerprints_with_learned_function_words_equal_the_reference() -> None:
    """Fingerprints with learned function words equal the reference."""
    docs = [*crawl(30), "Ünïcode 가 yang dan kata1 kata2 kata3 di kata4"]
    words = FunctionWords.from_texts(docs)
    specs = {
        "s": SignatureSpec("skeleton", 3, 32),
        "c": SignatureSpec("content", 1, 32),
        "w": SignatureSpec("word", 2, 16),
    }
    with Fingerprinter(specs, function_words=words.hashes, workers=1) as fp:
        fp.add(docs)
        sigs, _ = fp.result()
    for d, text in enumerate(docs):
        tokens = hash_forms(tokenize(text).forms)
        function = np.isin(tokens, words.hashes)
        skel = np.unique(ngram_hashes(tokens[function], 3, seed=KIND_SEEDS["skeleton"]))
        cont = np.unique(ngram_hashes(tokens[~function], 1, seed=KIND_SEEDS["content"]))
        np.testing.assert_array_equal(sigs["s"][d], MinHasher(32).signature(skel))
        np.testing.assert_array_equal(sigs["c"][d], MinHasher(32).signature(cont))
    # The English default differs on this text: no skeleton at all.
    with Fingerprinter(specs, workers=1) as fp:
        fp.add(docs[:1])
        english, _ = fp.result()
    assert not np.array_equal(english["s"][0], sigs["s"][0])


SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


@pytest.mark.skipif(
    not (SHARED / "indo-pan-dev").is_dir() or not (SHARED / "pan13").is_dir(),
    reason="../shared/corpora/indo-pan-dev or pan13 absent",
)
def test_real_indonesian_pages_among_english_ones_bring_their_function_words() -> None:
    """Real pages: 47 Indonesian documents among 1,000 English pan13 ones."""
    indo = sorted((SHARED / "indo-pan-dev").glob("*-documents/*.txt"))
    pan = sorted((SHARED / "pan13" / "src").glob("*.txt"))[:1000]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in indo + pan]
    words = FunctionWords.from_texts(texts)
    assert np.isin(hash_forms(["yang", "dan", "di", "dengan"]), words.hashes).all()
    assert np.isin(english_hashes(), words.hashes).all()
    english_only = FunctionWords.from_texts(texts[len(indo) :])
    assert english_only.learned == 0
