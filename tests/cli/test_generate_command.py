"""Tests of ``spindetect generate`` (:mod:`spindetect.cli.generate_command`), run in-process."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from _synth_text import needs_source

from spindetect.cli.program import build_parser, main
from spindetect.synth import source
from spindetect.synth.crawls import write_crawl
from spindetect.synth.pair_sets import write_pairs


def generate_parser() -> argparse.ArgumentParser:
    subcommands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    parser: argparse.ArgumentParser = subcommands.choices["generate"]
    return parser


def test_usage_names_the_command_and_every_option_has_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["generate", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: spindetect generate ")
    assert "python -m" not in out
    options = [a for a in generate_parser()._actions if a.option_strings]
    assert len(options) >= 11
    for action in options:
        assert action.help and action.help != argparse.SUPPRESS, action.option_strings
        assert action.option_strings[-1] in out


@needs_source
def test_crawl_matches_the_library_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli, lib = tmp_path / "cli", tmp_path / "lib"
    code = main(
        [
            "generate",
            "--docs",
            "30",
            "--seed",
            "4",
            "--doc-words",
            "40",
            "--gzip",
            "--rates",
            "0.2,0.4",
            "--family-share",
            "0.5",
            "--near-dup-share",
            "0.1",
            "--out",
            str(cli),
        ]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    manifest = write_crawl(
        lib,
        30,
        seed=4,
        doc_words=40,
        compress=True,
        spin_rates=(0.2, 0.4),
        family_share=0.5,
        near_dup_share=0.1,
    )
    assert printed == manifest["counts"] and printed["docs"] == 30
    names = sorted(p.name for p in lib.iterdir())
    assert names == ["docs.jsonl.gz", "labels.jsonl.gz", "manifest.json", "pairs.jsonl.gz"]
    assert sorted(p.name for p in cli.iterdir()) == names
    for name in names:
        assert (cli / name).read_bytes() == (lib / name).read_bytes(), name


@needs_source
def test_pairs_match_the_library_and_its_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--pairs", "4", "--out", str(tmp_path / "cli")]) == 0
    assert json.loads(capsys.readouterr().out) == {"negative": 2, "spun": 4}
    write_pairs(tmp_path / "lib", 4)  # seed 0, doc_words 150, negatives n // 2
    for name in ("pairs.jsonl", "manifest.json"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--docs", "x"], "argument --docs: must be an integer >= 0, got 'x'"),
        (["--docs", "-1"], "argument --docs: must be an integer >= 0, got '-1'"),
        (["--pairs", "2.5"], "argument --pairs: must be an integer >= 0, got '2.5'"),
        (["--docs", "3", "--doc-words", "0"], "argument --doc-words: must be an integer >= 1"),
        (["--docs", "3", "--seed", "q"], "argument --seed: invalid int value: 'q'"),
        (
            ["--docs", "3", "--family-share", "2"],
            "argument --family-share: must be a number in [0, 1], got '2'",
        ),
        (
            ["--docs", "3", "--near-dup-share", "nan"],
            "argument --near-dup-share: must be a number in [0, 1], got 'nan'",
        ),
        (["--docs", "3", "--rates", "a,b"], "argument --rates: must be comma-separated"),
        (["--docs", "3", "--rates", "0.1,1.5"], "got '0.1,1.5'"),
        (["--docs", "3", "--rates", ","], "argument --rates: must be comma-separated"),
        (
            ["--docs", "3", "--family-share", "0.8", "--near-dup-share", "0.5"],
            "--family-share + --near-dup-share must be at most 1, got 0.8 + 0.5",
        ),
        (["--docs", "3", "--negatives", "2"], "argument --negatives: applies to --pairs only"),
        (
            ["--pairs", "3", "--family-share", "0.2"],
            "argument --family-share: applies to --docs only",
        ),
        (["--docs", "3", "--pairs", "3"], "argument --pairs: not allowed with argument --docs"),
        ([], "one of the arguments --docs --pairs is required"),
    ],
)
def test_usage_errors_name_the_option_and_value_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], expected: str
) -> None:
    out = tmp_path / "out"
    assert main(["generate", *options, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: spindetect generate ")
    problem = captured.err.strip().splitlines()[-1]
    assert problem.startswith("spindetect generate: error: ")
    assert expected in problem
    assert not out.exists()  # refused before any work


def test_missing_out_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--docs", "3"]) == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


@needs_source
def test_out_that_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("keep", encoding="utf-8")
    for out in (target, target / "sub"):
        assert main(["generate", "--docs", "3", "--out", str(out)]) == 2
        assert "error: argument --out: " in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep"


def test_source_problems_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent, garbage = tmp_path / "absent.tsv.gz", tmp_path / "garbage.tsv.gz"
    garbage.write_bytes(b"not gzip at all")
    for path, problem in ((absent, "no such file"), (garbage, "not a gzip-compressed")):
        code = main(
            ["generate", "--docs", "3", "--source", str(path), "--out", str(tmp_path / "out")]
        )
        assert code == 2
        line = capsys.readouterr().err.strip().splitlines()[-1]
        assert line.startswith("spindetect generate: error: argument --source: ")
        assert str(path) in line and problem in line
    assert not (tmp_path / "out").exists()


def test_no_source_found_says_how_to_give_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # as from an installed wheel: corpora/ is not there and no variable is set
    monkeypatch.setattr(source, "default_source_path", lambda: None)
    assert main(["generate", "--pairs", "1", "--out", str(tmp_path / "out")]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "no text source found: pass --source FILE or set $SPINDETECT_TEXT_SOURCE" in line
