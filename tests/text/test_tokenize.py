"""Tests of word tokenisation with spans (spindetect.tokenize)."""

from __future__ import annotations

import numpy as np
import pytest

from spindetect.text.tokens import WORD_PATTERN, Tokens, span_tokenize, tokenize


def surfaces(text: str) -> list[str]:
    toks = tokenize(text)
    return [toks.surface(i) for i in range(len(toks))]


class TestSpans:
    def test_spans_slice_back_to_surface_text(self) -> None:
        text = "Peer  Support\u2019s BENEFITS, in 2024 (really)!"
        toks = tokenize(text)
        assert [text[s:e] for s, e in toks.spans] == [
            "Peer",
            "Support\u2019s",
            "BENEFITS",
            "in",
            "2024",
            "really",
        ]
        assert surfaces(text) == [text[s:e] for s, e in toks.spans]

    def test_spans_array_shape_and_dtype(self) -> None:
        toks = tokenize("one two three")
        assert toks.spans.dtype == np.int64
        assert toks.spans.shape == (3, 2)
        assert toks.spans.tolist() == [[0, 3], [4, 7], [8, 13]]

    def test_span_tokenize_matches_tokenize(self) -> None:
        text = "They're here.\nDon\u2019t go; x_1 y2k."
        assert list(span_tokenize(text)) == [tuple(s) for s in tokenize(text).spans.tolist()]

    def test_span_tokenize_docstring_example(self) -> None:
        assert list(span_tokenize("They're here.")) == [(0, 7), (8, 12)]

    def test_spans_index_the_original_not_a_normalised_copy(self) -> None:
        text = "\ufb01ne \uff21\uff22 caf\u00e9"  # ligature, full-width letters
        toks = tokenize(text)
        assert surfaces(text) == ["\ufb01ne", "\uff21\uff22", "caf\u00e9"]
        assert list(toks) == ["fine", "ab", "caf\u00e9"]


class TestForms:
    def test_forms_are_casefolded(self) -> None:
        assert list(tokenize("The STRASSE Stra\u00dfe \u0130stanbul")) == [
            "the",
            "strasse",
            "strasse",
            "i\u0307stanbul",
        ]

    def test_typographic_apostrophe_folded_in_form_only(self) -> None:
        toks = tokenize("Support\u2019s")
        assert list(toks) == ["support's"]
        assert toks.surface(0) == "Support\u2019s"

    def test_sequence_protocol(self) -> None:
        toks = tokenize("A b C")
        assert len(toks) == 3
        assert toks[0] == "a"
        assert toks[-1] == "c"
        assert toks[0:2] == ("a", "b")
        assert list(iter(toks)) == ["a", "b", "c"]
        assert "b" in toks
        assert isinstance(toks, Tokens)
        assert toks.text == "A b C"


class TestWords:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("they're", ["they're"]),
            ("don\u2019t", ["don\u2019t"]),
            ("rock'n'roll", ["rock'n'roll"]),
            ("'quoted'", ["quoted"]),
            ("the dogs' bones", ["the", "dogs", "bones"]),
            ("it''s", ["it", "s"]),
            ("\u2018single\u2019", ["single"]),
            ("a \u2019 b", ["a", "b"]),
        ],
    )
    def test_apostrophes_join_only_between_word_characters(
        self, text: str, expected: list[str]
    ) -> None:
        assert surfaces(text) == expected

    def test_other_quote_marks_do_not_join(self) -> None:
        # U+2018 and U+02BC are not joiners; the left quote splits the word.
        assert surfaces("it\u2018s") == ["it", "s"]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("snake_case x_1", ["snake_case", "x_1"]),
            ("COVID-19", ["COVID", "19"]),
            ("3.14 1,000", ["3", "14", "1", "000"]),
            ("e-mail", ["e", "mail"]),
            ("__init__", ["__init__"]),
            ("2nd 4x4", ["2nd", "4x4"]),
            ("na\u00efve \u00fcber \u4e2d\u6587", ["na\u00efve", "\u00fcber", "\u4e2d\u6587"]),
            ("a\u00a0b\u200bc", ["a", "b", "c"]),
        ],
    )
    def test_word_characters(self, text: str, expected: list[str]) -> None:
        assert surfaces(text) == expected

    def test_punctuation_and_white_space_only(self) -> None:
        toks = tokenize(" -- ... !? \n\t")
        assert len(toks) == 0
        assert toks.spans.shape == (0, 2)


class TestEmpty:
    def test_empty_text(self) -> None:
        toks = tokenize("")
        assert len(toks) == 0
        assert list(toks) == []
        assert toks.forms == ()
        assert toks.spans.shape == (0, 2)
        assert toks.spans.dtype == np.int64
        assert list(span_tokenize("")) == []

    def test_char_span_of_empty_text(self) -> None:
        assert tokenize("").char_span(0, 0) == (0, 0)


class TestCharSpan:
    TEXT = "Alpha beta, gamma delta."

    def test_covers_tokens_first_to_last_minus_one(self) -> None:
        toks = tokenize(self.TEXT)
        start, end = toks.char_span(1, 3)
        assert self.TEXT[start:end] == "beta, gamma"
        assert toks.char_span(0, len(toks)) == (0, len(self.TEXT) - 1)

    def test_single_token(self) -> None:
        toks = tokenize(self.TEXT)
        assert toks.char_span(3, 4) == tuple(toks.spans[3].tolist())

    def test_empty_range_is_a_point_at_the_token_start(self) -> None:
        toks = tokenize(self.TEXT)
        assert toks.char_span(2, 2) == (12, 12)
        assert toks.char_span(2, 1) == (12, 12)

    def test_empty_range_past_the_end_is_the_text_end(self) -> None:
        toks = tokenize(self.TEXT)
        assert toks.char_span(len(toks), len(toks)) == (len(self.TEXT), len(self.TEXT))

    def test_returns_python_ints(self) -> None:
        start, end = tokenize(self.TEXT).char_span(0, 2)
        assert type(start) is int
        assert type(end) is int


def test_word_pattern_is_the_documented_definition() -> None:
    assert WORD_PATTERN.fullmatch("don't")
    assert WORD_PATTERN.fullmatch("don\u2019t")
    assert WORD_PATTERN.fullmatch("x_1")
    assert not WORD_PATTERN.fullmatch("don't'")
    assert not WORD_PATTERN.fullmatch("'t")
    assert not WORD_PATTERN.fullmatch("a-b")
