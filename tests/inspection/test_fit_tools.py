"""Tests of the fit-side tools of the inspection model (tools/fit_inspect.py, build tables)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import build_inspect_tables as build  # noqa: E402
import fit_inspect as fit  # noqa: E402

from spindetect.inspection.model import fit_model  # noqa: E402
from spindetect.inspection.signals import count_texts  # noqa: E402


def test_chunks_keep_a_short_last_piece() -> None:
    words = [f"w{i}" for i in range(fit.CHUNK_WORDS + fit.MIN_WORDS)]
    pieces = list(fit.chunks(" ".join(words)))
    assert [len(p.split()) for p in pieces] == [fit.CHUNK_WORDS, fit.MIN_WORDS]
    stub = " ".join(words[: fit.MIN_WORDS])
    assert list(fit.chunks(stub)) == [stub]  # a stub page is natural text too
    assert list(fit.chunks(" ".join(words[: fit.MIN_WORDS - 1]))) == []


def test_chunks_stop_at_the_per_document_limit() -> None:
    text = " ".join(["word"] * (fit.CHUNK_WORDS * (fit.CHUNKS_PER_DOC + 2)))
    assert len(list(fit.chunks(text))) == fit.CHUNKS_PER_DOC


def test_spinner_counts_separate_outputs_and_inputs() -> None:
    rows = [
        (["profound", "learning"], ["deep", "learning"], "deep learning", 10),
        (["neural", "network"], ["neural", "organization"], "neural organization", 1),
        (["organization"], ["network"], "network", 1),
    ]
    out, inp, pairs = build.spinner_counts(rows)
    assert out["profound"] == 1 and inp["deep"] == 1 and out["learning"] == 0
    # "network" is written once and replaced once: its net output share is 0.
    assert out["network"] == inp["network"] == 1
    assert pairs[("profound", "deep")] == 1


def test_decision_puts_the_calibration_quantile_at_one_half() -> None:
    rng = np.random.default_rng(0)
    natural_texts = [
        " ".join(rng.choice(["the", "cat", "sat", "on", "mat"], 40)) for _ in range(60)
    ]
    spun_texts = ["Profound learning utilizing amusement controller recreations " * 3] * 20
    natural = count_texts(natural_texts)
    counts = np.vstack([count_texts(spun_texts), natural])
    labels = np.r_[np.ones(20), np.zeros(60)]
    model = fit_model(
        counts, labels, np.ones(80), natural=natural, calibration=natural, quantile=0.9
    )
    flagged = float((model.scores(natural) >= 0.5).mean())
    assert flagged <= 0.1 + 1e-9
    assert bool(np.all(model.scores(count_texts(spun_texts)) > model.scores(natural).max()))
