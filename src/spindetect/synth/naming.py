"""Names made from generated text: titles, headings, keyword phrases, site names and slugs.

A title names the text under it: one or two of its top terms (ranked by
``(1 + ln tf) * idf`` as :func:`spindetect.pairwise.titles.title_body_similarity`
ranks keywords, nouns first) in a template such as "Understanding X" or "X and
Y: What to Know" (:func:`name_terms`). Spam copies get a *foreign* title
naming another topic (:func:`foreign_title`), beneficiaries an SEO keyword
phrase (:func:`keyword_phrase`); pages get host names and URL slugs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from spindetect.synth.streams import TopicStream
from spindetect.synth.terms import TEMPLATE_WORDS, Terms
from spindetect.text.stopwords import STOPWORDS

__all__ = [
    "HEADINGS",
    "TITLE_FIT",
    "TITLE_ONE",
    "TITLE_TWO",
    "foreign_title",
    "keyword_phrase",
    "name_terms",
    "site_name",
    "slug",
]

# Title templates: one subject term ``a`` or two, ``a`` and ``b`` (title-cased body terms).
TITLE_ONE = (
    "{a}",
    "Understanding {a}",
    "A Guide to {a}",
    "{a}: What to Know",
    "All About {a}",
    "How {a} Works",
    "An Introduction to {a}",
    "What Is {a}?",
)
TITLE_TWO = (
    "{a} and {b}",
    "{a} of {b}",
    "{a} and {b}: What to Know",
    "Understanding {a} and {b}",
    "A Guide to {a} and {b}",
    "{a} and {b} Explained",
    "{a}, {b} and Beyond",
    "Why {a} and {b} Matter",
    "The Benefits of {a} and {b}",
    "Top Tips on {a} and {b}",
)
# Share of a title's IDF mass its subject terms keep against the template's own words.
TITLE_FIT = 0.6
HEADINGS = ("{a}", "{a} and {b}", "More on {a}", "{a} in Practice", "About {a}")


def _top_terms(ids: np.ndarray, terms: Terms, k: int) -> list[int]:
    """Return up to ``k`` subject terms (content ids) of a text holding content words ``ids``.

    The text's keywords are its terms ranked by ``w = (1 + ln tf) * idf``, as in
    :func:`spindetect.pairwise.titles.title_body_similarity` (ties in alphabetical
    order). Candidates are the nameable terms among the top ``4k`` whose weight
    beats the 16th keyword's (so they stay among its top 15); nouns and repeated
    terms go first (``w`` times 0.7 for a non-noun, times 0.7 for a term seen
    once), one word per family (not "dog" and "dogs").
    """
    if not ids.size:
        return []
    unique, counts = np.unique(ids, return_counts=True)
    weight = (1.0 + np.log(counts)) * terms.idf[unique]
    order = np.lexsort((unique, -weight))
    floor = weight[order[15]] if order.size > 15 else -1.0
    order = order[terms.nameable[unique[order]]]
    if not order.size:
        return []
    top = order[: 4 * k]
    candidates = top[weight[top] > floor] if weight[top[0]] > floor else top[:1]
    preference = (
        weight[candidates]
        * terms.preference[unique[candidates]]
        * np.where(counts[candidates] > 1, 1.0, 0.7)
    )
    forms = terms.forms
    picked: list[int] = []
    for index in candidates[np.lexsort((unique[candidates], -preference))].tolist():
        form = forms[unique[index]]
        if all(
            form[: min(len(form), len(forms[o]), 5)] != forms[o][: min(len(form), len(forms[o]), 5)]
            for o in picked
        ):
            picked.append(int(unique[index]))
            if len(picked) == k:
                break
    return picked


def _template_idf(template: str) -> float:
    """Sum of the reference IDF of a template's own content words ("Guide", "Know")."""
    cost = _TEMPLATE_IDF.get(template)
    if cost is None:
        from spindetect.pairwise.tfidf import IdfTable
        from spindetect.text.tokens import tokenize

        words = tokenize(template.replace("{a}", "").replace("{b}", "")).forms
        cost = _TEMPLATE_IDF[template] = sum(
            IdfTable.default().idf(f) for f in set(words) if f not in STOPWORDS
        )
    return cost


_TEMPLATE_IDF: dict[str, float] = {}


def name_terms(
    ids: np.ndarray,
    terms: Terms,
    rng: random.Random,
    two: Sequence[str],
    one: Sequence[str],
    *,
    fit: float = 0.0,
) -> str:
    """Return a title-like line naming the top terms of a text with content words ``ids``.

    Only templates whose own words leave the named terms at least ``fit`` of
    the title's IDF mass are used (``idf(terms) / (idf(terms) + idf(template))``),
    so a title still names its text when the template words are not in it.
    """
    top = _top_terms(ids, terms, 2)
    if not top:
        return "Notes"
    names = [terms.forms[t][:1].upper() + terms.forms[t][1:] for t in top]
    if len(top) == 2 and rng.random() < 0.6:
        mass = float(terms.idf[top[0]] + terms.idf[top[1]])
        templates = [t for t in two if mass >= fit * (mass + _template_idf(t))] or two[:1]
    else:
        mass = float(terms.idf[top[0]])
        templates = [t for t in one if mass >= fit * (mass + _template_idf(t))] or one[:1]
    return templates[int(rng.random() * len(templates))].format(a=names[0], b=names[-1])


def foreign_title(chain: TopicStream, rng: random.Random) -> str:
    """Return a title naming what a few sentences of ``chain``'s topic are about."""
    chain.terms_taken()
    for _ in range(8):
        chain.sentence()
    return name_terms(chain.terms_taken(), chain.terms, rng, TITLE_TWO, TITLE_ONE)


def keyword_phrase(chain: TopicStream, rng: random.Random) -> str:
    """Return a 2-3 word lower-case content phrase (an SEO keyword)."""
    for _ in range(20):
        words = [w.strip(".,;:!?\"'()").lower() for w in chain.sentence().split()]
        size = 2 + int(rng.random() * 2)
        runs = [
            words[i : i + size]
            for i in range(len(words) - size + 1)
            if all(
                w.isalpha() and w not in STOPWORDS and w not in TEMPLATE_WORDS
                for w in words[i : i + size]
            )
        ]
        if runs:
            return " ".join(runs[int(rng.random() * len(runs))])
    return " ".join(words[:2])


def slug(text: str) -> str:
    """Return a URL slug of ``text``: lower-case letters and digits joined by ``-``, 60 at most."""
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)[:60] or "page"


def site_name(chain: TopicStream, rng: random.Random) -> str:
    """Return a host name such as ``meal-course.example`` from the topic vocabulary."""
    vocabulary = chain.vocabulary
    words: list[str] = []
    while len(words) < 2:
        word = vocabulary[int(rng.random() * len(vocabulary))]
        if word.isalpha() and word.isascii() and 3 <= len(word) <= 10:
            words.append(word)
    return f"{words[0]}-{words[1]}.example"
