"""Pairwise: the full comparison of two documents.

Owns :func:`compare` and everything it scores with: the WordNet-derived
synonym lexicon, TF-IDF, token and sentence alignment, the substitution map,
title/body fit, and the verdict rules. A new verdict rule goes into
``comparison`` (and its thresholds into :mod:`spindetect.settings`). It may
import :mod:`spindetect.text`, :mod:`spindetect.sources` (reading files) and
:mod:`spindetect.sketch`.
"""
