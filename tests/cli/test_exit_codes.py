"""Exit codes of the command line: 0 nothing, 1 copies, 2 every error in one line, 130 Ctrl-C.

Each test makes ``main`` meet one kind of failure (a library error, an OSError, a bug, an
interrupt) and checks the exit code and that standard error holds one line, no traceback.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest
from _cli_inputs import SHORT_TEXT

from spindetect.cli.program import main
from spindetect.exceptions import CorruptInputError

TEXT = SHORT_TEXT


def _raise(exc: BaseException) -> Any:
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    return fail


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_copies_found_is_1_and_nothing_is_0(crawl: Path, tmp_path: Path) -> None:
    assert main(["scan", str(crawl), "--quiet"]) == 1
    single = tmp_path / "one.jsonl"
    single.write_text(json.dumps({"id": "x", "text": TEXT}) + "\n", encoding="utf-8")
    assert main(["scan", str(single), "--quiet"]) == 0


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (CorruptInputError("crawl.jsonl", "bad record"), "crawl.jsonl: bad record"),
        (OSError(errno.ENOSPC, "No space left on device", "out.jsonl"), "out.jsonl: No space"),
        (PermissionError(errno.EACCES, "Permission denied", "/ro/x"), "/ro/x: Permission denied"),
        (OSError("plain message"), "plain message"),
    ],
    ids=["library-error", "disk-full", "permission", "os-error-no-file"],
)
def test_errors_exit_2_one_line_naming_the_file(
    crawl: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
    words: str,
) -> None:
    monkeypatch.setattr("spindetect.crawl.scanning.scan", _raise(exc))
    assert main(["scan", str(crawl), "--quiet"]) == 2
    line = one_line(capsys)
    assert line.startswith("spindetect: error: ") and words in line


def test_a_bug_exits_2_with_a_debug_hint(
    crawl: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("spindetect.crawl.scanning.scan", _raise(KeyError("oops")))
    assert main(["scan", str(crawl), "--quiet"]) == 2
    line = one_line(capsys)
    assert "internal error: KeyError" in line and "--debug" in line


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_prints_the_traceback(
    crawl: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr("spindetect.crawl.scanning.scan", _raise(ZeroDivisionError("boom")))
    argv = ["scan", str(crawl), "--quiet"]
    argv = ["--debug", *argv] if where == "before" else [*argv, "--debug"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ZeroDivisionError: boom" in err
    assert "rerun with --debug" not in err


def test_debug_accepted_by_nested_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index", "info", "--db", str(tmp_path / "none.db"), "--debug"]) == 2
    assert "no such index" in one_line(capsys)


def test_interrupt_exits_130(
    crawl: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("spindetect.crawl.scanning.scan", _raise(KeyboardInterrupt()))
    assert main(["scan", str(crawl), "--quiet"]) == 130
    assert one_line(capsys) == "spindetect: interrupted"


def test_error_line_escapes_control_characters(
    crawl: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exc = CorruptInputError("evil\x1b[2J\nname", "bad")
    monkeypatch.setattr("spindetect.crawl.scanning.scan", _raise(exc))
    assert main(["scan", str(crawl), "--quiet"]) == 2
    line = one_line(capsys)
    assert "\x1b" not in line and "evil\\x1b[2J\\nname: bad" in line
