"""Titles of plain-text pages, and how well a title fits a body.

Spam pages put an unrelated SEO title over a spun body, often repeated
(``WHAT IS X`` / ``What Is X`` / ``What Is X``) and followed by a template label
such as ``Blog Article``. :func:`split_title` recognises that header block;
:func:`title_body_similarity` scores the title against the body's keywords.

Title/body similarity, with ``T`` the title's content-word stems and ``K`` the
body's top-``k`` keywords by sublinear TF-IDF::

    sim = sum_{t in T} idf(t) * m(t) / sum_{t in T} idf(t)
    m(t) = 1 if t in K, 0.5 if t occurs elsewhere in the body, else 0

A title is flagged as a mismatch when ``sim < mismatch_threshold``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spindetect._validation import check_float, check_int
from spindetect.pairwise.tfidf import IdfTable
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import tokenize

__all__ = [
    "TEMPLATE_LABELS",
    "BodyKeywords",
    "TitleSplit",
    "body_keywords",
    "split_title",
    "title_body_similarity",
]

#: Lines that CMS templates put between a title and the article (compared case-folded).
TEMPLATE_LABELS: frozenset[str] = frozenset(
    {
        "blog article",
        "article",
        "blog post",
        "post",
        "blog",
        "news",
        "home",
        "menu",
        "advertisement",
        "sponsored",
        "sponsored content",
        "skip to content",
        "share",
        "share this",
        "read more",
        "featured",
        "uncategorized",
        "latest posts",
        "main menu",
    }
)
_MAX_TITLE_WORDS = 20


@dataclass(frozen=True, slots=True)
class TitleSplit:
    """Where a page's title block ends and its body begins.

    Attributes
    ----------
    title : str or None
        The title (its best-cased repetition), or None if the text has none.
    span : tuple of int
        Character span of the whole header block (title lines and labels).
    body_start : int
        Offset where the body begins.
    repeats : int
        How many times the title line occurs in the header block.
    labels : tuple of str
        Template labels found in the header block.
    """

    title: str | None
    span: tuple[int, int]
    body_start: int
    repeats: int = 0
    labels: tuple[str, ...] = ()


_WRAP_WORDS = 8
_WRAP_RATIO = 0.6


def split_title(text: str) -> TitleSplit:
    """Find the title block at the top of a plain-text page.

    The first non-empty line is a title when it has at most 20 words, does not
    end like a sentence (``.``, ``,``, ``;``, ``:``), is not a hard-wrapped line
    of a paragraph (the next line follows without a blank line and begins in
    lower case, or both are prose-long), and more text follows. Later
    lines that repeat it (ignoring case) and template labels are part of the block.

    Examples
    --------
    >>> t = split_title("BEST BOOKS\\n\\nBest Books\\nBlog Article\\nBenefits of peer support.")
    >>> t.title, t.repeats, t.labels, t.body_start
    ('Best Books', 2, ('Blog Article',), 36)
    """
    lines = _lines(text)
    head = next(lines, None)
    if head is None:
        return TitleSplit(None, (0, 0), 0)
    start, end, first = head
    words = first.split()
    if not words or len(words) > _MAX_TITLE_WORDS or first.rstrip()[-1] in ".,;:":
        return TitleSplit(None, (0, 0), 0)
    if _wrapped(text, end, words):
        return TitleSplit(None, (0, 0), 0)
    key = " ".join(words).casefold()
    variants = [first]
    labels: list[str] = []
    block_end = end
    for _, e, line in lines:
        folded = " ".join(line.split()).casefold()
        if folded == key:
            variants.append(line)
        elif folded in TEMPLATE_LABELS:
            labels.append(line.strip())
        else:
            break
        block_end = e
    if block_end >= len(text.rstrip()):
        return TitleSplit(None, (0, 0), 0)
    # Prefer a repetition that is not all capitals.
    title = min(variants, key=_shouting) if len(variants) > 1 else first
    body_start = block_end
    while body_start < len(text) and text[body_start].isspace():
        body_start += 1
    return TitleSplit(
        " ".join(title.split()), (start, block_end), body_start, len(variants), tuple(labels)
    )


@dataclass(frozen=True, slots=True)
class BodyKeywords:
    """A body's content-word stems with their counts, and its top keywords.

    Built by :func:`body_keywords`; :func:`title_body_similarity` takes one in
    place of the body's forms, so a body scored against several titles is read once.
    """

    counts: dict[str, int]
    top: frozenset[str]


def body_keywords(
    body_forms: Sequence[str], *, idf: IdfTable | None = None, keywords: int = 15
) -> BodyKeywords:
    """Return the stems of a body's content words, their counts and its top keywords.

    A stem's weight is ``(1 + ln count) * idf(form)``, with ``form`` the first
    form of the body having that stem; the ``keywords`` heaviest stems (ties in
    alphabetical order) are the top keywords.

    Parameters
    ----------
    body_forms : sequence of str
        Normalised token forms of the body.
    idf : IdfTable, optional
        Reference IDF; the bundled table by default.
    keywords : int, default=15
        How many top body terms count as its keywords.

    Returns
    -------
    BodyKeywords
    """
    check_int("keywords", keywords, low=1)
    table = idf if idf is not None else IdfTable.default()
    counts: dict[str, int] = {}
    best_form: dict[str, str] = {}
    for form, count in Counter(body_forms).items():  # distinct forms, in body order
        stem = _stem(form)
        best_form.setdefault(stem, form)
        if form not in STOPWORDS:
            counts[stem] = counts.get(stem, 0) + count
    weight = {t: (1 + math.log(c)) * table.idf(best_form[t]) for t, c in counts.items()}
    top = frozenset(sorted(weight, key=lambda t: (-weight[t], t))[:keywords])
    return BodyKeywords(counts, top)


def title_body_similarity(
    title: str,
    body_forms: Sequence[str] | BodyKeywords,
    *,
    idf: IdfTable | None = None,
    keywords: int = 15,
) -> float:
    """Score how well ``title`` describes a body, in [0, 1] (formula in the module doc).

    Parameters
    ----------
    title : str
        The title text.
    body_forms : sequence of str or BodyKeywords
        Normalised token forms of the body, or its :func:`body_keywords` (built
        with the same ``idf`` and ``keywords``).
    idf : IdfTable, optional
        Reference IDF; the bundled table by default.
    keywords : int, default=15
        How many top body terms count as its keywords.

    Returns
    -------
    float
        1.0 when every title term is a body keyword; 0.0 when none occurs in the
        body. A title without content words scores 0.0.
    """
    check_int("keywords", keywords, low=1)
    table = idf if idf is not None else IdfTable.default()
    title_terms = {_stem(f): f for f in tokenize(title).forms if f not in STOPWORDS}
    if not title_terms:
        return 0.0
    body = body_forms
    if not isinstance(body, BodyKeywords):
        body = body_keywords(body, idf=table, keywords=keywords)
    total = matched = 0.0
    for term, form in title_terms.items():
        w = table.idf(form)
        total += w
        if term in body.top:
            matched += w
        elif term in body.counts:
            matched += 0.5 * w
    return matched / total


def check_mismatch_threshold(value: float) -> float:
    """Validate a title mismatch threshold (a similarity in [0, 1])."""
    return check_float("title_threshold", value, low=0.0, high=1.0)


@lru_cache(maxsize=1 << 15)
def _stem(form: str) -> str:
    stem: str = _stemmer().stem(form)
    return stem


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from nltk.stem.snowball import SnowballStemmer  # importing nltk costs ~1 s: on first use

    return SnowballStemmer("english")


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, line)`` of each non-blank line, lazily (a title needs few)."""
    pos = 0
    while pos <= len(text):
        stop = text.find("\n", pos)
        if stop == -1:
            stop = len(text)
        line = text[pos:stop]
        if line.strip():
            yield pos, pos + len(line.rstrip()), line
        pos = stop + 1


def _wrapped(text: str, end: int, words: Sequence[str]) -> bool:
    """Return True when the first line is a hard-wrapped piece of a paragraph, not a title.

    It is when the next line follows without a blank line and either begins in
    lower case (the sentence goes on) or the first line is prose: not Title
    Case (under 70 % of its words capitalised), at least ``_WRAP_WORDS`` words
    and ``_WRAP_RATIO`` of the next line's length.
    """
    stop = text.find("\n", end)
    if stop == -1:
        return False
    nxt_end = text.find("\n", stop + 1)
    nxt = text[stop + 1 : nxt_end if nxt_end != -1 else len(text)].strip()
    if not nxt or text[end:stop].strip():
        return False
    if nxt[0].islower():
        return True
    first_len = len(" ".join(words))
    alpha = [w for w in words if w[0].isalpha()]
    title_case = sum(w[0].isupper() for w in alpha) >= 0.7 * len(alpha)
    return not title_case and len(words) >= _WRAP_WORDS and first_len >= _WRAP_RATIO * len(nxt)


def _shouting(line: str) -> bool:
    """Return True when every cased letter of ``line`` is a capital (and it has one)."""
    return line.isupper()
