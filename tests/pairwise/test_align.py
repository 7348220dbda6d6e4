"""Tests of spindetect.align (sentence pairing and token alignment)."""

from __future__ import annotations

import itertools

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.alignment import Alignment, Unit, align, units_from_sentences
from spindetect.text.sentences import split_sentences
from spindetect.text.tokens import Tokens, tokenize

S = [
    "Peer support groups help people meet others with similar experiences.",
    "Members share coping strategies and practical advice with one another.",
    "The shared experiences can reduce feelings of isolation and loneliness.",
    "Finding the right group can take some time and patience.",
]


def _prepare(text: str) -> tuple[Tokens, tuple[Unit, ...]]:
    tokens = tokenize(text)
    return tokens, units_from_sentences(tokens, split_sentences(text))


def _align(a: str, b: str, **options: float) -> tuple[Alignment, Tokens, Tokens]:
    ta, ua = _prepare(a)
    tb, ub = _prepare(b)
    return align(ta, ua, tb, ub, **options), ta, tb


# --- units_from_sentences --------------------------------------------------------------


def test_units_drop_sentences_without_words() -> None:
    text = "Hello world.\n* * *\n...\nSecond one here.\n---"
    tokens, units = _prepare(text)
    assert len(split_sentences(text)) == 5
    assert [text[u.start : u.end] for u in units] == ["Hello world.", "Second one here."]
    assert [(u.first, u.last) for u in units] == [(0, 2), (2, 5)]
    # token ranges agree with the character spans
    for u in units:
        assert tokenize(text[u.start : u.end]).forms == tokens.forms[u.first : u.last]


def test_units_of_empty_text() -> None:
    tokens = tokenize("")
    assert units_from_sentences(tokens, []) == ()
    assert units_from_sentences(tokens, [(0, 0)]) == ()


# --- align -----------------------------------------------------------------------------


def test_identical_texts_pair_every_sentence_with_equal_blocks_only() -> None:
    text = " ".join(S)
    result, ta, _ = _align(text, text)
    assert [(p.a, p.b) for p in result.pairs] == [(i, i) for i in range(len(S))]
    assert not any(p.moved for p in result.pairs)
    assert all(p.score == pytest.approx(1.0) for p in result.pairs)
    for p in result.pairs:
        assert [b.tag for b in p.blocks] == ["equal"]
        unit = result.units_a[p.a]
        (block,) = p.blocks
        assert (block.a_first, block.a_last) == (unit.first, unit.last)
        assert (block.b_first, block.b_last) == (unit.first, unit.last)
    assert result.unmatched_a == result.unmatched_b == ()
    assert result.equal_tokens == len(ta)
    assert result.aligned_tokens("a") == result.aligned_tokens("b") == len(ta)


def test_swapped_sentences_give_a_moved_pair() -> None:
    a = " ".join(S)
    b = " ".join([S[0], S[2], S[1], S[3]])
    result, _, _ = _align(a, b)
    pairs = {(p.a, p.b): p for p in result.pairs}
    # every sentence finds its copy, wherever it went
    assert set(pairs) == {(0, 0), (1, 2), (2, 1), (3, 3)}
    # exactly one of the two swapped sentences can stay in order; the other is moved
    assert sorted(p.moved for p in result.pairs) == [False, False, False, True]
    assert not pairs[(0, 0)].moved and not pairs[(3, 3)].moved
    assert pairs[(1, 2)].moved != pairs[(2, 1)].moved
    # pairs are listed in the order of document a
    assert [p.a for p in result.pairs] == sorted(p.a for p in result.pairs)


def test_moved_pair_needs_moved_threshold() -> None:
    # S[3], lightly spun, moved to the front of b: only out-of-order pairing can find it.
    spun = "Finding the proper group can take some effort and patience."
    ta, ua = _prepare(" ".join(S))
    tb, ub = _prepare(" ".join([spun, S[0], S[1], S[2]]))
    loose = align(ta, ua, tb, ub, moved_threshold=0.0)
    by_cell = {(p.a, p.b): p for p in loose.pairs}
    assert set(by_cell) == {(0, 1), (1, 2), (2, 3), (3, 0)}
    assert by_cell[(3, 0)].moved
    assert not any(by_cell[c].moved for c in [(0, 1), (1, 2), (2, 3)])
    score = by_cell[(3, 0)].score
    assert 0.5 < score < 1.0
    at = align(ta, ua, tb, ub, moved_threshold=score)
    assert (3, 0) in {(p.a, p.b) for p in at.pairs}
    above = align(ta, ua, tb, ub, moved_threshold=min(1.0, score + 0.01))
    assert (3, 0) not in {(p.a, p.b) for p in above.pairs}
    assert above.unmatched_a == (3,) and above.unmatched_b == (0,)


