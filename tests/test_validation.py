"""Tests of the parameter checks in spindetect._validation."""

from __future__ import annotations

import math
import re

import pytest

from spindetect._validation import check_choice, check_float, check_int
from spindetect.exceptions import InvalidParameterError


class TestCheckInt:
    @pytest.mark.parametrize("value", [1, 5, 1024])
    def test_accepts_ints_in_range(self, value: int) -> None:
        out = check_int("num_perm", value, low=1, high=1024)
        assert out == value
        assert type(out) is int

    def test_bounds_are_inclusive(self) -> None:
        assert check_int("k", 3, low=3, high=3) == 3

    def test_unbounded(self) -> None:
        assert check_int("seed", -(2**70)) == -(2**70)
        assert check_int("seed", 2**70, low=0) == 2**70

    def test_message_names_parameter_range_and_value(self) -> None:
        with pytest.raises(InvalidParameterError) as info:
            check_int("num_perm", 0, low=1, high=1024)
        assert str(info.value) == "num_perm must be an integer in [1, 1024], got 0"

    @pytest.mark.parametrize(
        ("kwargs", "value", "range_text"),
        [
            ({"low": 1}, 0, "[1, inf]"),
            ({"high": 10}, 11, "[-inf, 10]"),
            ({"low": 1, "high": 10}, 11, "[1, 10]"),
            ({}, "3", "[-inf, inf]"),
        ],
    )
    def test_open_ranges_in_message(self, kwargs: dict, value: object, range_text: str) -> None:
        expected = re.escape(f"in {range_text}, got {value!r}")
        with pytest.raises(InvalidParameterError, match=expected):
            check_int("n", value, **kwargs)

    @pytest.mark.parametrize("value", [True, False, 1.0, 2.5, "3", None, [1]])
    def test_rejects_non_integers(self, value: object) -> None:
        with pytest.raises(InvalidParameterError, match=r"^n must be an integer") as info:
            check_int("n", value, low=0)
        assert repr(value) in str(info.value)

    def test_error_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="max_bytes"):
            check_int("max_bytes", -1, low=1)


class TestCheckFloat:
    @pytest.mark.parametrize("value", [0, 0.0, 0.5, 1, 1.0])
    def test_accepts_numbers_in_range(self, value: float) -> None:
        out = check_float("threshold", value, low=0.0, high=1.0)
        assert out == value
        assert type(out) is float

    def test_message(self) -> None:
        with pytest.raises(InvalidParameterError) as info:
            check_float("threshold", 1.5, low=0, high=1)
        assert str(info.value) == "threshold must be a number in [0, 1], got 1.5"

    @pytest.mark.parametrize("value", [-0.01, 1.01, math.inf, -math.inf])
    def test_rejects_out_of_range(self, value: float) -> None:
        with pytest.raises(InvalidParameterError, match=r"threshold must be a number in \[0, 1\]"):
            check_float("threshold", value, low=0, high=1)

    def test_rejects_nan_even_without_bounds(self) -> None:
        with pytest.raises(InvalidParameterError, match="got nan"):
            check_float("weight", math.nan)

    def test_infinity_allowed_without_bounds(self) -> None:
        assert check_float("weight", math.inf) == math.inf

    @pytest.mark.parametrize("value", [True, "0.5", None, 1j])
    def test_rejects_non_numbers(self, value: object) -> None:
        with pytest.raises(InvalidParameterError, match=re.escape(f"got {value!r}")):
            check_float("threshold", value, low=0, high=1)


