"""Tests of spindetect.synth.articles (and the titles of spindetect.synth.naming)."""

from __future__ import annotations

import pytest
from _synth_text import content, needs_source

from spindetect import synth
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.titles import title_body_similarity
from spindetect.text.tokens import tokenize

pytestmark = needs_source


def test_article_shape_and_determinism() -> None:
    text = synth.generate_article("noun.food", seed=3, doc_words=300)
    assert text == synth.generate_article("noun.food", seed=3, doc_words=300)
    assert text != synth.generate_article("noun.food", seed=4, doc_words=300)
    title, blank, *body = text.split("\n")
    assert title and not blank and len(body) >= 2
    n_words = len(text.split())
    assert 0.75 * 300 <= n_words <= 1.35 * 300


def test_article_title_names_the_article_subject() -> None:
    for seed in range(5):
        text = synth.generate_article("noun.food", seed=seed, doc_words=300)
        title, _, body = text.partition("\n\n")
        template_words = {
            "understanding",
            "guide",
            "know",
            "introduction",
            "works",
            "explained",
            "beyond",
            "matter",
            "benefits",
            "top",
            "tips",
        }
        terms = content(title) - template_words
        assert terms, title
        assert terms <= content(body), title
        assert title_body_similarity(title, tokenize(body).forms) >= 0.5, title


def test_article_rejects_unknown_topic() -> None:
    with pytest.raises(InvalidParameterError, match="topic"):
        synth.generate_article("noun.nonsense")
