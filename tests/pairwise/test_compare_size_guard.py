"""``compare`` refuses texts over ``max_chars`` at once, in the library and the CLI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from spindetect.cli.program import main
from spindetect.exceptions import InputTooLargeError, InvalidParameterError
from spindetect.pairwise.comparison import DEFAULT_MAX_CHARS, compare, compare_files

TEXT = "The river rose over the old stone bridge at dawn, and the town watched it. "


def test_a_text_over_the_limit_is_refused_naming_it() -> None:
    long = TEXT * 20  # 1,500 characters
    with pytest.raises(InputTooLargeError) as err:
        compare(TEXT, long, max_chars=1000)
    assert err.value.source == "b"
    assert str(err.value).startswith(
        f"b: {len(long):,} characters, over the compare limit of 1,000"
    )
    # At the limit it runs.
    assert compare(long[:1000], long[:1000], max_chars=1000).verdict == "identical"


def test_the_default_limit_refuses_before_any_work() -> None:
    huge = (TEXT * (DEFAULT_MAX_CHARS // len(TEXT) + 2))[: DEFAULT_MAX_CHARS + 1]
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError, match="a: 1,000,001 characters"):
        compare(huge, TEXT)
    assert time.perf_counter() - start < 1.0  # a full comparison of this takes minutes


def test_none_means_no_limit() -> None:
    long = TEXT * 30
    assert compare(long, long, max_chars=None).verdict == "identical"


@pytest.mark.parametrize("bad", [0, -5, 2.5, "1000", True])
def test_bad_limits_are_parameter_errors(bad: object) -> None:
    with pytest.raises(InvalidParameterError, match="max_chars must be an integer"):
        compare(TEXT, TEXT, max_chars=bad)  # type: ignore[arg-type]


def test_compare_files_names_the_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "big.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT * 40, encoding="utf-8")
    with pytest.raises(InputTooLargeError) as err:
        compare_files(a, b, max_chars=2000)
    assert err.value.source == str(b) and "3,000 characters" in str(err.value)
    with pytest.raises(InvalidParameterError, match="max_chars"):
        compare_files(tmp_path / "missing.txt", b, max_chars=0)  # checked before reading


def test_cli_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "big.txt"
    a.write_text(TEXT * 3, encoding="utf-8")
    b.write_text(TEXT * 40, encoding="utf-8")
    html = tmp_path / "out.html"
    assert main(["compare", str(a), str(b), "--max-chars", "2000", "--html", str(html)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"spindetect: error: {b}: 3,000 characters, ")
    assert "--max-chars" in err[0]
    assert not html.exists()
    # 0 lifts the limit; the pair shares a sentence run, so it is a copy (exit 1).
    assert main(["compare", str(a), str(b), "--max-chars", "0", "--json"]) == 1
    assert main(["compare", str(a), str(b), "--max-chars", "-1"]) == 2
    assert "--max-chars must be an integer" in capsys.readouterr().err
