"""Tests of spindetect.inspection: inspect(), inspect_scores(), the model file and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spindetect
from spindetect.cli.program import main
from spindetect.exceptions import IndexFormatError, InvalidParameterError
from spindetect.inspection import inspect, inspect_scores
from spindetect.inspection.model import Model
from spindetect.inspection.signals import SIGNALS, count_texts

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "seeds"

NATURAL = (
    "The committee met on Tuesday to discuss the budget for next year. Members agreed "
    "that the library needs a new roof before winter, and the mayor said the town would "
    "pay for it out of the reserve fund. A vote is expected next month."
)
SPUN = (
    "The board of trustees will certainly fulfill on Tuesday to go over the spending plan "
    "for following year. Participants have actually concurred that the collection requires "
    "a brand-new roof covering prior to winter season, and they really feel the community "
    "would certainly spend for it out of the get fund per various other."
)


def test_exported_from_the_package() -> None:
    assert spindetect.inspect is inspect
    assert spindetect.inspect_scores is inspect_scores
    assert isinstance(inspect(NATURAL), spindetect.Inspection)


def test_natural_and_spun_paragraphs() -> None:
    natural, spun = inspect(NATURAL), inspect(SPUN)
    assert natural.verdict == "natural" and not natural.is_spun
    assert spun.verdict == "spun" and spun.is_spun
    assert spun.score > natural.score
    texts = {e.text.lower() for e in spun.evidence}
    assert {"will certainly", "have actually", "really feel", "per various other"} <= texts


def test_evidence_spans_slice_the_text() -> None:
    r = inspect(SPUN)
    assert r.evidence
    for e in r.evidence:
        assert SPUN[e.start : e.end] == e.text
        assert e.signal in SIGNALS
    starts = [e.start for e in r.evidence]
    assert starts == sorted(starts)


def test_tortured_phrase_names_its_original() -> None:
    r = inspect("Profound learning is a subfield of machine learning.")
    first = r.evidence[0]
    assert (first.text, first.replaces, first.signal) == (
        "Profound learning",
        "deep learning",
        "tortured_phrases",
    )


def test_mojibake_marks_are_evidence() -> None:
    r = inspect(
        "It opened in February\u00c2\u00a020, 1848 and closed in it\u00e2\u20ac\u2122s time."
    )
    assert [e.signal for e in r.evidence if e.signal == "mojibake"] == ["mojibake", "mojibake"]


def test_signals_sum_to_the_score() -> None:
    r = inspect(SPUN)
    model = Model.default()
    logit = model.intercept + sum(s.contribution for s in r.signals)
    assert r.score == pytest.approx(1 / (1 + np.exp(-logit)))
    assert [s.name for s in r.signals] == list(SIGNALS)


def test_batch_scores_match_single() -> None:
    texts = [NATURAL, SPUN, "", "   ", "Ünïcödé wörds ﬁne"]
    batch = inspect_scores(texts, threads=2)
    assert batch.shape == (5,)
    assert batch == pytest.approx([inspect(t).score for t in texts])
    assert inspect_scores([]).shape == (0,)


def test_empty_text_is_natural() -> None:
    r = inspect("")
    assert r.tokens == 0 and r.verdict == "natural" and r.evidence == ()


def test_threshold_and_limits() -> None:
    assert inspect(NATURAL, threshold=0.0).verdict == "spun"
    assert inspect(SPUN, threshold=1.0).verdict == "natural"
    assert len(inspect(SPUN, max_evidence=2).evidence) == 2
    assert inspect(SPUN, max_evidence=0).evidence == ()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: inspect(3), "text"),  # type: ignore[arg-type]
        (lambda: inspect("x", threshold=1.5), "threshold"),
        (lambda: inspect("x", max_evidence=-1), "max_evidence"),
        (lambda: inspect_scores("abc"), "texts"),
        (lambda: inspect_scores(["a", 1]), "texts[1]"),  # type: ignore[list-item]
        (lambda: inspect_scores(["a"], threads=0), "threads"),
    ],
)
def test_bad_options_raise(call: object, name: str) -> None:
    with pytest.raises(InvalidParameterError, match=name.replace("[", r"\[")):
        call()  # type: ignore[operator]


@given(st.text(max_size=300))
def test_score_in_unit_interval_and_spans_valid(text: str) -> None:
    r = inspect(text)
    assert 0.0 <= r.score <= 1.0
    for e in r.evidence:
        assert text[e.start : e.end] == e.text


def test_repeated_word_counts_once() -> None:
    once = count_texts(["recuperation happened"])[0]
    many = count_texts(["recuperation recuperation recuperation happened"])[0]
    assert many[0] == once[0] + 2 and many[1] == once[1]
    assert many[2:5] == pytest.approx(once[2:5])


def test_model_round_trip_and_bad_files(tmp_path: Path) -> None:
    model = Model.default()
    again = Model.from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(again.coef, model.coef) and again.intercept == model.intercept
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({**model.to_dict(), "format": "other"}), encoding="utf-8")
    with pytest.raises(IndexFormatError, match="format"):
        Model.load(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(IndexFormatError):
        Model.load(bad)
    assert np.all(model.coef >= 0)


def test_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nat, spun = tmp_path / "n.txt", tmp_path / "s.txt"
    nat.write_text(NATURAL, encoding="utf-8")
    spun.write_text(SPUN, encoding="utf-8")
    assert main(["inspect", str(nat)]) == 0
    assert "natural" in capsys.readouterr().out
    page = tmp_path / "r.html"
    assert main(["inspect", str(nat), str(spun), "--json", "--html", str(page)]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in rows] == ["natural", "spun"]
    assert rows[1]["path"] == str(spun)
    assert "<mark" in page.read_text(encoding="utf-8")
    assert main(["inspect", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.txt" in err


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpora/seeds absent")
def test_seed_pages_are_flagged_with_their_artefacts() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        r = inspect(path.read_text(encoding="utf-8"))
        assert r.is_spun, path.name
        phrases = {e.text.lower() for e in r.evidence if e.signal == "spinner_phrases"}
        assert {"have actually", "really feel"} & phrases, path.name
