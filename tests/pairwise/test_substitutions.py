"""Tests of spindetect.substitutions (reading swaps and inserted phrases from an alignment)."""

from __future__ import annotations

import pytest

from spindetect.pairwise.alignment import align, units_from_sentences
from spindetect.pairwise.lexicon import Relation
from spindetect.pairwise.substitutions import Explanation, Substitution, Swap, explain_blocks
from spindetect.text.sentences import split_sentences
from spindetect.text.tokens import tokenize


def _explain(a: str, b: str, **options: int) -> Explanation:
    ta, tb = tokenize(a), tokenize(b)
    alignment = align(
        ta,
        units_from_sentences(ta, split_sentences(a)),
        tb,
        units_from_sentences(tb, split_sentences(b)),
    )
    assert alignment.pairs, "test sentences must align"
    return explain_blocks(alignment, ta, tb, **options)


def _swaps(e: Explanation) -> list[tuple[str, str]]:
    return [(s.original, s.replacement) for s in e.swaps]


def test_single_word_swap_with_relation() -> None:
    a = "The advantages of the program are clear to everyone."
    b = "The benefits of the program are clear to everyone."
    e = _explain(a, b)
    assert _swaps(e) == [("advantages", "benefits")]
    (swap,) = e.swaps
    assert swap.relation is Relation.HOP1
    assert (swap.start, swap.end, swap.spun_start, swap.spun_end) == (4, 14, 4, 12)
    assert swap.count == 1 and Swap is Substitution and swap.a_text == "advantages"
    assert e.single_word_swaps == e.swaps
    assert e.inserted == [] and e.filler_tokens == 0 and e.rewritten_tokens == 0


def test_two_separate_swaps() -> None:
    a = "Groups allow individuals to fulfill others with similar experiences."
    b = "Groups allow people to meet others with similar experiences."
    e = _explain(a, b)
    assert _swaps(e) == [("individuals", "people"), ("fulfill", "meet")]
    assert e.swaps[1].relation is Relation.SYNONYM


def test_equal_length_block_is_split_into_word_swaps() -> None:
    # two adjacent unrelated-as-a-phrase words of equal length -> two one-word swaps
    a = "Members can find comfort in knowing that others care."
    b = "Members can discover convenience in knowing that others care."
    e = _explain(a, b)
    assert _swaps(e) == [("find", "discover"), ("comfort", "convenience")]
    assert [(a[s.start : s.end], b[s.spun_start : s.spun_end]) for s in e.swaps] == [
        ("find", "discover"),
        ("comfort", "convenience"),
    ]


def test_multiword_phrase_swap_kept_whole() -> None:
    a = "You can connect with them in a safe room today."
    b = "You can get in touch with them in a safe room today."
    e = _explain(a, b)
    assert _swaps(e) == [("connect", "get in touch")]
    (swap,) = e.swaps
    assert swap.relation is not Relation.NONE
    assert a[swap.start : swap.end] == "connect"
    assert b[swap.spun_start : swap.spun_end] == "get in touch"
    assert e.single_word_swaps == []
    assert e.inserted == []


def test_equal_length_function_phrase_kept_whole() -> None:
    a = "Members respect each other and grow together over time."
    b = "Members respect one another and grow together over time."
    e = _explain(a, b)
    assert _swaps(e) == [("each other", "one another")]
    assert e.swaps[0].relation is Relation.FUNCTION


def test_injected_three_word_phrase_is_inserted_on_b() -> None:
    a = "They have found their lives transformed through new links."
    b = "They have found mental health hotlines their lives transformed through new links."
    e = _explain(a, b)
    assert e.swaps == []
    assert len(e.inserted) == 1
    (ins,) = e.inserted
    assert ins.side == "b" and ins.text == "mental health hotlines"
    assert (ins.first, ins.last) == (3, 6)


def test_phrase_only_in_a_is_inserted_on_a() -> None:
    a = "For those outpatient mental health treatment battling with illness, this helps."
    b = "For those battling with illness, this helps."
    e = _explain(a, b)
    assert [(i.side, i.text) for i in e.inserted] == [("a", "outpatient mental health treatment")]


