"""The graded word relations of the lexicon, their evidence weights and the lookup key.

A :class:`Relation` says how two words or phrases are related, from the strongest
evidence of a spinner's substitution to none; :data:`RELATION_WEIGHTS` turns it
into a weight in [0, 1]:

========================  ==================================================  ======
relation                  holds when                                          weight
========================  ==================================================  ======
``SAME``                  equal after normalisation or morphy (inflection)    0.0
``SYNONYM``               the two share a synset                              1.0
``FUNCTION``              both in one group of the function-word table        0.9
``HOP1``                  one synset link apart (hypernym, instance,          0.85
                          hyponym, similar-to, also-see, verb-group)
``SPINNER``               a swap real spinners made (spinner-phrase table)    0.9
``SYNONYM_OF_SYNONYM``    a lemma of one's synsets shares a synset with the   0.35
                          other
``NONE``                  none of the above                                   0.0
========================  ==================================================  ======

The levels are tested in the order of the table; the first that holds wins.
Every relation is symmetric.

:func:`word_key` is the normalised form every table is
keyed by. This module owns no data: :mod:`spindetect.pairwise.lexicon` decides the
relations, :mod:`spindetect.pairwise.lexicon_tables` reads the tables.
"""

from __future__ import annotations

import enum

from spindetect.text.normalization import normalize_token

__all__ = ["RELATION_WEIGHTS", "Relation", "word_key"]


class Relation(str, enum.Enum):
    """How two words are related, from strongest evidence of spinning to none."""

    SAME = "same"
    """Identical after normalisation or morphy (``battles`` / ``battle``)."""
    SYNONYM = "synonym"
    """They share a WordNet synset (``fulfill`` / ``meet``)."""
    HOP1 = "hop1"
    """One WordNet relation apart (``advantages`` / ``benefits``)."""
    SYNONYM_OF_SYNONYM = "synonym-of-synonym"
    """A synonym of one is a synonym of the other (``similar`` / ``comparable``)."""
    FUNCTION = "function-word"
    """In one group of the project's function-word table (``amongst`` / ``among``)."""
    SPINNER = "spinner"
    """A swap real spinners made, from the spinner-phrase table (``deep`` / ``profound``)."""
    NONE = "none"
    """No relation found."""


RELATION_WEIGHTS: dict[Relation, float] = {
    Relation.SYNONYM: 1.0,
    Relation.FUNCTION: 0.9,
    Relation.HOP1: 0.85,
    Relation.SPINNER: 0.9,
    Relation.SYNONYM_OF_SYNONYM: 0.35,
    Relation.SAME: 0.0,
    Relation.NONE: 0.0,
}
"""Evidence weight in [0, 1] of each relation for an aligned substitution slot.

Chosen from the likelihood ratios measured on the seed pair (research note
``lexicon.md``, section 3): the share of a spinner's single-word substitutions
reaching a level divided by the share of random content-word pairs from the
same pages reaching it. The weight is :math:`w = \\ln LR / \\ln LR_{synonym}`,
rounded to 0.05:

* synonym: 19.6 % of spun slots vs 0.4 % of random pairs, :math:`LR \\approx 49`, w = 1;
* hop1 (increment): 31.5 % vs 1.1 %, :math:`LR \\approx 29`, w = 0.85;
* synonym of synonym (increment): 3.2 % vs 0.9 %, :math:`LR \\approx 3.6`, w = 0.35;
* function word: not measured against random pairs (the groups are small and
  hand-checked), set just under synonym at 0.9;
* spinner: pairs real spinners produced (tortured-phrases list), not graded by
  likelihood ratio; set with function words at 0.9;
* same and none carry no evidence of a substitution: 0.
"""


def word_key(text: str) -> str:
    """Return the lookup key of a word or phrase.

    NFKC, case-folded, typographic punctuation folded; runs of whitespace and
    hyphens become one ``_`` (``"Risk-free"`` -> ``"risk_free"``).
    """
    folded = normalize_token(text)
    return "_".join(folded.replace("-", " ").replace("_", " ").split())
