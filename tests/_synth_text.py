"""Helpers of the synthetic-data tests: word sets, overlaps and the text-source skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from spindetect.synth.source import default_source_path
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import WORD_PATTERN

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"

#: Skips a test module when the repository's text source is absent (an sdist, a wheel).
needs_source = pytest.mark.skipif(
    default_source_path() is None, reason="corpora/source text source not present"
)


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (:data:`~spindetect.text.tokens.WORD_PATTERN`)."""
    return [m.group().lower() for m in WORD_PATTERN.finditer(text)]


def content(text: str) -> set[str]:
    """Alphabetic words of ``text`` that are not stop words."""
    return {w for w in words(text) if w not in STOPWORDS and w.isalpha()}


def jaccard(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two sets (1.0 for two empty sets)."""
    return len(a & b) / len(a | b) if a | b else 1.0


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """Word ``n``-grams of ``text``."""
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
