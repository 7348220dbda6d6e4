"""Spark runs the in-process *templates* stage and scores every page: same output.

Catalogue entries of one template (short pages that differ in their facts) pass
the fast verification as spun copies; the in-process runner drops them
(``stages.drop_templated``) before clustering. A Spark scan of the same crawl must
drop exactly the same pairs and give every page the same spun score.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from spindetect.crawl import stages
from spindetect.crawl.scanning import scan
from spindetect.settings import ScanConfig
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog
from spindetect.synth import write_crawl

pytestmark = pytest.mark.spark

_MATERIALS = ["bronze", "clay", "silver", "stone", "glass", "wooden", "ivory", "iron"]
_OBJECTS = ["bowl", "jar", "mirror", "lamp", "comb", "figurine", "amulet", "spoon", "vase"]
_PERIODS = ["Late Period", "Middle Kingdom", "New Kingdom", "Ptolemaic Period"]
_DONORS = ["Mr Harold Finch", "Lady Agnes Moore", "Captain Ellis Ward", "Dr Ruth Carver"]


def _catalogue(n: int, seed: int) -> list[str]:
    """``n`` distinct museum catalogue entries of one template, each with its own facts."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        entry = (
            f"Item {rng.randint(1, 400)} is a {rng.choice(_MATERIALS)} {rng.choice(_OBJECTS)} "
            f"from the {rng.choice(_PERIODS)}. It was found at "
            f"{rng.choice(['Thebes', 'Abydos', 'Giza'])} in {rng.randint(1880, 1990)} and given "
            f"to the museum by {rng.choice(_DONORS)}. It is kept in Room {rng.randint(1, 12)}, "
            f"case {rng.randint(1, 40)}."
        )
        if entry not in out:
            out.append(entry)
    return out


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """Return a generated crawl with catalogue entries in the middle of it."""
    root: Path = tmp_path_factory.mktemp("templated")
    write_crawl(root, 240, seed=5)
    crawl = [(d.id, d.text) for d in iter_documents([root / "docs.jsonl"], errors=SkipLog())]
    entries = [(f"cat/{k:02d}", t) for k, t in enumerate(_catalogue(30, seed=4))]
    return crawl[:120] + entries + crawl[120:]


def _catalogue_pairs(pairs: list[Any]) -> list[Any]:
    return [p for p in pairs if p.a.startswith("cat/") and p.b.startswith("cat/")]


def test_templated_pairs_and_spun_scores_agree(spark: Any, docs: list[tuple[str, str]]) -> None:
    """Dropped catalogue pairs, kept copies, families and spun scores: Spark = in process."""
    from spindetect.spark import scan_dataframe

    config = ScanConfig()
    texts = [t for _, t in docs]
    words = stages.learn_function_words(texts, config)
    fp = stages.fingerprint(texts, config, function_words=words)
    fast = stages.verify(fp, stages.candidates(fp, config), config.rules)
    ids = [i for i, _ in docs]
    looks_spun = [
        (i, j)
        for (i, j), v in zip(fast.pairs.tolist(), fast.verdicts.tolist(), strict=True)
        if ids[i].startswith("cat/") and ids[j].startswith("cat/") and v == "spun"
    ]
    assert len(looks_spun) >= 10  # without the stage these would be reported

    truth = scan(docs, config=config, explain=2)
    assert _catalogue_pairs(truth.pairs) == []
    assert len(truth.clusters) >= 10 and len(truth.documents) == len(docs)

    df = spark.createDataFrame(docs, "id string, text string")
    got = scan_dataframe(df, config=config, explain=2, partitions=3)
    assert got.pair_records() == truth.pairs
    assert got.cluster_records() == truth.clusters
    assert got.document_records() == truth.documents
    assert got.summary["spun_documents"] == truth.summary["spun_documents"]
    assert got.summary["pairs"] == truth.summary["pairs"]
