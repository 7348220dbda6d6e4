"""Articles: a title line, a blank line, then paragraphs of new sentences of one topic.

An article is a title line, a blank line, then paragraphs of 2 to 6 sentences
(some under a numbered heading) until about ``doc_words`` words. The title
names the article's subject (:func:`spindetect.synth.naming.name_terms`).
Articles of one topic share vocabulary but no text: they are hard negatives,
same-topic non-copies.
"""

from __future__ import annotations

import os
import random

import numpy as np

from spindetect._validation import check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.synth.naming import HEADINGS, TITLE_FIT, TITLE_ONE, TITLE_TWO, name_terms
from spindetect.synth.source import TextSource, load_source
from spindetect.synth.streams import Streams, TopicStream, expected_items

__all__ = ["compose_article", "generate_article"]


def generate_article(
    topic: str | None = None,
    *,
    seed: int = 0,
    doc_words: int = 500,
    source: TextSource | None = None,
    source_path: str | os.PathLike[str] | None = None,
) -> str:
    """Generate one article: a title line, a blank line, then paragraphs.

    The title names the article's subject: one or two of its top terms
    (content words ranked by ``(1 + ln tf) * idf``, nouns first) in a title
    template such as ``"Understanding X"`` or ``"X and Y: What to Know"``.

    Parameters
    ----------
    topic : str, optional
        One of ``source.topics``; default drawn from ``seed``.
    seed : int, default=0
        Seed of every random choice.
    doc_words : int, default=500
        Approximate length in words (drawn within +-20 %).
    source, source_path : optional
        The text source, or the path to load it from (default: the repository's).

    Returns
    -------
    str
    """
    check_int("seed", seed)
    check_int("doc_words", doc_words, low=1)
    src = source if source is not None else load_source(source_path)
    rng = random.Random(f"spindetect.corpus:{seed}:article")
    if topic is None:
        topic = src.topics[int(rng.random() * len(src.topics))]
    elif topic not in src.topics:
        raise InvalidParameterError(f"topic must be one of the source's topics, got {topic!r}")
    streams = Streams(src, f"spindetect.corpus:{seed}:article", items=expected_items(1, doc_words))
    return compose_article(streams(topic), rng, doc_words)[0]


def compose_article(chain: TopicStream, rng: random.Random, doc_words: int) -> tuple[str, str]:
    """Return ``(text, title)`` of a generated article; the title is made from its body."""
    target = max(1, round(doc_words * (0.8 + 0.4 * rng.random())))
    chain.terms_taken()  # forget sentences taken before
    terms: list[np.ndarray] = []
    lines: list[str] = []
    words = 0
    heading = 1
    numbered = rng.random() < 0.4
    while words < target:
        headed = numbered and rng.random() < 0.5
        paragraph = []
        for _ in range(2 + int(rng.random() * 5)):
            sentence = chain.sentence()
            paragraph.append(sentence)
            words += sentence.count(" ") + 1
            if words >= target:
                break
        local = chain.terms_taken()
        terms.append(local)
        if headed:
            lines.append(
                f"{heading}. {name_terms(local, chain.terms, rng, HEADINGS, HEADINGS[:1])}"
            )
            heading += 1
        lines.append(" ".join(paragraph))
        lines.append("")
    title = name_terms(np.concatenate(terms), chain.terms, rng, TITLE_TWO, TITLE_ONE, fit=TITLE_FIT)
    text = title + "\n\n" + "\n".join(lines).rstrip("\n") + "\n"
    if rng.random() < 0.25:  # typographic apostrophes, as many CMSs write them
        text = text.replace("'", "\u2019")
    return text, title
