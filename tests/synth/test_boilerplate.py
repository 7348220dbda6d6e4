"""Tests of spindetect.synth.boilerplate: same-site negatives under shared boilerplate."""

from __future__ import annotations

import pytest
from _synth_text import content, needs_source, ngrams, words

from spindetect import synth
from spindetect.exceptions import InvalidParameterError

pytestmark = needs_source


def template_words(page: str, template: tuple[str, ...]) -> tuple[int, int]:
    """(words on the page's template lines, words on the page), counted from the text."""
    shared = set(template)
    lines = page.split("\n")
    return sum(len(words(line)) for line in lines if line in shared), len(words(page))


def own_text(page: str, template: tuple[str, ...]) -> str:
    shared = set(template)
    return "\n".join(line for line in page.split("\n") if line not in shared)


@pytest.fixture(scope="module")
def template_pairs() -> list[synth.TemplateNegative]:
    return synth.generate_template_negatives(12, seed=4, doc_words=200)


def test_template_negatives_are_deterministic(template_pairs: list[synth.TemplateNegative]) -> None:
    again = synth.generate_template_negatives(12, seed=4, doc_words=200)
    assert again == template_pairs
    other = synth.generate_template_negatives(3, seed=5, doc_words=200)
    assert [(p.a, p.b) for p in other] != [(p.a, p.b) for p in template_pairs[:3]]


def test_template_lines_are_whole_lines_of_both_pages(
    template_pairs: list[synth.TemplateNegative],
) -> None:
    for pair in template_pairs:
        assert pair.template
        for page in (pair.a, pair.b):
            lines = page.split("\n")
            assert all(line in lines for line in pair.template)
        assert pair.a.startswith(pair.template[0] + "\n")  # the site header opens the page
        assert pair.a != pair.b


@pytest.mark.parametrize("share", [(0.1, 0.4), (0.2, 0.3), (0.0, 0.0)])
def test_template_share_is_within_the_requested_range(share: tuple[float, float]) -> None:
    pairs = synth.generate_template_negatives(6, seed=7, doc_words=200, template_share=share)
    measured = []
    for pair in pairs:
        for page in (pair.a, pair.b):
            shared, total = template_words(page, pair.template)
            measured.append(shared / total)
    assert min(measured) >= share[0] - 1e-9
    assert max(measured) <= share[1] + 1e-9
    if share[1] > 0:
        assert max(measured) > min(measured)  # drawn per pair, not fixed


def test_template_negative_articles_are_not_copies(
    template_pairs: list[synth.TemplateNegative],
) -> None:
    for pair in template_pairs:
        own_a, own_b = own_text(pair.a, pair.template), own_text(pair.b, pair.template)
        assert not ngrams(own_a, 8) & ngrams(own_b, 8)
        # the template is shared text, not a copy of either article
        template = ngrams("\n".join(pair.template), 8)
        assert not template & ngrams(own_a, 8)
        # same topic: the articles share vocabulary
        assert content(own_a) & content(own_b)


def test_template_quotation_sits_inside_both_articles() -> None:
    quoted = synth.generate_template_negatives(
        4, seed=8, doc_words=200, quote_rate=1.0, template_share=(0.3, 0.4)
    )
    for pair in quoted:
        assert pair.quote is not None and pair.quote in pair.template
        for page in (pair.a, pair.b):
            lines = page.split("\n")
            at = lines.index(pair.quote)
            header = pair.template.index(pair.quote)  # header lines come before it
            assert at > header + 1  # after the header block and the article's title
            assert lines[at - 1] == "" and lines[at + 1] == ""  # its own paragraph
    plain = synth.generate_template_negatives(4, seed=8, doc_words=200, quote_rate=0.0)
    assert all(pair.quote is None for pair in plain)


def test_template_negatives_leave_the_other_generators_alone() -> None:
    before = synth.generate_negatives(2, seed=9, doc_words=100)
    synth.generate_template_negatives(2, seed=9, doc_words=100)
    assert synth.generate_negatives(2, seed=9, doc_words=100) == before


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"n": -1}, "n"),
        ({"doc_words": 0}, "doc_words"),
        ({"template_share": (0.4, 0.1)}, "template_share"),
        ({"template_share": (0.1, 0.95)}, "template_share"),
        ({"template_share": (0.1,)}, "template_share"),
        ({"template_share": "0.1,0.4"}, "template_share"),
        ({"quote_rate": 1.5}, "quote_rate"),
    ],
)
def test_template_negatives_validate_parameters(options: dict, name: str) -> None:
    kwargs = {"n": 1, **options}
    with pytest.raises(InvalidParameterError, match=name):
        synth.generate_template_negatives(**kwargs)
