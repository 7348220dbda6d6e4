"""Tests of text normalisation (spindetect.normalize)."""

from __future__ import annotations

import unicodedata

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.text.normalization import normalize, normalize_token, repair_mojibake


class TestPunctuation:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("it\u2019s", "it's"),
            ("\u2018quoted\u2019", "'quoted'"),
            ("\u201alow\u201b", "'low'"),
            ("\u201cdouble\u201d", '"double"'),
            ("\u201elow\u201f", '"low"'),
            ("\u00abguillemets\u00bb", '"guillemets"'),
        ],
    )
    def test_quotes_fold_to_ascii(self, raw: str, expected: str) -> None:
        assert normalize(raw) == expected

    def test_primes(self) -> None:
        # NFKC runs first and spells a double prime as two primes; without it the
        # fold table maps the double prime to a double quote.
        assert normalize("5\u2032 10\u2033") == "5' 10''"
        assert normalize("5\u2032 10\u2033", form="NFC") == "5' 10\""

    @pytest.mark.parametrize(
        "dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]
    )
    def test_dashes_fold_to_hyphen(self, dash: str) -> None:
        assert normalize(f"well{dash}known") == "well-known"

    def test_ellipsis(self) -> None:
        assert normalize("wait\u2026") == "wait..."

    def test_docstring_example(self) -> None:
        text = "It\u2019s  \u201cfine\u201d\u00a0\u2014 really"
        assert normalize(text) == 'It\'s "fine" - really'

    def test_fold_punctuation_off_keeps_curly_quotes(self) -> None:
        out = normalize("\u201cfine\u201d \u2014 ok", fold_punctuation=False)
        assert out == "\u201cfine\u201d \u2014 ok"

    def test_case_is_kept(self) -> None:
        assert normalize("Peer SUPPORT") == "Peer SUPPORT"


class TestInvisibleCharacters:
    @pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f", "\u2009", "\u200a"])
    def test_special_spaces_become_plain_spaces(self, space: str) -> None:
        assert normalize(f"20{space}km") == "20 km"

    def test_nbsp_kept_as_nbsp_when_nothing_folds_it(self) -> None:
        out = normalize("a\u00a0b", form=None, fold_punctuation=False, collapse_whitespace=False)
        assert out == "a\u00a0b"

    @pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"])
    def test_zero_width_characters_removed(self, invisible: str) -> None:
        assert normalize(f"spin{invisible}ning") == "spinning"

    def test_byte_order_mark_at_start_removed(self) -> None:
        assert normalize("\ufeffTitle") == "Title"

    def test_removed_zero_width_lets_accent_compose(self) -> None:
        # e, ZWSP, combining acute: once the ZWSP goes the pair must compose (NFKC).
        assert normalize("caf e\u200b\u0301") == "caf \u00e9"


class TestWhitespace:
    def test_crlf_and_cr_become_lf(self) -> None:
        assert normalize("one\r\ntwo\rthree") == "one\ntwo\nthree"

    def test_runs_of_blanks_become_one_space(self) -> None:
        assert normalize("a \t  b\t\tc") == "a b c"

    def test_blank_line_runs_capped_at_one_empty_line(self) -> None:
        assert normalize("para one\n\n\n\n\npara two") == "para one\n\npara two"
        assert normalize("para one\n\npara two") == "para one\n\npara two"

    def test_lines_with_only_blanks_count_as_empty(self) -> None:
        assert normalize("a \n \t \n  \n \nb") == "a\n\nb"

    def test_no_blanks_at_line_ends_or_text_ends(self) -> None:
        assert normalize("  \n title  \n  body text \n\n ") == "title\nbody text"

    def test_crlf_blank_lines(self) -> None:
        assert normalize("a\r\n\r\n\r\n\r\nb\r\n") == "a\n\nb"

    def test_collapse_off_keeps_layout(self) -> None:
        raw = "a  b\r\n\n\n\nc "
        assert normalize(raw, collapse_whitespace=False) == raw

    def test_empty_and_blank_text(self) -> None:
        assert normalize("") == ""
        assert normalize(" \n\t\r\n\u00a0 ") == ""


