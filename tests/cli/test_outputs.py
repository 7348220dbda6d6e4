"""Outputs are checked before the work: never an input, never a missing or unwritable folder.

A full disk while writing ends with one line and exit 2, and leaves the old output (or
nothing) in place: files are written to a temporary name and renamed when complete.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from _cli_inputs import SHORT_TEXT

from spindetect.cli.program import main

TEXT = SHORT_TEXT


@pytest.fixture()
def scans(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record whether the scan ran (it must not when the output is refused)."""
    import spindetect.crawl.scanning as scanning

    calls: list[object] = []
    real = scanning.scan

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(scanning, "scan", spy)
    return calls


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err.strip()


def test_scan_refuses_its_input_as_output(
    crawl: Path, scans: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    before = crawl.read_bytes()
    assert main(["scan", str(crawl), "-o", str(crawl), "--quiet"]) == 2
    assert f"{crawl}: is also an input" in error_line(capsys)
    assert crawl.read_bytes() == before and scans == []


def test_scan_refuses_the_index_as_output(
    crawl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "idx.db"
    assert main(["index", "add", str(crawl), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    before = db.read_bytes()
    argv = ["scan", str(crawl), "--against", str(db), "-o", str(db), "--format", "jsonl"]
    assert main([*argv, "--quiet"]) == 2
    assert "is also an input" in error_line(capsys)
    assert db.read_bytes() == before


def test_scan_refuses_an_output_inside_an_input_directory(
    tmp_path: Path, scans: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "pages"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(["scan", str(root), "-o", str(root / "out.jsonl"), "--quiet"]) == 2
    assert "inside the input directory" in error_line(capsys)
    assert sorted(p.name for p in root.iterdir()) == ["a.txt"] and scans == []


@pytest.mark.parametrize("side", ["a", "b"])
def test_compare_refuses_an_input_as_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], side: str
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT.replace("fox", "cat"), encoding="utf-8")
    target = a if side == "a" else b
    before = target.read_bytes()
    assert main(["compare", str(a), str(b), "--html", str(target)]) == 2
    assert f"{target}: is also an input" in error_line(capsys)
    assert target.read_bytes() == before


def test_inspect_refuses_an_input_as_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(TEXT, encoding="utf-8")
    assert main(["inspect", str(page), "--html", str(page)]) == 2
    assert "is also an input" in error_line(capsys)
    assert page.read_text(encoding="utf-8") == TEXT


def test_missing_folder_is_refused_not_created(
    crawl: Path, tmp_path: Path, scans: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no" / "such" / "dir" / "out.jsonl"
    assert main(["scan", str(crawl), "-o", str(out), "--quiet"]) == 2
    line = error_line(capsys)
    assert str(out) in line and "no directory" in line
    assert not (tmp_path / "no").exists() and scans == []


def test_nonexistent_root_folder_is_not_created(
    crawl: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if Path("/nonexistent").exists():
        pytest.skip("/nonexistent exists on this machine")
    made: list[object] = []

    def no_mkdir(self: Path, *args: object, **kwargs: object) -> None:
        made.append(self)  # never create folders outside the test's own, even when buggy
        raise PermissionError(errno.EACCES, "mkdir refused by the test", str(self))

    monkeypatch.setattr(Path, "mkdir", no_mkdir)
    monkeypatch.setattr(os, "makedirs", no_mkdir)
    assert main(["scan", str(crawl), "-o", "/nonexistent/dir/out.jsonl", "--quiet"]) == 2
    assert "/nonexistent/dir/out.jsonl: cannot write: no directory" in error_line(capsys)
    assert made == [] and not Path("/nonexistent").exists()


def _unwritable_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:  # root writes anyway: fall back to a folder no one can create files in
        (folder / "probe").touch()
    except OSError:
        return folder
    (folder / "probe").unlink()
    if Path("/proc/self").is_dir():
        return Path("/proc")
    pytest.skip("no unwritable folder available")


@pytest.mark.parametrize("command", ["scan", "compare"])
def test_unwritable_folder_found_before_the_work(
    crawl: Path,
    tmp_path: Path,
    scans: list[object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    folder = _unwritable_folder(tmp_path)
    if command == "scan":
        argv = ["scan", str(crawl), "-o", str(folder / "out.jsonl"), "--quiet"]
    else:
        compared: list[object] = []
        monkeypatch.setattr(
            "spindetect.pairwise.comparison.compare_files", lambda *a, **k: compared.append(a)
        )
        argv = ["compare", str(crawl), str(crawl), "--html", str(folder / "out.html")]
    try:
        assert main(argv) == 2
    finally:
        if folder != Path("/proc"):
            folder.chmod(0o700)
    assert f"cannot write in {str(folder)!r}" in error_line(capsys)
    assert scans == [] and (command == "scan" or compared == [])


class _FullDisk:
    """A file object whose writes fail with ENOSPC after ``room`` characters."""

    def __init__(self, f: Any, room: int) -> None:
        self._f, self._room = f, room

    def write(self, data: Any) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._f.write(data))

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._f.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".html"])
def test_full_disk_leaves_no_partial_file(
    crawl: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    suffix: str,
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"scan{suffix}"
    out.write_text("the previous output\n", encoding="utf-8")
    real = os.fdopen
    monkeypatch.setattr(
        "spindetect.render.writers.os.fdopen", lambda *a, **k: _FullDisk(real(*a, **k), 100)
    )
    assert main(["scan", str(crawl), "-o", str(out), "--quiet"]) == 2
    line = error_line(capsys)
    named = out if suffix != ".csv" else out.with_name("scan.clusters.csv")  # the one that failed
    assert f"{named}: cannot write: No space left on device" in line
    assert out.read_text(encoding="utf-8") == "the previous output\n"  # old output intact
    assert sorted(p.name for p in out_dir.iterdir()) == [out.name]  # no temporary file left
