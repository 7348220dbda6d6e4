"""Synthetic data: the article spinner and the labelled corpus generator.

Owns :func:`spin` (a synonym-substituting spinner on the project's lexicon)
and the generator of labelled crawls and pair sets used by the benchmarks and
``spindetect generate``. The detector never imports this package; it may
import ``text`` and ``pairwise`` (the lexicon).
"""

from __future__ import annotations

from typing import Any

__all__ = ["write_crawl", "write_pairs"]


def __getattr__(name: str) -> Any:
    """Import the generator only when it is asked for (``import spindetect`` stays light)."""
    if name in __all__:
        from spindetect.synth import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
