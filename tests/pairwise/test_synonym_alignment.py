"""Synonym-aware alignment: lexicon matches count while aligning, only with sequential support."""

from __future__ import annotations

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.alignment import Alignment, align, units_from_sentences
from spindetect.text.sentences import split_sentences
from spindetect.text.tokens import tokenize


def _align(a: str, b: str, **options: float) -> Alignment:
    ta, tb = tokenize(a), tokenize(b)
    return align(
        ta,
        units_from_sentences(ta, split_sentences(a)),
        tb,
        units_from_sentences(tb, split_sentences(b)),
        **options,
    )


# A SpinBot-style spin: nearly every content word replaced, function words kept.
ORIGINAL = "The pad has an analog stick and buttons beside a large screen."
SPUN = "The cushion possesses a simple stick and catches beside a big display."


def test_heavy_spin_pairs_only_with_lexicon_matches() -> None:
    plain = _align(ORIGINAL, SPUN, synonym_weight=0.0)
    related = _align(ORIGINAL, SPUN)
    assert plain.pairs == ()  # below the pairing threshold on identical words
    (pair,) = related.pairs
    assert pair.score >= 0.5
    # identical forms only are kept: lexicon matches are replacements
    assert related.equal_tokens == 5  # the, stick, and, beside, a


def test_lexicon_match_weight_is_below_an_identical_word() -> None:
    identical = _align(ORIGINAL, ORIGINAL.replace("large", "big"))
    same = _align(ORIGINAL, ORIGINAL)
    assert identical.pairs[0].score < same.pairs[0].score == 1.0


def test_related_words_without_shared_neighbours_do_not_pair() -> None:
    # Same subject, related words (big/large, display/screen, buttons/push buttons)
    # but no run of matched words around them: no sequential support.
    a = "A large screen sits above the keyboard of the console in most homes."
    b = "Buyers wanted big display panels, cheap cables and quiet fans."
    assert _align(a, b).pairs == _align(a, b, synonym_weight=0.0).pairs == ()


def test_unsupported_matches_leave_the_score_unchanged() -> None:
    a = "Rivers flood the large valley every spring after the snow melts."
    b = "Farmers in the big valley plant wheat when spring rain arrives."
    plain = _align(a, b, synonym_weight=0.0, pair_threshold=0.0, moved_threshold=0.0)
    related = _align(a, b, pair_threshold=0.0, moved_threshold=0.0)
    # "big valley" beside "the": supported, but only that one match is added
    assert related.pairs[0].score >= plain.pairs[0].score
    assert related.pairs[0].score - plain.pairs[0].score <= 0.5 * 2 / 22 + 1e-6


def test_synonym_weight_is_validated() -> None:
    with pytest.raises(InvalidParameterError, match="synonym_weight"):
        _align(ORIGINAL, SPUN, synonym_weight=1.5)
