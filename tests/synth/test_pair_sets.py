"""Tests of spindetect.synth.pair_sets: spun pairs, same-topic negatives, pair-set files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from _synth_text import CORPORA, content, jaccard, needs_source, ngrams

from spindetect import synth

pytestmark = needs_source


def test_same_topic_negatives_share_vocabulary_but_are_not_copies() -> None:
    negatives = synth.generate_negatives(10, seed=1, doc_words=200)
    spun = synth.generate_pairs(10, rate=0.3, seed=1, doc_words=200)
    same_topic = [jaccard(content(a), content(b)) for a, b in negatives]
    # the same articles paired across topics
    cross_topic = [
        jaccard(content(negatives[i][0]), content(negatives[(i + 1) % 10][1])) for i in range(10)
    ]
    spun_jaccard = [jaccard(content(a), content(b)) for a, b, _ in spun]
    assert np.median(same_topic) > 2 * np.median(cross_topic)
    assert np.median(spun_jaccard) > 2 * np.median(same_topic)
    for a, b in negatives:
        shared = ngrams(a, 5) & ngrams(b, 5)
        assert len(shared) / len(ngrams(a, 5)) < 0.1  # not copies


def test_generate_pairs_records_spins() -> None:
    pairs = synth.generate_pairs(3, rate=0.2, seed=2, doc_words=120)
    assert len(pairs) == 3
    for original, spun_text, result in pairs:
        assert result.text == spun_text
        assert spun_text != original
        assert abs(result.rate_achieved - 0.2) < 0.05
        for sub in result.substitutions:
            assert original[sub.start : sub.end] == sub.original


def test_write_pairs(tmp_path: Path) -> None:
    manifest = synth.write_pairs(tmp_path, 6, seed=1, negatives=2, doc_words=60)
    lines = (tmp_path / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["label"] for r in records] == ["spun"] * 6 + ["negative"] * 2
    assert [r["rate"] for r in records[:6]] == [0.1, 0.2, 0.3, 0.4, 0.5, 0.1]
    for record in records[:6]:
        for start, end, spun_start, spun_end in record["substitutions"]:
            assert record["a"][start:end] != record["b"][spun_start:spun_end]
    assert manifest["counts"] == {"spun": 6, "negative": 2}


@pytest.mark.slow
def test_small_pair_set_regenerates_identically(tmp_path: Path) -> None:
    folder = CORPORA / "spun-pairs-small"
    if not folder.is_dir():
        pytest.skip("corpora/spun-pairs-small not present")
    committed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    params = committed["params"]
    manifest = synth.write_pairs(
        tmp_path,
        params["n"],
        seed=committed["seed"],
        rates=params["rates"],
        negatives=params["negatives"],
        doc_words=params["doc_words"],
        compress=True,
    )
    assert manifest == committed
    assert (tmp_path / "pairs.jsonl.gz").read_bytes() == (folder / "pairs.jsonl.gz").read_bytes()
