"""The fast verification on real pairs nobody on the team wrote (../shared; skipped when absent).

pan11-pairs' plagiarised passages (PAN-PC-11, algorithmic obfuscation: words shuffled,
replaced, inserted) against its random pairs, each pair verified as a candidate.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spindetect.crawl import stages
from spindetect.settings import CONTENT, SKELETON, ScanConfig, VerifyRules

PAN11 = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "pan11-pairs"


@pytest.fixture(scope="module")
def verified() -> tuple[np.ndarray, stages.PairVerdicts, stages.Fingerprints]:
    path = PAN11 / "val_pairs.json"
    if not path.exists():
        pytest.skip(f"{path} not found")
    rows = json.loads(path.read_text(encoding="utf-8"))
    texts = [t for r in rows for t in (r["text1"], r["text2"])]
    labels = np.array([r["label"] == 1 for r in rows])
    config = ScanConfig()
    words = stages.learn_function_words(texts[:2048], config)
    fp = stages.fingerprint(texts, config, function_words=words)
    pairs = np.arange(len(texts), dtype=np.int64).reshape(-1, 2)
    shared = np.zeros(len(pairs), np.int64)  # as if found by LSH alone
    found = stages.verify_pairs(fp.signatures, fp.signatures, pairs, shared, config.rules)
    return labels, found, fp


def test_no_random_pair_is_kept(
    verified: tuple[np.ndarray, stages.PairVerdicts, stages.Fingerprints],
) -> None:
    labels, found, _ = verified
    kept_rows = found.pairs[:, 0] // 2
    assert not np.any(~labels[kept_rows])


def test_reordered_passages_are_kept_as_whole_copies(
    verified: tuple[np.ndarray, stages.PairVerdicts, stages.Fingerprints],
) -> None:
    """Obfuscated passages with no skeleton left but their content words: the reordered rule."""
    labels, found, fp = verified
    rules = VerifyRules()
    pairs = np.arange(2 * labels.size, dtype=np.int64).reshape(-1, 2)
    skel = (fp.signatures[SKELETON][pairs[:, 0]] == fp.signatures[SKELETON][pairs[:, 1]]).mean(1)
    cont = (fp.signatures[CONTENT][pairs[:, 0]] == fp.signatures[CONTENT][pairs[:, 1]]).mean(1)
    reordered = labels & (skel < rules.spun_skeleton) & (cont >= rules.reordered_content)
    assert np.count_nonzero(reordered) >= 5  # the real set holds such pairs
    verdict = dict(zip((found.pairs[:, 0] // 2).tolist(), found.verdicts.tolist(), strict=True))
    kept = [verdict.get(int(k)) for k in np.flatnonzero(reordered)]
    assert set(kept) <= {"spun", "near-duplicate"}
    # Without the rule these pairs are lost: the whole-copy confidence rejects them.
    off = VerifyRules(reordered_content=1.0)
    again = stages.verify_pairs(
        fp.signatures,
        fp.signatures,
        pairs[reordered],
        np.zeros(int(reordered.sum()), np.int64),
        off,
    )
    assert len(again) < np.count_nonzero(reordered)
    assert np.count_nonzero(labels) == 407
