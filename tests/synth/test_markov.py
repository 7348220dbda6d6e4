"""Tests of spindetect.synth.markov: the order-2 chain that makes new sentences."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from _synth_text import needs_source

from spindetect import synth
from spindetect.exceptions import InvalidParameterError

pytestmark = needs_source


TRAINING = [
    "The cat sat on the mat.",
    "The dog sat on the rug.",
    "A cat chased the dog around the garden.",
    "The dog chased a ball into the garden.",
    "A bird sat on the fence all day.",
]


def transitions(sentences: list[str]) -> set[tuple[str, str, str]]:
    out = set()
    for sentence in sentences:
        w = ["", "", *sentence.split(), ""]
        out.update(zip(w, w[1:], w[2:], strict=False))
    return out


def bigrams(sentences: list[str]) -> set[tuple[str, str]]:
    out = set()
    for sentence in sentences:
        w = ["", *sentence.split(), ""]
        out.update(itertools.pairwise(w))
    return out


def test_markov_chain_without_backoff_only_uses_observed_order2_transitions() -> None:
    chain = synth.MarkovChain(TRAINING, backoff=0.0)
    seen = transitions(TRAINING)
    generated = chain.generate(200, rng=np.random.default_rng(1), batch=64)
    generated += [chain.sentence(random.Random(k)) for k in range(50)]
    assert generated
    for sentence in generated:
        assert 6 <= len(sentence.split()) <= 40
        assert transitions([sentence]) <= seen
        assert sentence[0].isupper() and sentence.endswith(".")


def test_markov_chain_backoff_uses_observed_words_pairs_and_order2_starts() -> None:
    chain = synth.MarkovChain(TRAINING, backoff=0.5)
    generated = chain.generate(300, rng=np.random.default_rng(1), batch=64)
    starts = {tuple(s.split()[:1]) for s in TRAINING}
    assert generated
    for sentence in generated:
        assert 6 <= len(sentence.split()) <= 40
        assert bigrams([sentence]) <= bigrams(TRAINING)
        assert tuple(sentence.split()[:1]) in starts
    # backing off makes word triples the training text does not have
    assert set().union(*(transitions([s]) for s in generated)) - transitions(TRAINING)


def test_markov_chain_validates_options() -> None:
    with pytest.raises(InvalidParameterError, match="novel_run"):
        synth.MarkovChain(TRAINING, novel_run=1)
    with pytest.raises(InvalidParameterError, match="backoff"):
        synth.MarkovChain(TRAINING, backoff=1.5)


def forms(sentence: str) -> tuple[str, ...]:
    """Lower-case words without outer punctuation, as the chain compares them."""
    return tuple(w.strip(".,;:!?\"'()").lower().replace("\u2019", "'") for w in sentence.split())


def test_new_sentences_copy_no_run_of_seven_training_words() -> None:
    src = synth.load_source()
    topic = "noun.shape"  # a small topic: long verbatim runs are likely there
    training = [forms(s) for s in src.sentences(topic)]
    runs = {t[i : i + 7] for t in training for i in range(len(t) - 6)}
    chain = src.chain(topic)
    generated = chain.generate(400, rng=np.random.default_rng(3), batch=512)
    assert len(generated) == 400
    for sentence in generated:
        f = forms(sentence)
        assert f not in set(training)
        assert not {f[i : i + 7] for i in range(len(f) - 6)} & runs, sentence
    # without the rule, the same chain copies such runs readily
    plain = synth.MarkovChain(src.sentences(topic), novel_run=40, backoff=0.0)
    copied = plain.generate(400, rng=np.random.default_rng(3), batch=512)
    assert (
        sum(bool({forms(s)[i : i + 7] for i in range(len(s.split()) - 6)} & runs) for s in copied)
        > 40
    )


def test_markov_chain_prefers_new_sentences() -> None:
    chain = synth.MarkovChain(TRAINING)
    generated = chain.generate(5, rng=np.random.default_rng(2), batch=256)
    assert not set(generated) & set(TRAINING)


def test_markov_chain_is_deterministic() -> None:
    chain = synth.MarkovChain(TRAINING)
    a = chain.generate(20, rng=np.random.default_rng(5), batch=32)
    b = chain.generate(20, rng=np.random.default_rng(5), batch=32)
    assert a == b
