"""What titles are made of: the content words of a topic and how well each names a subject.

:func:`topic_terms` numbers the content words of a topic's chain (forms that
are not stop words, as :func:`spindetect.pairwise.titles.title_body_similarity`
counts them) and records, per word, its reference IDF, whether it can stand in
a title and whether it is a noun the source defines. The result is cached on
the :class:`~spindetect.synth.source.TextSource`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from spindetect.synth.markov import word_form
from spindetect.text.stopwords import STOPWORDS

if TYPE_CHECKING:
    from spindetect.synth.source import TextSource

__all__ = ["TEMPLATE_WORDS", "Terms", "is_noun", "topic_terms"]

# Words of the text source's definition templates ("can be described as"): never in titles.
TEMPLATE_WORDS = frozenset({"described", "defined", "usually", "means", "called", "simply", "put"})


@dataclass(frozen=True, slots=True)
class Terms:
    """What titles are made of, per topic: content words and how much each names a subject.

    Content words are the forms that are not stop words, as
    :func:`spindetect.pairwise.titles.title_body_similarity` counts them; their *ids*
    number them in alphabetical order. ``of_word`` maps each chain word id to its
    content id (-1: none); ``forms``, ``idf``
    (:meth:`spindetect.pairwise.tfidf.IdfTable.default`), ``nameable`` (letters only, 3+
    characters, not a word of the source's definition templates such as
    "described") and ``preference`` (1.0 for a noun the source defines, or its
    plural; 0.7 otherwise) are indexed by content id.
    """

    of_word: np.ndarray
    forms: tuple[str, ...]
    idf: np.ndarray
    nameable: np.ndarray
    preference: np.ndarray


def topic_terms(src: TextSource, topic: str) -> Terms:
    """Return the :class:`Terms` of ``topic`` (built once per source and topic)."""
    terms = src._terms.get(topic)
    if terms is None:
        from spindetect.pairwise.tfidf import IdfTable

        words = src.chain(topic)._words
        forms = [word_form(w) for w in words]
        content = sorted({f for f in forms[1:] if f and f not in STOPWORDS})
        ids = {f: k for k, f in enumerate(content)}
        idf = IdfTable.default().idf
        terms = src._terms[topic] = Terms(
            np.array([-1, *(ids.get(f, -1) for f in forms[1:])], dtype=np.int32),
            tuple(content),
            np.array([idf(f) for f in content], dtype=np.float64),
            np.array(
                [len(f) >= 3 and f.isalpha() and f not in TEMPLATE_WORDS for f in content],
                dtype=np.bool_,
            ),
            np.array([1.0 if is_noun(f, src.nouns) else 0.7 for f in content]),
        )
    return terms


def is_noun(form: str, nouns: frozenset[str]) -> bool:
    """Whether ``form`` is a defined noun or a regular plural of one."""
    if form in nouns:
        return True
    if form.endswith("ies") and form[:-3] + "y" in nouns:
        return True
    return form.endswith("s") and (
        form[:-1] in nouns or (form.endswith("es") and form[:-2] in nouns)
    )
