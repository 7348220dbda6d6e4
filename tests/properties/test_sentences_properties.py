"""Property tests of spindetect.sentences: spans are ordered, stripped and line-bound."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from spindetect.text.sentences import split_sentences

_PIECES = st.one_of(
    st.sampled_from(list("Ab z9. .!?\"')(\n\n \t\r\u00a0\u2019\u201d\u00c9\u2028\x1c\x85")),
    st.sampled_from(["Dr.", "e.g.", "J.", " The ", ". ", "U.S.", "\r\n"]),
    st.characters(),
)
TEXT = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=120, deadline=None)
@given(TEXT)
@example("")
@example(" \n\t A. B. \n\n")
@example('He said "Stop." Then left.\r\nNext')
def test_spans_within_text_ordered_disjoint_stripped(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = end


@settings(max_examples=120, deadline=None)
@given(TEXT)
def test_spans_cover_all_non_blank_text(text: str) -> None:
    covered = [False] * len(text)
    for start, end in split_sentences(text):
        covered[start:end] = [True] * (end - start)
    # Everything left out is white space: no character of the text is lost.
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.sampled_from(list('ab. D!?"')), max_size=30), max_size=6))
def test_lines_split_independently(lines: list[str]) -> None:
    text = "\n".join(lines)
    expected: list[str] = []
    for line in lines:
        expected += [line[s:e] for s, e in split_sentences(line)]
    assert [text[s:e] for s, e in split_sentences(text)] == expected