def test_word_swap_gives_replace_block_with_token_indices() -> None:
    # prefix sentence shifts global token indices: S[0] has 10 tokens
    a = S[0] + " The group meets every week in the hall."
    b = S[0] + " The team meets every week in the hall."
    result, ta, tb = _align(a, b)
    pair = result.pairs[1]
    assert (pair.a, pair.b) == (1, 1)
    changed = [blk for blk in pair.blocks if blk.tag != "equal"]
    assert len(changed) == 1
    (blk,) = changed
    assert blk.tag == "replace"
    idx = 10 + 1  # "The" is token 10, "group"/"team" token 11
    assert (blk.a_first, blk.a_last, blk.b_first, blk.b_last) == (idx, idx + 1, idx, idx + 1)
    assert ta.forms[idx] == "group" and tb.forms[idx] == "team"
    assert result.equal_tokens == len(ta) - 1
    # blocks tile both sentences without gaps
    ua, ub = result.units_a[1], result.units_b[1]
    assert pair.blocks[0].a_first == ua.first and pair.blocks[-1].a_last == ua.last
    assert pair.blocks[0].b_first == ub.first and pair.blocks[-1].b_last == ub.last
    for x, y in itertools.pairwise(pair.blocks):
        assert x.a_last == y.a_first and x.b_last == y.b_first


def test_insert_and_delete_blocks() -> None:
    a = "The group meets every week in the old hall."
    b = "The group meets every single week in the hall."
    result, ta, tb = _align(a, b)
    (pair,) = result.pairs
    tags = {blk.tag: blk for blk in pair.blocks if blk.tag != "equal"}
    assert set(tags) == {"insert", "delete"}
    ins, dele = tags["insert"], tags["delete"]
    assert ins.a_first == ins.a_last and tb.forms[ins.b_first : ins.b_last] == ("single",)
    assert dele.b_first == dele.b_last and ta.forms[dele.a_first : dele.a_last] == ("old",)


def test_unrelated_texts_give_no_pairs() -> None:
    a = " ".join(S)
    b = (
        "The stock market fell sharply on Monday after weak earnings reports. "
        "Investors sold technology shares in large numbers."
    )
    result, _, _ = _align(a, b)
    assert result.pairs == ()
    assert result.unmatched_a == (0, 1, 2, 3)
    assert result.unmatched_b == (0, 1)
    assert result.equal_tokens == 0


def test_empty_side_gives_no_pairs() -> None:
    ta, ua = _prepare(" ".join(S))
    tb, ub = _prepare("")
    result = align(ta, ua, tb, ub)
    assert result.pairs == () and result.unmatched_a == (0, 1, 2, 3) and result.unmatched_b == ()


@pytest.mark.parametrize("name", ["pair_threshold", "gap_threshold", "moved_threshold"])
@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan"), "0.5", True])
def test_threshold_validation_names_parameter(name: str, value: object) -> None:
    ta, ua = _prepare(S[0])
    with pytest.raises(InvalidParameterError, match=name):
        align(ta, ua, ta, ua, **{name: value})  # type: ignore[arg-type]


def test_pair_threshold_controls_in_order_pairing() -> None:
    a = "Members share coping strategies and practical advice with one another."
    b = "Members share coping methods and useful advice with one another."
    result, _, _ = _align(a, b, pair_threshold=0.0)
    (pair,) = result.pairs
    assert 0.5 < pair.score < 1.0
    strict, _, _ = _align(a, b, pair_threshold=min(1.0, pair.score + 0.01), moved_threshold=1.0)
    assert strict.pairs == ()
    loose, _, _ = _align(a, b, pair_threshold=pair.score)
    assert [(p.a, p.b) for p in loose.pairs] == [(0, 0)]


def test_gap_rule_pairs_one_word_heading_between_aligned_sentences() -> None:
    a = S[0] + "\nDiscretion\n" + S[1]
    b = S[0] + "\nConfidentiality\n" + S[1]
    result, _, _ = _align(a, b, gap_threshold=1.0)  # the heading pair scores 0
    assert [(p.a, p.b) for p in result.pairs] == [(0, 0), (1, 1), (2, 2)]
    heading = result.pairs[1]
    assert heading.score == 0.0 and not heading.moved
    assert [b.tag for b in heading.blocks] == ["replace"]
    assert result.unmatched_a == result.unmatched_b == ()


def test_gap_rule_does_not_pair_long_unrelated_sentences() -> None:
    a = S[0] + "\nStrict discretion always matters here\n" + S[1]
    b = S[0] + "\nConfidentiality\n" + S[1]
    result, _, _ = _align(a, b)
    assert [(p.a, p.b) for p in result.pairs] == [(0, 0), (2, 2)]
    assert result.unmatched_a == (1,) and result.unmatched_b == (1,)


def test_gap_threshold_pairs_spun_sentence_between_anchors() -> None:
    middle_a = "The shared experiences can reduce feelings of isolation and loneliness."
    middle_b = "Common stories may lessen sensations of seclusion and solitude."
    a = " ".join([S[0], middle_a, S[3]])
    b = " ".join([S[0], middle_b, S[3]])
    ta, ua = _prepare(a)
    tb, ub = _prepare(b)
    score = align(ta, ua, tb, ub, gap_threshold=0.0).pairs[1].score
    assert 0.0 < score < 0.5  # too low for in-order pairing on its own
    assert [(p.a, p.b) for p in align(ta, ua, tb, ub, gap_threshold=score).pairs] == [
        (0, 0),
        (1, 1),
        (2, 2),
    ]
    assert [
        (p.a, p.b)
        for p in align(
            ta, ua, tb, ub, gap_threshold=min(1.0, score + 0.01), moved_threshold=1.0
        ).pairs
    ] == [(0, 0), (2, 2)]