class TestCheckChoice:
    def test_returns_member(self) -> None:
        assert check_choice("unit", "char", {"word", "char"}) == "char"
        assert check_choice("form", None, frozenset({"NFC", None})) is None

    def test_message_lists_sorted_choices_and_value(self) -> None:
        with pytest.raises(InvalidParameterError) as info:
            check_choice("unit", "line", ("word", "char"))
        assert str(info.value) == "unit must be one of 'char', 'word', got 'line'"

    def test_none_among_choices_is_listed(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'NFC', None, got 'nfc'$"):
            check_choice("form", "nfc", frozenset({"NFC", None}))

    def test_case_sensitive(self) -> None:
        with pytest.raises(InvalidParameterError, match="got 'WORD'"):
            check_choice("unit", "WORD", ["word"])


def test_check_int_accepts_numpy_integers():
    import numpy as np

    assert check_int("bands", np.int64(7), low=1) == 7
    assert type(check_int("bands", np.int32(3), low=1)) is int


def test_check_choice_unhashable_value_is_a_parameter_error():
    with pytest.raises(InvalidParameterError, match="form"):
        check_choice("form", ["NFC"], frozenset({"NFC", None}))


# -- the public API refuses wrong types with InvalidParameterError naming the parameter --------


def _library_calls() -> list[tuple[str, object, str]]:
    import spindetect as sd

    def index_call(method: str, *args: object, **kwargs: object) -> object:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp, sd.SpinIndex.open(f"{tmp}/x.db") as index:
            return getattr(index, method)(*args, **kwargs)

    return [
        ("scan-str", lambda: sd.scan("a string"), "documents"),
        ("scan-none", lambda: sd.scan(None), "documents"),  # type: ignore[arg-type]
        ("scan-int", lambda: sd.scan(5), "documents"),  # type: ignore[arg-type]
        ("scan-config", lambda: sd.scan(["a b"], config=5), "config"),  # type: ignore[arg-type]
        ("scan-progress", lambda: sd.scan(["a b"], progress=5), "progress"),  # type: ignore[arg-type]
        ("scan-skipped", lambda: sd.scan(["a b"], skipped=5), "skipped"),  # type: ignore[arg-type]
        ("signatures-none", lambda: sd.signatures(None), "texts"),  # type: ignore[arg-type]
        ("signatures-str", lambda: sd.signatures("abc"), "texts"),
        ("multi-signatures-int", lambda: sd.multi_signatures(5, ["content"]), "texts"),  # type: ignore[arg-type]
        ("iter-documents-int-item", lambda: list(sd.iter_documents([5])), "sources"),  # type: ignore[list-item]
        ("iter-documents-none", lambda: list(sd.iter_documents(None)), "sources"),  # type: ignore[arg-type]
        ("tokenize-none", lambda: sd.tokenize(None), "text"),  # type: ignore[arg-type]
        ("tokenize-bytes", lambda: sd.tokenize(b"abc"), "text"),  # type: ignore[arg-type]
        ("span-tokenize-none", lambda: list(_span_tokenize()(None)), "text"),
        ("scanconfig-rules", lambda: sd.ScanConfig(rules=5), "rules"),  # type: ignore[arg-type]
        ("scanconfig-tables", lambda: sd.ScanConfig(tables=5), "tables"),  # type: ignore[arg-type]
        ("compare-rules", lambda: sd.compare("a b c", "a b d", rules=5), "rules"),  # type: ignore[arg-type]
        ("compare-idf", lambda: sd.compare("a b c", "a b d", idf="x"), "idf"),  # type: ignore[arg-type]
        ("index-open-config", lambda: sd.SpinIndex.open("/nonexistent/x.db", config=5), "config"),  # type: ignore[arg-type]
        ("index-add-str", lambda: index_call("add", "a string"), "documents"),
        ("index-query-none", lambda: index_call("query", None), "documents"),
        ("index-query-rules", lambda: index_call("query", ["a b"], rules=5), "rules"),
    ]


def _span_tokenize() -> object:
    from spindetect.text.tokens import span_tokenize

    return span_tokenize


@pytest.mark.parametrize(
    ("call", "parameter"),
    [(c, p) for _, c, p in _library_calls()],
    ids=[name for name, _, _ in _library_calls()],
)
def test_library_refuses_wrong_types(call: object, parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        call()  # type: ignore[operator]
    message = str(info.value)
    assert message.startswith(f"{parameter} must "), message
    assert "got" in message or "item" in message
