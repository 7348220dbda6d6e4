"""Word tokenisation that keeps character spans.

A *word* is a maximal run of Unicode word characters (``\\w``: letters, digits,
underscore), where an apostrophe (``'`` or ``\\u2019``) between two word
characters joins them (``they're``, ``don't``). Every token keeps its span so
that ``text[start:end]`` is exactly the token's surface text, and its
comparison form from :func:`~spindetect.normalize.normalize_token`.

The compiled fingerprint kernel in :mod:`spindetect.minhash` uses the same word
definition on UTF-8 bytes, so both paths see the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spindetect._validation import check_str
from spindetect.text.normalization import normalize_token

__all__ = ["WORD_PATTERN", "Tokens", "span_tokenize", "tokenize"]

WORD_PATTERN = re.compile(r"\w+(?:['\u2019]\w+)*")


@dataclass(frozen=True)
class Tokens(Sequence[str]):
    """The tokens of one text: comparison forms plus character spans.

    Attributes
    ----------
    text : str
        The text the spans index into.
    forms : tuple of str
        Normalised (case-folded) token forms, one per token.
    spans : numpy.ndarray of shape (n_tokens, 2), dtype int64
        ``[start, end)`` character offsets into ``text``.
    """

    text: str
    forms: tuple[str, ...]
    spans: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.forms)

    def __getitem__(self, index: Any) -> Any:  # int gives a form, a slice a list of forms
        return self.forms[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.forms)

    def surface(self, index: int) -> str:
        """Return the token as written in ``text``."""
        start, end = self.spans[index]
        return self.text[start:end]

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Return the character span covering tokens ``first`` to ``last - 1``."""
        if last <= first:
            pos = int(self.spans[first, 0]) if first < len(self) else len(self.text)
            return pos, pos
        return int(self.spans[first, 0]), int(self.spans[last - 1, 1])


def span_tokenize(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` offsets of the words of ``text``.

    Examples
    --------
    >>> list(span_tokenize("They're here."))
    [(0, 7), (8, 12)]
    """
    check_str("text", text)
    for match in WORD_PATTERN.finditer(text):
        yield match.span()


def tokenize(text: str) -> Tokens:
    """Split ``text`` into words with spans and normalised forms.

    Parameters
    ----------
    text : str
        Any text; no normalisation is required beforehand.

    Returns
    -------
    Tokens
        The tokens, in order.

    Raises
    ------
    InvalidParameterError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> toks = tokenize("Peer Support\\u2019s benefits")
    >>> list(toks), toks.surface(1)
    (['peer', "support's", 'benefits'], 'Support\\u2019s')
    """
    check_str("text", text)
    spans = [m.span() for m in WORD_PATTERN.finditer(text)]
    forms = tuple(normalize_token(text[s:e]) for s, e in spans)
    array = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return Tokens(text=text, forms=forms, spans=array)
