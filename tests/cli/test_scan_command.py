"""Tests of ``spindetect scan`` run in-process through ``spindetect.cli.main``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spindetect.cli.program import main
from spindetect.synth.pair_sets import generate_negatives, generate_pairs


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    ((original, spun, _),) = generate_pairs(1, rate=0.3, seed=3, doc_words=350)
    other, another = generate_negatives(1, seed=4, doc_words=350)[0]
    return {"original": original, "spun": spun, "other": other, "another": another}


@pytest.fixture()
def crawl_dir(tmp_path: Path, articles: dict[str, str]) -> Path:
    root = tmp_path / "crawl"
    (root / "sub").mkdir(parents=True)
    (root / "orig.txt").write_text(articles["original"], encoding="utf-8")
    (root / "sub" / "copy.txt").write_text(articles["spun"], encoding="utf-8")
    (root / "other.txt").write_text(articles["other"], encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (root / "latin.txt").write_bytes(
        ("Un café très élégant à côté de la gare. " * 20).encode("latin-1")
    )
    return root


BAD = ("empty.txt", "blob.txt", "latin.txt")


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_scan_dir_with_copies_and_bad_files(
    crawl_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["scan", str(crawl_dir), "-o", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 1
    records = read_jsonl(out)
    summary = records[-1]
    assert summary["type"] == "summary"
    assert summary["documents"] == 3  # the three good files
    skipped = summary["skipped"]
    assert isinstance(skipped, dict)
    assert skipped["skipped"] == 3
    assert skipped["counts"] == {"empty": 1, "binary": 1, "decode": 1}
    assert {Path(str(r["source"])).name for r in skipped["records"]} == set(BAD)
    pairs = [r for r in records if r["type"] == "pair"]
    assert len(pairs) == 1 and pairs[0]["verdict"] == "spun"
    assert {Path(str(pairs[0]["a"])).name, Path(str(pairs[0]["b"])).name} == {
        "orig.txt",
        "copy.txt",
    }
    flat = " ".join(stdout.split())
    assert "3 documents" in flat
    assert "skipped 3" in flat and "1 empty" in flat and "1 binary" in flat
    assert all(name in stderr for name in BAD)  # one warning line per skipped input
    assert str(out) in flat
    assert "Traceback" not in stderr


def test_scan_reports_bad_files_on_stderr(
    crawl_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["scan", str(crawl_dir), "-o", str(tmp_path / "out.jsonl")])
    _, stderr = capsys.readouterr()
    assert all(name in stderr for name in BAD)


def test_scan_quiet_prints_nothing(
    crawl_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    assert main(["scan", str(crawl_dir), "-o", str(out), "--quiet"]) == 1
    assert capsys.readouterr() == ("", "")
    assert out.exists() and (tmp_path / "out.clusters.csv").exists()


def test_scan_html_output(
    crawl_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (crawl_dir / "evil.txt").write_text(
        "<script>alert(1)</script>\n\n" + (crawl_dir / "orig.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    assert main(["scan", str(crawl_dir), "-o", str(out), "--quiet"]) == 1
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "evil.txt" in page and "copy.txt" in page


def test_scan_without_copies_exits_0(
    tmp_path: Path, articles: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "clean"
    root.mkdir()
    (root / "a.txt").write_text(articles["other"], encoding="utf-8")
    (root / "b.txt").write_text(articles["original"], encoding="utf-8")
    (root / "c.txt").write_text("A short note about something else entirely.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(root), "-o", str(out)]) == 0
    records = read_jsonl(out)
    assert [r["type"] for r in records] == ["document"] * 3 + ["summary"]
    assert records[-1]["documents"] == 3
    assert "3 documents" in " ".join(capsys.readouterr().out.split())


def test_scan_missing_source_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(missing), "-o", str(out)]) == 2
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spindetect: error:")
    assert str(missing) in lines[0]
    assert not out.exists()


@pytest.mark.parametrize("name", ["out.txt", "out", "out.xlsx"])
def test_scan_unknown_output_suffix_exits_2(
    crawl_dir: Path, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    assert main(["scan", str(crawl_dir), "-o", str(out)]) == 2
    stdout, stderr = capsys.readouterr()
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spindetect: error:")
    assert "suffix" in lines[0]
    assert stdout == ""  # failed before any work: no progress, no summary
    assert not out.exists()


def test_scan_format_option_overrides_suffix(crawl_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    assert main(["scan", str(crawl_dir), "-o", str(out), "--format", "jsonl", "--quiet"]) == 1
    assert read_jsonl(out)[-1]["type"] == "summary"


def test_scan_without_output_file(crawl_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(crawl_dir), "--explain", "0"]) == 1
    assert re.search(r"\b1 famil(y|ies)\b", " ".join(capsys.readouterr().out.split()))


def test_scan_jobs_2_equals_jobs_1(
    crawl_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spindetect.sources import iterate, pool

    monkeypatch.setattr(pool, "_PARALLEL_MIN_BYTES", 0)  # use the pool on a small crawl
    monkeypatch.setattr(pool, "_GROUP_FILES", 1)
    pools = []
    read_parallel = iterate._read_parallel

    def spy(*args: object, **kwargs: object) -> object:
        pools.append(kwargs["workers"])
        return read_parallel(*args, **kwargs)

    monkeypatch.setattr(iterate, "_read_parallel", spy)
    runs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        assert main(["scan", str(crawl_dir), "-o", str(out), "--quiet", "--jobs", jobs]) == 1
        records = read_jsonl(out)
        records[-1].pop("seconds")
        runs.append(records)
    assert pools == [2]  # --jobs 1 read in-process, --jobs 2 through two reader processes
    assert runs[0] == runs[1]
    assert runs[0][-1]["documents"] == 3


def test_scan_bad_jobs_exits_2(crawl_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(crawl_dir), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_summary_escapes_hostile_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "The quick brown fox jumps over the lazy dog near the river bank every single morning "
        "before dawn while the farmer sleeps soundly in his old wooden house on the hill."
    )
    crawl = tmp_path / "hostile.jsonl"
    crawl.write_text(
        "".join(
            json.dumps({"id": i, "text": text, "title": "[blink]T\x1b]0;pwn\x07"}) + "\n"
            for i in ("[bold]x\x1b[2J", "[red]y\x07")
        ),
        encoding="utf-8",
    )
    assert main(["scan", str(crawl)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "[bold]x\\x1b[2J" in out or "[red]y\\x07" in out  # the representative, as written


def test_summary_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from rich.console import Console

    from spindetect.cli.scan_command import print_summary
    from spindetect.crawl.scanning import scan
    from spindetect.sources.skips import SkipLog

    text = (
        "The quick brown fox jumps over the lazy dog near the river bank every single morning "
        "before dawn while the farmer sleeps soundly in his old wooden house on the hill."
    )
    rep = "https://www.example.com/a/very/long/path/to/the/representative/page-0001.html"
    docs = [(rep, text), (rep + "?copy=2", text + " Indeed."), (rep + "3", text + " Also, we.")]
    result = scan(docs, explain=0)
    out = io.StringIO()
    print_summary(result, SkipLog(), [], 10, console=Console(file=out, width=80))
    shown = out.getvalue()
    rows = shown.split("───")[-1].splitlines()  # below the header rule
    pieces = [tok for line in rows for tok in line.split() if len(tok) > 3]
    assert "".join(tok for tok in pieces if tok in rep) == rep  # folded over lines, not cut
    verdicts = ", ".join(f"{v} {k}" for k, v in sorted(result.clusters[0].verdicts.items()))
    assert "," in verdicts and any(verdicts in line for line in rows)  # the cell not wrapped
    empty = io.StringIO()
    print_summary(scan([("x", text)], explain=0), SkipLog(), [], 10, console=Console(file=empty))
    assert "()" not in empty.getvalue() and "0 copy pairs," in empty.getvalue()


def test_summary_lists_only_pages_scored_spun() -> None:
    import dataclasses
    import io

    from rich.console import Console

    from spindetect.cli.scan_command import print_summary
    from spindetect.crawl.records import DocumentRecord
    from spindetect.crawl.scanning import scan
    from spindetect.inspection import DEFAULT_THRESHOLD
    from spindetect.sources.skips import SkipLog

    text = "A plain note about the weather in the valley this week, with rain on Friday."
    result = scan([("calm", text), ("odd\x1b[2J", text + " Again.")], explain=0)
    scores = [DocumentRecord("calm", DEFAULT_THRESHOLD / 2), DocumentRecord("odd\x1b[2J", 0.97)]
    result = dataclasses.replace(result, documents=scores)
    out = io.StringIO()
    print_summary(result, SkipLog(), [], 10, console=Console(file=out, width=80))
    shown = out.getvalue()
    assert "Pages scored spun" in shown and "0.970" in shown and "\x1b" not in shown
    assert "odd\\x1b[2J" in shown  # the hostile id escaped, not applied
    assert "calm" not in shown.split("Pages scored spun")[1]  # below the threshold: not listed
