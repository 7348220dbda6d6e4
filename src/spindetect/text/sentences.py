"""Sentence splitting with character spans.

A rule-based splitter tuned for web articles: a line break always ends a unit
(headings, list items and titles are lines of their own), and inside a line a
sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes or brackets) that is
followed by white space and an upper-case letter, digit or opening quote, unless
the word before the full stop is a known abbreviation or a single initial.
nltk's Punkt needs trained data that cannot be downloaded here, and an untrained
Punkt splits after ``e.g.`` and ``Dr.``; these rules do not.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st vs etc e.g i.e cf al approx dept est fig inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec no vol pp ed eds gen gov rev sen rep
    u.s u.k a.m p.m ph.d
    """.split()
)
# The lookahead captures the next word character; _split_line keeps the match only
# when it is an upper-case letter (any script) or an ASCII digit.
_BOUNDARY = re.compile(r"""[.!?]+["')\]\u201d\u2019]*(?=\s+["'(\[\u201c\u2018]?(\w))""")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"')\]\u201d\u2019]*$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``.

    Spans exclude surrounding white space and never cross a line break; empty
    lines yield nothing.

    Examples
    --------
    >>> text = "Advantages\\nDr. Smith met them. It helps, e.g. in groups! Yes."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['Advantages', 'Dr. Smith met them.', 'It helps, e.g. in groups!', 'Yes.']
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        _split_line(line, line_start, spans)
        line_start += len(line) + 1
    return spans


def _split_line(line: str, offset: int, spans: list[tuple[int, int]]) -> None:
    start = 0
    for match in _BOUNDARY.finditer(line):
        following = match.group(1)
        if not (following.isupper() or "0" <= following <= "9"):
            continue
        end = match.end()
        before = _WORD_BEFORE.search(line, 0, end)
        if before is not None:
            word = before.group(1).lower().rstrip(".")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _add(line, start, end, offset, spans)
        start = end
    _add(line, start, len(line), offset, spans)


def _add(line: str, start: int, end: int, offset: int, spans: list[tuple[int, int]]) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))
