"""``spindetect compare`` shows progress on a terminal only (stderr a TTY, not --json)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from _cli_inputs import SHORT_TEXT

import spindetect
from spindetect.cli import main

SRC = Path(spindetect.__file__).resolve().parents[1]


def _pair(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SHORT_TEXT, encoding="utf-8")
    b.write_text(SHORT_TEXT.replace("quick", "fast"), encoding="utf-8")
    return str(a), str(b)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_sees_the_progress_line(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    leader, follower = os.openpty()
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "100"}
    seen = bytearray()

    def drain() -> None:  # read the terminal while the child writes (a full pty blocks it)
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the follower end is closed and drained
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.run(
        [sys.executable, "-m", "spindetect", "compare", "--color", "never", a, b],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    assert proc.returncode == 1
    assert b"compare:" in seen
    assert b"compare:" not in proc.stdout


@pytest.mark.parametrize("json_flag", [True, False])
def test_no_progress_into_a_pipe_nor_with_json(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    json_flag: bool,
) -> None:
    a, b = _pair(tmp_path)
    if json_flag:  # even on a terminal, --json output stays clean
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["compare", *(["--json"] if json_flag else []), a, b]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "compare:" not in captured.out
