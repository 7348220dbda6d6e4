"""Property tests of the synthetic-data generator: determinism per seed, counts, ground truth."""

from __future__ import annotations

import re

import numpy as np
from _synth_text import needs_source
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.synth._seeds import derive_seed
from spindetect.synth.crawls import crawl_pairs, generate_crawl
from spindetect.synth.markov import MarkovChain
from spindetect.synth.naming import slug
from spindetect.synth.pair_sets import generate_negatives

SMALL = settings(max_examples=8, deadline=None)


@given(st.integers(-(2**40), 2**40), st.text(max_size=12), st.integers(0, 10**6))
def test_derived_seeds_are_stable_63_bit_integers(seed: int, name: str, index: int) -> None:
    value = derive_seed(seed, name, index)
    assert 0 <= value < 2**63
    assert value == derive_seed(seed, name, index)


@given(st.text(max_size=200))
def test_slugs_are_short_lower_case_words_joined_by_dashes(text: str) -> None:
    out = slug(text)
    assert 0 < len(out) <= 60
    assert not out.startswith("-") and not out.endswith("-") and "--" not in out
    assert all(ch == "-" or ch.isalnum() for ch in out)
    assert out == out.lower()


WORD = st.sampled_from("the a cat dog sat ran on under mat rug garden ball bird fence".split())
SENTENCE = st.lists(WORD, min_size=6, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")


@SMALL
@given(st.lists(SENTENCE, min_size=3, max_size=8), st.integers(0, 2**32))
def test_chain_sentences_are_6_to_40_observed_transitions_and_deterministic(
    training: list[str], seed: int
) -> None:
    chain = MarkovChain(training, backoff=0.0)
    a = chain.generate(10, rng=np.random.default_rng(seed), batch=32)
    assert a == chain.generate(10, rng=np.random.default_rng(seed), batch=32)
    seen = set()
    for s in training:
        w = ["", "", *s.split(), ""]
        seen.update(zip(w, w[1:], w[2:], strict=False))
    for sentence in a:
        w = ["", "", *sentence.split(), ""]
        assert 6 <= len(w) - 3 <= 40
        assert set(zip(w, w[1:], w[2:], strict=False)) <= seen


@needs_source
@SMALL
@given(
    st.integers(0, 40),
    st.integers(0, 2**31),
    st.floats(0.0, 0.7),
    st.floats(0.0, 0.3),
)
def test_crawls_have_n_unique_docs_consistent_truth_and_repeat_per_seed(
    n: int, seed: int, family: float, near: float
) -> None:
    options = {"seed": seed, "doc_words": 30, "family_share": family, "near_dup_share": near}
    docs = list(generate_crawl(n, **options))  # type: ignore[arg-type]
    assert len(docs) == n
    assert len({d.id for d in docs}) == n
    assert all(re.fullmatch(r"[0-9a-f]{16}", d.id) for d in docs)
    assert docs == list(generate_crawl(n, **options))  # type: ignore[arg-type]
    by_id = {d.id: d for d in docs}
    units: dict[str, list] = {}
    for doc in docs:
        assert (doc.kind == "unique") == (doc.family is None)
        if doc.family is not None:
            assert by_id[doc.family].kind == "original"  # every copy's original is in the crawl
            units.setdefault(doc.family, []).append(doc)
    for members in units.values():
        assert len(members) >= 2  # an original is never alone
        assert len(crawl_pairs(members)) == len(members) * (len(members) - 1) // 2


@needs_source
@SMALL
@given(st.integers(0, 4), st.integers(0, 2**31))
def test_negatives_are_n_distinct_pairs_repeatable_per_seed(n: int, seed: int) -> None:
    pairs = generate_negatives(n, seed=seed, doc_words=40)
    assert len(pairs) == n
    assert all(a != b for a, b in pairs)
    assert pairs == generate_negatives(n, seed=seed, doc_words=40)
