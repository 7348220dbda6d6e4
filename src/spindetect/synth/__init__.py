"""Synthetic data: the article spinner and the labelled corpus generator.

Owns :func:`spin` (a synonym-substituting spinner on the project's lexicon)
and the generator of labelled crawls and pair sets used by the benchmarks and
``spindetect generate``. The detector never imports this package; it may
import ``text`` and ``pairwise`` (the lexicon).
"""

from __future__ import annotations

from spindetect.synth.corpus import write_crawl, write_pairs

__all__ = ["write_crawl", "write_pairs"]
