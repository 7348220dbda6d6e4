"""Property tests of spindetect.tokenize: spans, order and forms."""

from __future__ import annotations

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from spindetect.text.normalization import normalize_token
from spindetect.text.tokens import WORD_PATTERN, span_tokenize, tokenize

# Word-ish text with many apostrophes, separators and some arbitrary Unicode.
_CHARS = st.one_of(
    st.sampled_from(list("ab Z9_'\u2019\u2018-.,\n\t\u00a0\u00df\u0301\u00e9\u0130")),
    st.characters(),
)
TEXT = st.text(_CHARS, max_size=80)


@settings(max_examples=150, deadline=None)
@given(TEXT)
@example("'a'b''c'\u2019d\u2019")
@example("")
def test_every_span_slices_back_to_a_full_word(text: str) -> None:
    toks = tokenize(text)
    assert toks.spans.shape == (len(toks), 2)
    for i, (start, end) in enumerate(toks.spans.tolist()):
        surface = text[start:end]
        assert surface == toks.surface(i)
        assert WORD_PATTERN.fullmatch(surface)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_spans_strictly_increasing_and_disjoint(text: str) -> None:
    spans = tokenize(text).spans.tolist()
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    for (_, prev_end), (next_start, _) in itertools.pairwise(spans):
        # A gap of at least one character: adjacent words would have merged.
        assert prev_end < next_start


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_forms_are_normalised_surfaces(text: str) -> None:
    toks = tokenize(text)
    assert len(toks.forms) == len(toks)
    assert list(toks.forms) == [normalize_token(toks.surface(i)) for i in range(len(toks))]
    assert list(span_tokenize(text)) == [tuple(s) for s in toks.spans.tolist()]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=8), max_size=12
    )
)
def test_words_joined_by_spaces_come_back(words: list[str]) -> None:
    text = " ".join(words)
    toks = tokenize(text)
    assert [toks.surface(i) for i in range(len(toks))] == words


@settings(max_examples=150, deadline=None)
@given(TEXT)
@example("x'y'")
def test_words_are_maximal(text: str) -> None:
    for start, end in tokenize(text).spans.tolist():
        after = text[end : end + 2]
        before = text[max(start - 2, 0) : start]
        assert not (after[:1].isalnum() or after[:1] == "_")
        assert not (after[:1] in ("'", "\u2019") and WORD_PATTERN.match(after[1:]))
        assert not (before[-1:].isalnum() or before[-1:] == "_")
        assert not (before[-1:] in ("'", "\u2019") and WORD_PATTERN.match(before[:-1][-1:]))
