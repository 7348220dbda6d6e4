"""Tests of rule-based sentence splitting (spindetect.sentences)."""

from __future__ import annotations

import pytest

from spindetect.text.sentences import split_sentences


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_docstring_example() -> None:
    text = "Advantages\nDr. Smith met them. It helps, e.g. in groups! Yes."
    expected = ["Advantages", "Dr. Smith met them.", "It helps, e.g. in groups!", "Yes."]
    assert pieces(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Wait... What?! Yes.", ["Wait...", "What?!", "Yes."]),
        ("It costs 5. Then more.", ["It costs 5.", "Then more."]),
        ("Founded in 2020. 12 staff.", ["Founded in 2020.", "12 staff."]),
        ("Really. 'Quoted' start.", ["Really.", "'Quoted' start."]),
        ("Done. (Next) one.", ["Done.", "(Next) one."]),
        ("Done. \u201cNext\u201d one.", ["Done.", "\u201cNext\u201d one."]),
    ],
)
def test_splits_at_terminal_punctuation(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "version 2.0 is out",
        "the end. then lower case",
        "see example.com for more",
        "a sentence without a full stop",
        "Is it?No space after",
    ],
)
def test_no_split_without_space_and_capital(text: str) -> None:
    assert pieces(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith arrived.",
        "Mr. and Mrs. Jones left.",
        "Prof. Brown, Jr. Said hello.",
        "Groups help, e.g. Alcoholics Anonymous.",
        "Some groups, i.e. The best ones.",
        "Apples, pears etc. Are fruit.",
        "Smith et al. Found it.",
        "It started in Jan. The rest followed.",
        "See Fig. 3 and No. 7 for details.",
        "The U.S. Army and the U.K. Navy.",
        "At 9 a.m. The doors open.",
        "Jane Doe, Ph.D. Wrote it.",
        "Go to St. Louis vs. Chicago.",
    ],
)
def test_abbreviations_do_not_end_sentences(text: str) -> None:
    assert pieces(text) == [text]


def test_abbreviation_case_insensitive() -> None:
    assert pieces("DR. Who came. Then left.") == ["DR. Who came.", "Then left."]


@pytest.mark.parametrize(
    "text",
    ["J. K. Rowling wrote it.", "George W. Bush spoke.", "Written by A. Smith and B. Jones."],
)
def test_initials_do_not_end_sentences(text: str) -> None:
    assert pieces(text) == [text]


def test_initials_then_real_boundary() -> None:
    assert pieces("He met J. K. Rowling. She smiled.") == ["He met J. K. Rowling.", "She smiled."]


def test_non_abbreviation_word_ending_in_abbreviation_letters_splits() -> None:
    # "doctor" is not in the list, and "Dr" only counts as a whole word.
    assert pieces("Ask the doctor. Then rest.") == ["Ask the doctor.", "Then rest."]
    assert pieces("He was drunk. Then slept.") == ["He was drunk.", "Then slept."]


class TestQuotesAfterFullStop:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('He said "Stop." Then left.', ['He said "Stop."', "Then left."]),
            ("She said 'yes.' Then left.", ["She said 'yes.'", "Then left."]),
            ("He said \u201cStop.\u201d Then left.", ["He said \u201cStop.\u201d", "Then left."]),
            ("It ended (finally.) Then more.", ["It ended (finally.)", "Then more."]),
            ("It ended [sic.] Then more.", ["It ended [sic.]", "Then more."]),
            ('"Why?" she asked. "Because!" he said.', ['"Why?" she asked.', '"Because!" he said.']),
        ],
    )
    def test_closing_quote_stays_with_its_sentence(self, text: str, expected: list[str]) -> None:
        assert pieces(text) == expected

    def test_quoted_abbreviation_still_protected(self) -> None:
        assert pieces('He wrote "Dr." Then nothing.') == ['He wrote "Dr." Then nothing.']


class TestLines:
    def test_line_break_always_ends_a_unit(self) -> None:
        text = "Title without stop\nfirst line continues\nlast"
        assert pieces(text) == ["Title without stop", "first line continues", "last"]

    def test_line_break_inside_abbreviation_context(self) -> None:
        assert pieces("Dr.\nSmith") == ["Dr.", "Smith"]

    def test_empty_and_blank_lines_yield_nothing(self) -> None:
        text = "\n\nFirst.\n\n   \n\t\nSecond.\n\n"
        assert pieces(text) == ["First.", "Second."]

    def test_crlf_lines(self) -> None:
        assert pieces("Heading\r\nBody one. Body two.\r\n") == ["Heading", "Body one.", "Body two."]

    def test_list_items(self) -> None:
        text = "Benefits:\n- lower cost\n- more support\n* Peer groups"
        assert pieces(text) == ["Benefits:", "- lower cost", "- more support", "* Peer groups"]

    @pytest.mark.parametrize("text", ["", " ", "\n", "\n\n\n", " \t \n \r\n "])
    def test_empty_text(self, text: str) -> None:
        assert split_sentences(text) == []


class TestSpans:
    def test_spans_strip_white_space(self) -> None:
        text = "  First one.   Second one.\t \n\t Third  "
        spans = split_sentences(text)
        assert spans == [(2, 12), (15, 26), (31, 36)]
        assert [text[s:e] for s, e in spans] == ["First one.", "Second one.", "Third"]

    def test_offsets_count_from_start_of_text_across_lines(self) -> None:
        text = "Line one.\n\n  Line two. Three."
        spans = split_sentences(text)
        assert [text[s:e] for s, e in spans] == ["Line one.", "Line two.", "Three."]
        assert spans[1][0] == text.index("Line two.")

    def test_returns_list_of_int_pairs(self) -> None:
        spans = split_sentences("A b. C d.")
        assert isinstance(spans, list)
        assert all(type(s) is int and type(e) is int for s, e in spans)


def test_non_ascii_capital_starts_a_sentence() -> None:
    # The docstring promises a split before any upper-case letter, not only A-Z.
    text = "It was cold. \u00c9mile stayed home. \u00dcber alles. \u0391\u03b8\u03ae\u03bd\u03b1."
    assert pieces(text) == [
        "It was cold.",
        "\u00c9mile stayed home.",
        "\u00dcber alles.",
        "\u0391\u03b8\u03ae\u03bd\u03b1.",
    ]


def test_non_ascii_lower_case_does_not_start_a_sentence() -> None:
    assert pieces("The end. \u00e9t\u00e9 follows.") == ["The end. \u00e9t\u00e9 follows."]
