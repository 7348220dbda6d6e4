"""The one pipeline runner: scan and index query are the same run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.crawl import pipeline
from spindetect.crawl.index import SpinIndex
from spindetect.crawl.records import Fingerprints
from spindetect.crawl.scanning import scan
from spindetect.crawl.stages import fingerprint
from spindetect.settings import ScanConfig
from spindetect.synth.pair_sets import generate_pairs
from spindetect.synth.source import default_source_path

WORDS = (
    "river bridge stone morning village market garden winter harbour lantern "
    "orchard meadow candle letter window forest"
).split()


@pytest.fixture(scope="module")
def crawl() -> list[tuple[str, str]]:
    if default_source_path() is None:
        pytest.skip("corpora/source/wordnet_text.tsv.gz is absent")
    docs = []
    for k, (a, b, _) in enumerate(generate_pairs(12, rate=0.3, seed=3, doc_words=250)):
        docs += [(f"a{k}", a), (f"b{k}", b)]
    return docs


def _without(records: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    out = []
    for r in records:
        r = {k: v for k, v in r.items() if k not in keys}
        r.pop("seconds", None)
        out.append(r)
    return out


def test_query_of_an_empty_index_is_the_scan(crawl: list[tuple[str, str]], tmp_path: Path) -> None:
    scanned = list(scan(crawl, explain=0).records())
    with SpinIndex.open(tmp_path / "x.db") as index:
        queried = list(index.query(crawl).records())
    assert scanned[-1]["pairs"], "the crawl must hold copies for this test to mean anything"
    assert _without(queried, "indexed_documents", "index", "pairs_indexed") == _without(scanned)


def test_query_finds_the_indexed_half(crawl: list[tuple[str, str]], tmp_path: Path) -> None:
    whole = scan(crawl, explain=0)
    originals = [d for d in crawl if d[0].startswith("a")]
    copies = [d for d in crawl if d[0].startswith("b")]
    with SpinIndex.open(tmp_path / "x.db") as index:
        index.add(originals)
        result = index.query(copies)
    across = {(p.a, p.b) for p in whole.pairs if p.a[0] != p.b[0]}
    assert len(across) >= 6, "the generated copies must be found by the scan"
    found = {tuple(sorted((p.a, p.b))) for p in result.pairs if p.a[0] != p.b[0]}
    assert found == {tuple(sorted(p)) for p in across}
    assert result.summary["pairs_indexed"] == len(found)


class _NoCopies:
    """An Elsewhere that holds nothing but counts what it was asked."""

    def __init__(self) -> None:
        self.rows: list[int] = []

    def lookup(
        self, fp: Fingerprints, config: ScanConfig, counts: Counter[str]
    ) -> pipeline.ElsewherePairs:
        self.rows.append(len(fp))
        return pipeline.ElsewherePairs.empty()

    def documents(self, numbers: np.ndarray) -> dict[int, pipeline.OutsideDocument]:
        return {}

    def summary(self) -> dict[str, Any]:
        return {"outside": True}


def test_every_batch_is_looked_up_once() -> None:
    texts = [" ".join(WORDS[(k + i) % len(WORDS)] for i in range(12)) for k in range(10)]
    outside = _NoCopies()
    result = pipeline.run(
        texts, config=ScanConfig(), explain=0, batch_size=4, threads=1, elsewhere=outside
    )
    assert outside.rows == [4, 4, 2]
    assert result.summary["outside"] is True and result.summary["pairs_indexed"] == 0


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=30), min_size=1, max_size=12),
    st.data(),
)
def test_rows_of_fingerprints_are_the_fingerprints_of_the_rows(
    docs: list[list[str]], data: st.DataObject
) -> None:
    texts = [" ".join(d) for d in docs]
    lo = data.draw(st.integers(0, len(texts)))
    hi = data.draw(st.integers(lo, len(texts)))
    config = ScanConfig()
    whole = fingerprint(texts, config, workers=1).rows(lo, hi)
    part = fingerprint(texts[lo:hi], config, workers=1)
    assert whole.signatures.keys() == part.signatures.keys()
    for key in part.signatures:
        np.testing.assert_array_equal(whole.signatures[key], part.signatures[key])
    np.testing.assert_array_equal(whole.samples.hashes, part.samples.hashes)
    np.testing.assert_array_equal(whole.samples.offsets, part.samples.offsets)
    np.testing.assert_array_equal(whole.samples.totals, part.samples.totals)