class TestUnicodeForm:
    def test_nfkc_default_folds_compatibility_characters(self) -> None:
        assert normalize("\ufb01ne \u2460 \uff21") == "fine 1 A"

    def test_nfc_keeps_compatibility_characters(self) -> None:
        assert normalize("\ufb01ne", form="NFC") == "\ufb01ne"

    def test_nfc_composes(self) -> None:
        assert normalize("e\u0301", form="NFC") == "\u00e9"

    def test_nfd_decomposes(self) -> None:
        out = normalize("\u00e9", form="NFD")
        assert out == "e\u0301"
        assert unicodedata.is_normalized("NFD", out)

    def test_none_keeps_code_points(self) -> None:
        assert normalize("e\u0301 \ufb01", form=None) == "e\u0301 \ufb01"

    @pytest.mark.parametrize("form", ["nfkc", "NFKC ", "", "NFX", 1])
    def test_invalid_form_raises_naming_form_and_value(self, form: object) -> None:
        with pytest.raises(InvalidParameterError) as info:
            normalize("text", form=form)  # type: ignore[arg-type]
        message = str(info.value)
        assert message.startswith("form must be one of ")
        assert message.endswith(f"got {form!r}")
        for name in ("'NFC'", "'NFD'", "'NFKC'", "'NFKD'", "None"):
            assert name in message

    def test_invalid_form_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="form"):
            normalize("text", form="latin-1")

    def test_options_are_keyword_only(self) -> None:
        with pytest.raises(TypeError):
            normalize("text", "NFC")  # type: ignore[misc]


class TestMojibake:
    def test_repaired_only_when_asked(self) -> None:
        broken = "February\u00c2\u00a020"  # "FebruaryÂ 20": UTF-8 NBSP read as cp1252
        assert normalize(broken, fix_mojibake=True) == "February 20"
        assert normalize(broken) == "February\u00c2 20"
        assert "\u00c2" in normalize(broken, fix_mojibake=False)

    def test_apostrophe_mojibake(self) -> None:
        assert normalize("it\u00e2\u20ac\u2122s", fix_mojibake=True) == "it's"

    def test_repair_mojibake_leaves_clean_text_alone(self) -> None:
        text = "Caf\u00e9 na\u00efve \u2014 \u201cquoted\u201d\n\n  spaced"
        assert repair_mojibake(text) == text

    def test_repair_mojibake_only_repairs_encoding(self) -> None:
        assert repair_mojibake("Caf\u00c3\u00a9  \u201cx\u201d") == "Caf\u00e9  \u201cx\u201d"


class TestNormalizeToken:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [
            ("They\u2019RE", "they're"),
            ("Stra\u00dfe", "strasse"),
            ("\ufb01ne", "fine"),
            ("\uff21\uff22", "ab"),
            ("e\u0301", "\u00e9"),
            ("\u00df\u0301", "s\u015b"),
            ("\u01f0", "\u01f0"),
            ("don't", "don't"),
            ("COVID_19", "covid_19"),
            ("", ""),
        ],
    )
    def test_comparison_form(self, token: str, expected: str) -> None:
        assert normalize_token(token) == expected

    def test_form_is_nfkc(self) -> None:
        for token in ["\u00df\u0301", "\u01f0", "\u1e9e", "\u0130", "\u1f88", "A\u0345"]:
            assert unicodedata.is_normalized("NFKC", normalize_token(token)), token

    def test_same_form_for_spellings_that_should_compare_equal(self) -> None:
        variants = ["Support\u2019s", "support's", "SUPPORT\u2018S", "\uff33upport's"]
        assert {normalize_token(v) for v in variants} == {"support's"}
