"""``spindetect compare --vocabulary SOURCE``: the scan's passage weighting from a collection."""

from __future__ import annotations

from pathlib import Path

import pytest

from spindetect.cli.program import main

INDO = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "indo-pan-dev"


@pytest.mark.parametrize("missing", ["absent", "empty"])
def test_unreadable_vocabulary_is_exit_2_in_one_line(
    missing: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two three four five", encoding="utf-8")
    b.write_text("one two three four six", encoding="utf-8")
    source = tmp_path / missing
    if missing == "empty":
        source.mkdir()
    assert main(["compare", str(a), str(b), "--vocabulary", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(source) in err[0] and "--vocabulary" in err[0]


def test_vocabulary_of_the_corpus_finds_a_rewritten_indonesian_pair(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A human-rewritten Indonesian pair compare misses alone and finds with the corpus'
    # vocabulary (as scan, which reports it); exit 1 means "a copy".
    a = INDO / "suspicious-documents" / "suspicious-document00004.txt"
    b = INDO / "source-documents" / "source-document00013.txt"
    if not a.exists() or not b.exists():
        pytest.skip(f"{INDO} not found")
    assert main(["compare", str(a), str(b), "--json"]) == 0
    vocabulary = ["--vocabulary", str(INDO / "source-documents")]
    vocabulary += ["--vocabulary", str(INDO / "suspicious-documents")]
    assert main(["compare", str(a), str(b), "--json", *vocabulary]) == 1
    assert '"verdict": "partial"' in capsys.readouterr().out
