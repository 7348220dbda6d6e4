"""Tests of the command line (``spindetect.cli.main``), run in-process."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import spindetect
from spindetect.cli.program import main

ROOT = Path(__file__).resolve().parents[2]
SEED_A, SEED_B = (str(p) for p in sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[:2])

UNRELATED = (
    "Volcanic eruptions begin deep underground, where rock melts into magma under intense heat "
    "and pressure. As the magma rises through cracks in the crust, gases dissolved in it expand "
    "and push the molten rock upward. Geologists monitor active volcanoes with seismometers, "
    "satellite radar and gas sensors. Ash clouds are dangerous for aircraft because the fine "
    "glass particles melt inside jet engines.\n"
)


@pytest.fixture()
def unrelated(tmp_path: Path) -> str:
    p = tmp_path / "volcano.txt"
    p.write_text(UNRELATED, encoding="utf-8")
    return str(p)


def test_compare_seeds_exit_1_and_report(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", SEED_A, SEED_B, "--color", "never"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == ""
    flat = " ".join(out.split())
    assert "Verdict: SPUN" in flat
    assert "mental health hotlines" in flat
    assert "\x1b[" not in out


def test_compare_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", SEED_A, SEED_B, "--json"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    doc = json.loads(out)
    assert (doc["a"], doc["b"]) == (SEED_A, SEED_B)
    assert doc["verdict"] == "spun"
    assert 0.0 <= doc["confidence"] <= 1.0
    assert all(0.0 <= v <= 1.0 for v in doc["scores"].values())
    assert all(set(s) == {"a", "b", "count", "relation"} for s in doc["substitutions"])
    assert "mental health hotlines" in doc["inserted"]["a"]
    assert "outpatient mental health treatment" in doc["inserted"]["b"]
    assert doc["titles"]["a"]["mismatch"] is True and doc["titles"]["b"]["mismatch"] is True
    text_a = Path(SEED_A).read_text(encoding="utf-8")
    for p in doc["passages"]:
        assert {"a", "b", "kind"} <= set(p)
        start, end = p["a"]
        assert 0 <= start < end <= len(text_a)


def test_compare_self_json_identical(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", SEED_A, SEED_A, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "identical"


def test_compare_unrelated_exit_0(unrelated: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", SEED_A, unrelated, "--color", "never"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "Verdict: UNRELATED" in " ".join(out.split())


def test_compare_options(unrelated: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", SEED_A, SEED_B, "--json", "--no-titles", "--no-mojibake-repair"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert doc["titles"] == {"a": None, "b": None}


def test_compare_with_idf_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "idf.tsv.gz"
    spindetect.IdfTable.fit([UNRELATED, "peer support groups", "the cat"]).save(table)
    assert main(["compare", SEED_A, SEED_B, "--json", "--idf", str(table)]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "spun"


def _one_error_line(capsys: pytest.CaptureFixture[str], name: str) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("spindetect: error: ")
    assert name in lines[0]
    return lines[0]


@pytest.mark.parametrize("position", [0, 1])
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.txt", None, "no such file"),
        ("folder", "dir", "directory"),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01binary\x00data\x00", "binary"),
        ("latin1.txt", "caf\u00e9 au lait\n".encode("latin-1"), "utf-8"),
        ("big.txt", b"many words " * 50, "limit"),
    ],
    ids=["missing", "directory", "empty", "binary", "latin1", "too-large"],
)
def test_bad_input_exit_2_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    position: int,
    name: str,
    content: object,
    words: str,
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    ok = tmp_path / "ok.txt"
    ok.write_text("A short valid text.\n", encoding="utf-8")
    files = [str(ok), str(ok)]
    files[position] = str(path)
    assert main(["compare", *files, "--max-bytes", "100"]) == 2
    line = _one_error_line(capsys, str(path))
    assert words in line.lower()


def test_latin1_file_works_with_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Le caf\u00e9 est ouvert tous les jours de la semaine.\n".encode("latin-1"))
    assert main(["compare", str(p), str(p), "--encoding", "latin-1", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "identical"


def test_invalid_max_bytes_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", SEED_A, SEED_B, "--max-bytes", "0"]) == 2
    assert "max_bytes" in _one_error_line(capsys, "max_bytes")


def test_idf_file_that_is_not_a_table_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notidf.txt"
    bad.write_text("hello\n", encoding="utf-8")
    assert main(["compare", SEED_A, SEED_B, "--idf", str(bad)]) == 2
    _one_error_line(capsys, str(bad))


def test_malformed_idf_table_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(gzip.compress(b"# spindetect-idf v1 n_docs=3\nthe\tmany\n"))
    try:
        code = main(["compare", SEED_A, SEED_B, "--idf", str(bad)])
    except Exception:  # the bug: the error escapes main() instead of exit code 2
        code = None
    assert code == 2
    _one_error_line(capsys, str(bad))


def test_no_subcommand_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: spindetect" in err


def test_missing_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", SEED_A]) == 2
    assert "required" in capsys.readouterr().err


def test_unknown_option_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", SEED_A, SEED_B, "--frobnicate"]) == 2
    assert "--frobnicate" in capsys.readouterr().err


def test_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: spindetect" in out and "compare" in out
    assert main(["compare", "--help"]) == 0
    assert "--json" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"spindetect {version('spindetect')}"
    assert spindetect.__version__ == version("spindetect")


@pytest.mark.slow
def test_python_dash_m_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "spindetect", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"spindetect {version('spindetect')}"


def test_compare_html_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "report.html"
    assert main(["compare", SEED_A, SEED_B, "--json", "--html", str(page)]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "spun"
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "mental health hotlines" in html
    assert not list(tmp_path.glob(".report.html.*"))  # no temporary file left behind


def test_compare_html_unwritable_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-dir" / "report.html"
    assert main(["compare", SEED_A, SEED_B, "--json", "--html", str(target)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and str(target) in err and "Traceback" not in err