def test_one_word_filler_is_not_reported() -> None:
    a = "They have found their lives transformed through new links."
    b = "They have actually found their lives transformed through new links."
    e = _explain(a, b)
    assert e.inserted == [] and e.swaps == []
    assert e.filler_tokens == 1


def test_min_inserted_controls_filler() -> None:
    a = "They have found their lives transformed through new links."
    b = "They have found hotlines their lives transformed through new links."
    assert _explain(a, b).inserted == []
    e = _explain(a, b, min_inserted=1)
    assert [(i.side, i.text) for i in e.inserted] == [("b", "hotlines")]


def test_inserted_function_words_are_filler() -> None:
    a = "They have found their lives transformed through new links."
    b = "They have found that it is their lives transformed through new links."
    e = _explain(a, b)
    assert e.inserted == []
    assert e.filler_tokens == 3


def test_crossed_lcs_tie_is_a_rewrite_not_an_insertion() -> None:
    # The LCS keeps "social" and splits the change into an insertion in b
    # ("societal norms and") and a deletion in a ("standards and cultural").
    a = "It is shaped by social standards and cultural values in the region."
    b = "It is shaped by societal norms and social values in the region."
    ta, tb = tokenize(a), tokenize(b)
    alignment = align(
        ta,
        units_from_sentences(ta, split_sentences(a)),
        tb,
        units_from_sentences(tb, split_sentences(b)),
        synonym_weight=0.0,  # on exact forms only; with the lexicon, see the next test
    )
    (pair,) = alignment.pairs
    tags = [blk.tag for blk in pair.blocks]
    assert tags == ["equal", "insert", "equal", "delete", "equal"]  # the tie shape
    assert pair.blocks[2].a_last - pair.blocks[2].a_first == 1  # one shared word
    inserted = pair.blocks[1]
    assert tb.forms[inserted.b_first : inserted.b_last] == ("societal", "norms", "and")
    e = explain_blocks(alignment, ta, tb)
    assert e.inserted == []
    assert e.rewritten_tokens == 6


def test_synonym_aware_alignment_reads_the_tie_as_swaps() -> None:
    # Aligning with lexicon matches puts societal under social and norms under
    # standards, so the change reads as three swaps instead of a 6-token rewrite.
    a = "It is shaped by social standards and cultural values in the region."
    b = "It is shaped by societal norms and social values in the region."
    ta, tb = tokenize(a), tokenize(b)
    alignment = align(
        ta,
        units_from_sentences(ta, split_sentences(a)),
        tb,
        units_from_sentences(tb, split_sentences(b)),
    )
    (pair,) = alignment.pairs
    assert [blk.tag for blk in pair.blocks] == ["equal", "replace", "equal", "replace", "equal"]
    e = explain_blocks(alignment, ta, tb)
    assert [(s.a_text, s.b_text) for s in e.swaps] == [
        ("social", "societal"),
        ("standards", "norms"),
        ("cultural", "social"),
    ]
    assert all(s.relation is not Relation.NONE for s in e.swaps)
    assert e.inserted == [] and e.rewritten_tokens == 0
    assert alignment.equal_tokens == 9  # lexicon matches are not counted as kept tokens


def test_insertion_far_from_a_deletion_is_still_inserted() -> None:
    # An insertion and a deletion several shared words apart: a real insertion.
    a = "Peer groups meet weekly in the old hall near the station every evening."
    b = "Peer groups meet weekly mental health hotlines in the hall near the station every evening."
    e = _explain(a, b)
    assert [(i.side, i.text) for i in e.inserted] == [("b", "mental health hotlines")]
    assert e.filler_tokens == 1  # "old"


@pytest.mark.parametrize("option", ["max_phrase", "min_inserted"])
def test_options_change_classification(option: str) -> None:
    a = "You can connect with them in a safe room today."
    b = "You can get in touch with them in a safe room today."
    if option == "max_phrase":
        # a 3-word side longer than max_phrase is no swap any more
        e = _explain(a, b, max_phrase=2)
        assert ("connect", "get in touch") not in _swaps(e)
    else:
        e = _explain(a, b, min_inserted=5)
        assert _swaps(e) == [("connect", "get in touch")]
