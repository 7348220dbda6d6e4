"""Tests of spindetect.report (text and JSON rendering of a Comparison)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from spindetect.pairwise.comparison import Comparison, compare
from spindetect.render.terminal import render_json, render_text

ROOT = Path(__file__).resolve().parents[2]
SEED_A, SEED_B = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[:2]


@pytest.fixture(scope="module")
def seeds() -> Comparison:
    return compare(SEED_A.read_text(encoding="utf-8"), SEED_B.read_text(encoding="utf-8"))


def _text(result: Comparison, **options: object) -> str:
    out = io.StringIO()
    render_text(result, file=out, color=False, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_render_text_seed_report(seeds: Comparison) -> None:
    raw = _text(seeds, names=("first.txt", "second.txt"), width=120)
    assert "\x1b[" not in raw  # color=False: no escape sequences
    flat = " ".join(raw.split())  # rich may wrap long lines
    assert f"Verdict: {seeds.verdict.upper()}" in flat
    assert f"confidence {seeds.confidence:.2f}" in flat
    assert "a = first.txt" in flat and "b = second.txt" in flat
    for side in ("a", "b"):
        title = seeds.titles[side]
        assert title is not None
        assert repr(title.text) in flat
    assert flat.count("MISMATCH") == 2
    assert "mental health hotlines" in flat
    assert "outpatient mental health treatment" in flat
    top = seeds.substitutions[0]
    assert top.a in flat and top.b in flat


def test_render_text_limits(seeds: Comparison) -> None:
    n = len(seeds.substitutions)
    assert n > 5
    flat = " ".join(_text(seeds, max_substitutions=5, max_passages=0, width=120).split())
    assert f"... {n - 5} more" in flat
    assert "Aligned passages" not in flat
    everything = " ".join(_text(seeds, max_substitutions=-1, width=120).split())
    assert "more (--json for all)" not in everything
    assert all(s.b in everything for s in seeds.substitutions)


def test_render_text_unrelated_has_no_titles_or_map() -> None:
    r = compare("The cat sat on the mat all day long.", "Stock prices fell sharply on Monday.")
    flat = " ".join(_text(r, width=100).split())
    assert "Verdict: UNRELATED" in flat
    assert "Title a:" not in flat and "Substitution map" not in flat


def test_render_text_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    r = compare("The cat sat on the mat.", "The cat sat on the mat.")
    render_text(r, color=False)
    assert "Verdict: IDENTICAL" in capsys.readouterr().out


def test_render_json_is_to_dict_plus_names(seeds: Comparison) -> None:
    doc = json.loads(render_json(seeds, names=("first.txt", "second.txt")))
    assert doc == {"a": "first.txt", "b": "second.txt", **seeds.to_dict()}


def test_render_json_default_names_and_extra_keys(seeds: Comparison) -> None:
    doc = json.loads(render_json(seeds, elapsed=1.5))
    assert (doc["a"], doc["b"]) == ("a", "b")
    assert doc["elapsed"] == 1.5
    assert doc["verdict"] == seeds.verdict


def test_render_json_keeps_non_ascii() -> None:
    r = compare("Le café est ouvert.", "Le café est ouvert.")
    out = render_json(r, names=("é.txt", "b.txt"))
    assert "é.txt" in out  # ensure_ascii=False
    assert json.loads(out)["a"] == "é.txt"


# -- hostile text: markup shown, not applied; control characters escaped -----------------

HOSTILE = "[bold]x\x1b[2J\x07\u202e"


def test_printable_and_escape() -> None:
    from spindetect.render.terminal import escape, printable

    assert printable(HOSTILE) == "[bold]x\\x1b[2J\\x07\\u202e"
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("a\tb\nc\r", newlines=False) == "a\\tb\\nc\\r"
    assert printable("caf\u00e9 \u00a0\u2019") == "caf\u00e9 \u00a0\u2019"  # printable text kept
    assert escape(HOSTILE) == "\\[bold]x\\x1b[2J\\x07\\u202e"


def test_render_text_escapes_names_and_passages() -> None:
    text = "The cat sat on the mat \x1b[2J all day long and then it slept by the fire."
    r = compare(text, text.replace("cat", "dog"))
    raw = _text(r, names=(HOSTILE, "[red]b"), width=200)
    assert "\x1b" not in raw and "\x07" not in raw and "\u202e" not in raw
    assert "a = [bold]x\\x1b[2J\\x07\\u202e" in raw and "b = [red]b" in raw
    colored = io.StringIO()
    render_text(r, names=(HOSTILE, "b"), file=colored, color=True, width=200)
    assert "\x1b[2J" not in colored.getvalue() and "\x07" not in colored.getvalue()
    assert "[bold]x" in colored.getvalue()
