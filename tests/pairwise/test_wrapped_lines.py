"""Hard-wrapped text: sentences cut by line breaks are joined, wrapped lines are not titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spindetect import compare
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.alignment import join_wrapped, units_from_sentences
from spindetect.pairwise.titles import split_title
from spindetect.text.sentences import split_sentences
from spindetect.text.tokens import tokenize

ROOT = Path(__file__).resolve().parents[2]
PAN11 = ROOT.parent / "shared" / "corpora" / "pan11-pairs" / "val_pairs.json"

PARAGRAPH = (
    "The tradition among the Greeks and Romans, of a Golden Age, corresponds in a manner to the "
    "Garden of Eden of Semitic belief. Hawthorne has adjusted the moral balance of his case so "
    "nicely, that a single scruple would turn the scales. The workmen in the shop dropped their "
    "tools and listened with wide-eyed wonder while the old man played on and on."
)


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _sentences(text: str) -> list[str]:
    units = join_wrapped(units_from_sentences(tokenize(text), split_sentences(text)), text)
    return [" ".join(text[u.start : u.end].split()) for u in units]


@given(st.integers(min_value=40, max_value=120))
def test_wrapping_does_not_change_the_sentences(width: int) -> None:
    # Lines of >= 40 characters: narrower wraps leave lines of < 5 words that may be headings.
    assert _sentences(_wrap(PARAGRAPH, width)) == _sentences(PARAGRAPH)
    assert len(_sentences(PARAGRAPH)) == 3


def test_headings_stay_units_of_their_own() -> None:
    text = (
        "Advantages of Peer Support System\nPeer support groups allow people to meet others "
        "with similar experiences.\nWhy\nIt helps."
    )
    assert _sentences(text) == [
        "Advantages of Peer Support System",
        "Peer support groups allow people to meet others with similar experiences.",
        "Why",
        "It helps.",
    ]


def test_a_blank_line_ends_the_unit() -> None:
    text = "the first paragraph has no final stop\n\nand the second begins in lower case."
    assert len(_sentences(text)) == 2


def test_min_tokens_is_validated() -> None:
    with pytest.raises(InvalidParameterError, match="min_tokens"):
        join_wrapped((), "", min_tokens=-1)


def test_wrapped_first_line_is_not_a_title() -> None:
    wrapped = _wrap(PARAGRAPH, 90)
    assert split_title(wrapped).title is None
    assert split_title("A short line of words\nthat goes on in lower case.").title is None
    # A real title followed directly by its body is still one.
    assert split_title("Best Books On Mental Health\n" + PARAGRAPH).title == (
        "Best Books On Mental Health"
    )


def test_reordered_wrapped_copy_is_flagged() -> None:
    sentences = [s for s in PARAGRAPH.split(". ")]
    reordered = ". ".join([sentences[1], sentences[2].rstrip("."), sentences[0]]) + "."
    r = compare(_wrap(PARAGRAPH, 70), _wrap(reordered, 95))
    assert r.is_copy
    assert r.stats["moved_pairs"] >= 1


@pytest.mark.shared
def test_pan11_paraphrase_pairs_are_found_and_random_pairs_are_not() -> None:
    if not PAN11.is_file():
        pytest.skip(f"{PAN11} not available")
    rows = json.loads(PAN11.read_text(encoding="utf-8"))
    positives = [r for r in rows if int(r["label"]) == 1][:120]
    negatives = [r for r in rows if int(r["label"]) == 0][:120]
    found = sum(compare(r["text1"], r["text2"]).is_copy for r in positives)
    flagged = sum(compare(r["text1"], r["text2"]).is_copy for r in negatives)
    assert found >= 0.97 * len(positives)
    assert flagged == 0


def test_a_sentence_cut_in_two_joins_its_counterpart() -> None:
    from spindetect.pairwise.alignment import align

    a = (
        "The girl glances across to see what has become of Leon. He is talking to the doctor "
        "near the big window of the hall. Elise darts off like a greyhound. Marie laughs out "
        "merrily at the ruse of her brother."
    )
    b = (
        "The girl glances across to see what has become of Leon. He is talking to the doctor "
        "near the big window of the hall, Elise darts off like a greyhound. Marie laughs out "
        "merrily at the ruse of her brother."
    )
    ta, tb = tokenize(a), tokenize(b)
    ua = units_from_sentences(ta, split_sentences(a))
    ub = units_from_sentences(tb, split_sentences(b))
    plain = align(ta, ua, tb, ub, merge_gain=1.0)
    joined = align(ta, ua, tb, ub)
    assert len(plain.unmatched_a) == 1
    assert joined.unmatched_a == joined.unmatched_b == ()
    assert len(joined.units_a) == len(joined.units_b) == 3
    assert joined.aligned_tokens("a") == len(ta)


def test_merge_gain_is_validated() -> None:
    from spindetect.pairwise.alignment import align

    t = tokenize("One sentence here.")
    u = units_from_sentences(t, split_sentences("One sentence here."))
    with pytest.raises(InvalidParameterError, match="merge_gain"):
        align(t, u, t, u, merge_gain=1.5)
