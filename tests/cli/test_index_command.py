"""Tests of ``spindetect index add|info`` and ``spindetect scan --against``, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spindetect.cli.program import main
from spindetect.settings import ScanConfig
from spindetect.synth.pair_sets import generate_pairs
from spindetect.synth.source import default_source_path
from spindetect.synth.spinner import spin


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    if default_source_path() is None:
        pytest.skip("corpora/source/wordnet_text.tsv.gz is absent")
    return [(a, b) for a, b, _ in generate_pairs(6, rate=0.3, seed=21, doc_words=250)]


def _jsonl(path: Path, records: list[dict[str, str]], *, bad_line: bool = False) -> str:
    lines = [json.dumps(r) for r in records]
    if bad_line:
        lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture()
def crawl(tmp_path: Path, texts: list[tuple[str, str]]) -> str:
    return _jsonl(
        tmp_path / "old.jsonl",
        [{"id": f"old{k}", "text": a, "title": f"Old {k}"} for k, (a, _) in enumerate(texts[:4])],
        bad_line=True,
    )


def test_add_creates_then_skips_unchanged(
    tmp_path: Path, crawl: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "crawl.db")
    assert main(["index", "add", crawl, "--db", db, "--batch-size", "3"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == (
        f"{db}: 4 added, 0 updated, 0 unchanged, 1 skipped "
        "(1 malformed-json); 4 documents in the index"
    )
    assert "spindetect: index: 4" in err  # progress lines on stderr (not a terminal)
    assert main(["index", "add", crawl, "--db", db, "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "0 added, 0 updated, 4 unchanged" in out and err == ""


def test_info_text_and_json(tmp_path: Path, crawl: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "crawl.db")
    main(["index", "add", crawl, "--db", db, "--quiet"])
    capsys.readouterr()
    assert main(["index", "info", "--db", db]) == 0
    out = capsys.readouterr().out
    table = ScanConfig().tables[0]
    assert "documents   4" in out and f"{table.label} {table.bands}x{table.rows}" in out
    assert "per document" in out
    assert main(["index", "info", "--db", db, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["documents"] == 4 and info["bytes"] > 0 and info["params"]["seed"] == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["index", "info", "--db", "{tmp}/missing.db"], "no such index"),
        (["index", "add", "{crawl}", "--db", "{tmp}/no/dir/crawl.db"], "cannot create"),
        (["index", "add", "{crawl}", "--db", "{crawl}"], "not a spindetect index"),
        (["index", "add", "{tmp}/nothing.jsonl", "--db", "{tmp}/crawl.db"], "no such file"),
        (
            ["index", "add", "{crawl}", "--db", "{tmp}/crawl.db", "--batch-size", "0"],
            "--batch-size",
        ),
        (["scan", "{crawl}", "--against", "{tmp}/missing.db"], "no such index"),
        (["index"], "an action is required"),
    ],
)
def test_errors_exit_2_with_one_line(
    tmp_path: Path, crawl: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(tmp=tmp_path, crawl=crawl) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "no").exists()


def test_scan_against_reports_copies_of_indexed_pages(
    tmp_path: Path, crawl: str, texts: list[tuple[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "crawl.db")
    main(["index", "add", crawl, "--db", db, "--quiet"])
    new = _jsonl(
        tmp_path / "new.jsonl",
        [
            {"id": "new1", "text": spin(texts[1][0], rate=0.3, seed=9).text},
            {"id": "new5", "text": texts[5][0]},  # not indexed, unrelated
        ],
    )
    out_file = tmp_path / "found.jsonl"
    assert main(["scan", new, "--against", db, "--quiet", "-o", str(out_file)]) == 1
    records = [json.loads(line) for line in out_file.read_text().splitlines()]
    pairs = [r for r in records if r["type"] == "pair"]
    assert [(p["a"], p["b"]) for p in pairs] == [("old1", "new1")]
    cluster = next(r for r in records if r["type"] == "cluster")
    assert set(cluster["members"]) == {"old1", "new1"}
    assert cluster["titles"]["old1"] == "Old 1"
    summary = records[-1]
    assert summary["type"] == "summary" and summary["indexed_documents"] == 4
    # Nothing indexed is copied by an unrelated page: exit 0.
    other = _jsonl(tmp_path / "other.jsonl", [{"id": "x", "text": texts[4][1]}])
    assert main(["scan", other, "--against", db]) == 0
    out = capsys.readouterr().out
    assert "1 documents" in out and "0 families" in out
    assert f"against {db}: 4 indexed documents, 0 copy pairs with them" in out


def test_deep_pages_are_a_note_not_a_skip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words = " ".join(f"word{k}" for k in range(200))
    folder = tmp_path / "pages"
    folder.mkdir()
    nested = "<div>" * 400 + f"<p>{words}</p>" + "</div>" * 400
    (folder / "deep.html").write_text(f"<html><body>{nested}</body></html>", encoding="utf-8")
    (folder / "flat.html").write_text(
        f"<html><body><p>{words.replace('word', 'term')}</p></body></html>", encoding="utf-8"
    )
    db = str(tmp_path / "crawl.db")
    assert main(["index", "add", str(folder), "--db", db, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert (
        f"{db}: 2 added, 0 updated, 0 unchanged, 0 skipped; 2 documents in the index; "
        "1 deeply nested HTML page indexed as whole text"
    ) in out, out
