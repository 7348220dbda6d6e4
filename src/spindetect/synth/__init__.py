"""Synthetic data: the article spinner and the labelled corpus generator.

Owns :func:`spin` (a synonym-substituting spinner on the project's lexicon)
and the generator of labelled crawls and pair sets used by the benchmarks and
``spindetect generate``. The detector never imports this package; it may
import ``text`` and ``pairwise`` (the lexicon, TF-IDF and titles).

The spinner: :mod:`~spindetect.synth.spinner` (:func:`spin`, the driver),
:mod:`~spindetect.synth.word_choice` (which synonyms and phrases may replace a
word), :mod:`~spindetect.synth.inflection` (re-inflecting them) and
:mod:`~spindetect.synth.text_edits` (edit slots, sentence order, rendering,
mojibake).

The generator, in the order text flows through it:

* :mod:`~spindetect.synth.source`: the text source, sentences grouped by topic;
* :mod:`~spindetect.synth.markov`: a Markov chain per topic (kernels in
  :mod:`~spindetect.synth._chain_kernels`) that makes new sentences;
* :mod:`~spindetect.synth.streams`: sentence streams of one run, no sentence or
  8-token run handed out twice;
* :mod:`~spindetect.synth.terms` and :mod:`~spindetect.synth.naming`: titles,
  headings, keywords, site names made from the text;
* :mod:`~spindetect.synth.articles`: articles;
* :mod:`~spindetect.synth.pair_sets`, :mod:`~spindetect.synth.boilerplate`,
  :mod:`~spindetect.synth.crawls`: the labelled sets (spun pairs and
  negatives, same-site negatives, crawls);
* :mod:`~spindetect.synth.manifest` and :mod:`~spindetect.synth._seeds`: files,
  manifests and seeds.

The generator's public names are importable from this package; they load on
first use, so ``import spindetect`` stays light. Manifests name their writer
as ``spindetect.synth.write_pairs`` or ``spindetect.synth.write_crawl``.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it (imported on first use).
_HOMES = {
    "GENERATOR_VERSION": "manifest",
    "CrawlDoc": "crawls",
    "MarkovChain": "markov",
    "TemplateNegative": "boilerplate",
    "TextSource": "source",
    "crawl_pairs": "crawls",
    "default_source_path": "source",
    "generate_article": "articles",
    "generate_crawl": "crawls",
    "generate_negatives": "pair_sets",
    "generate_pairs": "pair_sets",
    "generate_template_negatives": "boilerplate",
    "load_source": "source",
    "write_crawl": "crawls",
    "write_pairs": "pair_sets",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """Import the generator only when one of its names is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"spindetect.synth.{home}"), name)
