"""Tests of the on-disk index (``spindetect.index.SpinIndex``)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from spindetect.crawl import index_rows
from spindetect.crawl.index import SCHEMA_VERSION, AddReport, SpinIndex
from spindetect.crawl.scanning import scan
from spindetect.crawl.stages import fingerprint
from spindetect.exceptions import IndexFormatError
from spindetect.settings import LshTable, ScanConfig
from spindetect.sources.document import Document
from spindetect.synth.pair_sets import generate_pairs
from spindetect.synth.source import default_source_path
from spindetect.synth.spinner import spin

ROOT = Path(__file__).resolve().parents[2]
N_PAIRS = 14


@pytest.fixture(scope="module")
def pairs() -> list[tuple[str, str]]:
    if default_source_path() is None:
        pytest.skip("corpora/source/wordnet_text.tsv.gz is absent")
    return [(a, b) for a, b, _ in generate_pairs(N_PAIRS, rate=0.3, seed=7, doc_words=300)]


@pytest.fixture()
def originals(pairs: list[tuple[str, str]]) -> list[Document]:
    return [
        Document(f"orig{k}", a, url=f"https://site{k}.example/a") for k, (a, _) in enumerate(pairs)
    ]


def _rows(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {
            "docs": db.execute("SELECT COUNT(*) FROM docs").fetchone()[0],
            "distinct_ids": db.execute("SELECT COUNT(DISTINCT id) FROM docs").fetchone()[0],
            "bands": db.execute("SELECT COUNT(*) FROM bands").fetchone()[0],
            "samples": db.execute("SELECT COUNT(*) FROM samples").fetchone()[0],
            "orphans": db.execute(
                "SELECT (SELECT COUNT(*) FROM bands WHERE doc NOT IN "
                "(SELECT doc FROM docs)) + (SELECT COUNT(*) FROM samples "
                "WHERE doc NOT IN (SELECT doc FROM docs))"
            ).fetchone()[0],
        }
    finally:
        db.close()


def _expected_rows(texts: list[str], config: ScanConfig | None = None) -> dict[str, int]:
    """Band and sample rows a correct index holds for ``texts`` (computed independently)."""
    config = config or ScanConfig()
    fp = fingerprint(texts, config)
    bands = sum(int(t.bands) for t in config.tables)  # type: ignore[misc]
    return {
        "docs": len(texts),
        "distinct_ids": len(texts),
        "bands": bands * len(texts),
        "samples": int(fp.samples.counts().sum()),
        "orphans": 0,
    }


# -- opening -------------------------------------------------------------------------


def test_create_stores_parameters_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "crawl.db"
    config = ScanConfig(seed=5, min_shared=3)
    with SpinIndex.open(path, config=config) as index:
        assert len(index) == 0 and "x" not in index
    assert path.is_file()
    db = sqlite3.connect(path)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    db.close()
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert json.loads(meta["params"])["seed"] == 5
    # Reopened without a config: the stored one, query settings included.
    with SpinIndex.open(path, create=False) as index:
        assert index.config.to_dict() == config.to_dict()
        assert index.config.min_shared == 3
        info = index.info()
    assert info["documents"] == 0 and info["params"]["seed"] == 5 and info["bytes"] > 0


def test_other_parameters_are_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "crawl.db"
    SpinIndex.open(path, config=ScanConfig(seed=1)).close()
    with pytest.raises(IndexFormatError) as err:
        SpinIndex.open(path, config=ScanConfig(seed=2))
    assert '"seed":1' in str(err.value) and '"seed":2' in str(err.value)
    other = ScanConfig(tables=(LshTable("content", 1, 64, 0.5),))
    with pytest.raises(IndexFormatError, match="differ"):
        SpinIndex.open(path, config=other)
    # Query-time settings are not fingerprint parameters.
    SpinIndex.open(path, config=ScanConfig(seed=1, min_shared=9, max_df=5)).close()


def test_files_that_are_not_indexes(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some text\n" * 200)
    with pytest.raises(IndexFormatError, match="not a spindetect index"):
        SpinIndex.open(junk)
    assert junk.read_bytes() == b"this is not a database, just some text\n" * 200

    foreign = tmp_path / "foreign.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE people (name TEXT)")
    db.commit()
    db.close()
    before = foreign.read_bytes()
    with pytest.raises(IndexFormatError, match="not a spindetect index"):
        SpinIndex.open(foreign)
    assert foreign.read_bytes() == before  # not converted to WAL, not touched

    with pytest.raises(IndexFormatError, match="directory"):
        SpinIndex.open(tmp_path)
    with pytest.raises(IndexFormatError, match="no such index"):
        SpinIndex.open(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(IndexFormatError, match="cannot create"):
        SpinIndex.open(tmp_path / "no" / "such" / "dir.db")


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "crawl.db"
    SpinIndex.open(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(IndexFormatError, match="version '99'"):
        SpinIndex.open(path)


def test_closed_index_raises(tmp_path: Path) -> None:
    index = SpinIndex.open(tmp_path / "crawl.db")
    index.close()
    index.close()
    with pytest.raises(IndexFormatError, match="closed"):
        len(index)


# -- adding ----------------------------------------------------------------------------


def test_add_then_rerun_is_idempotent(tmp_path: Path, originals: list[Document]) -> None:
    path = tmp_path / "crawl.db"
    with SpinIndex.open(path) as index:
        first = index.add(originals, batch_size=5)
        assert first == AddReport(added=N_PAIRS)
        second = index.add(originals, batch_size=3)
        assert second == AddReport(unchanged=N_PAIRS)
        assert len(index) == N_PAIRS and all(d.id in index for d in originals)
        assert list(index.ids()) == [d.id for d in originals]
    assert _rows(path) == _expected_rows([d.text for d in originals])


def test_changed_text_replaces_the_entry(
    tmp_path: Path, originals: list[Document], pairs: list[tuple[str, str]]
) -> None:
    path = tmp_path / "crawl.db"
    with SpinIndex.open(path) as index:
        index.add(originals)
        changed = [Document("orig3", pairs[3][1]), Document("orig5", pairs[5][1])]
        report = index.add([*changed, originals[0]])
        assert report == AddReport(updated=2, unchanged=1)
        assert len(index) == N_PAIRS
        # The stored signatures are those of the new text.
        db = sqlite3.connect(path)
        blob = db.execute("SELECT sigs FROM docs WHERE id = 'orig3'").fetchone()[0]
        db.close()
        fp = fingerprint([pairs[3][1]], index.config)
        want = np.hstack([fp.signatures[k][0] for k in sorted(fp.signatures)])
        assert np.array_equal(np.frombuffer(blob, dtype=np.uint32), want)
    texts = [d.text for d in originals]
    texts[3], texts[5] = pairs[3][1], pairs[5][1]
    assert _rows(path) == _expected_rows(texts)


def test_duplicate_ids_in_one_call_and_empty_texts(
    tmp_path: Path, originals: list[Document]
) -> None:
    path = tmp_path / "crawl.db"
    docs = [
        originals[0],
        Document("orig0", originals[1].text),
        Document("blank", "  ...\n"),
        originals[2],
    ]
    with SpinIndex.open(path) as index:
        report = index.add(docs)
        assert (report.added, report.updated, report.skipped) == (2, 1, 1)
        assert report.reasons == {"no-words": 1}
        assert "blank" not in index and len(index) == 2
    # The later orig0 won.
    assert _rows(path) == _expected_rows([originals[1].text, originals[2].text])


def test_failure_inside_a_batch_loses_nothing_committed(
    tmp_path: Path, originals: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "crawl.db"
    calls = Counter[str]()
    real = index_rows.band_keys

    def failing(config: ScanConfig, signatures: object) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 3:  # third batch: docs rows already inserted in its transaction
            raise RuntimeError("disk on fire")
        return real(config, signatures)  # type: ignore[arg-type]

    monkeypatch.setattr(index_rows, "band_keys", failing)
    with SpinIndex.open(path) as index, pytest.raises(RuntimeError, match="disk on fire"):
        index.add(originals, batch_size=4)
    assert _rows(path) == _expected_rows([d.text for d in originals[:8]])
    monkeypatch.setattr(index_rows, "band_keys", real)
    with SpinIndex.open(path) as index:
        assert index.add(originals, batch_size=4) == AddReport(added=N_PAIRS - 8, unchanged=8)
    assert _rows(path) == _expected_rows([d.text for d in originals])


_KILLER = """
import os, signal, sys
from spindetect.crawl.index import SpinIndex
from spindetect.sources.iterate import iter_documents

real = SpinIndex._add_batch
calls = [0]

def add_batch(self, *args):
    calls[0] += 1
    real(self, *args)  # rows written, transaction not committed yet
    if calls[0] == 3:
        os.kill(os.getpid(), signal.SIGKILL)

SpinIndex._add_batch = add_batch
with SpinIndex.open(sys.argv[1]) as index:
    index.add(iter_documents([sys.argv[2]]), batch_size=4, workers=1)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_add_then_rerun(tmp_path: Path, originals: list[Document]) -> None:
    path = tmp_path / "crawl.db"
    src = tmp_path / "docs.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for d in originals:
            f.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", _KILLER, str(path), str(src)],
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    # Two batches committed; the third, killed inside its transaction, is gone.
    assert _rows(path) == _expected_rows([d.text for d in originals[:8]])
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with SpinIndex.open(path) as index:
        assert index.add(originals, batch_size=4) == AddReport(added=N_PAIRS - 8, unchanged=8)
    assert _rows(path) == _expected_rows([d.text for d in originals])


def test_remove(tmp_path: Path, originals: list[Document]) -> None:
    path = tmp_path / "crawl.db"
    with SpinIndex.open(path) as index:
        index.add(originals[:4])
        index.remove("orig1")
        assert "orig1" not in index and len(index) == 3
        with pytest.raises(KeyError):
            index.remove("orig1")
        spun = Document("copy1", spin(originals[1].text, rate=0.3, seed=3).text)
        assert index.query([spun]).pairs == []
    kept = [originals[k].text for k in (0, 2, 3)]
    assert _rows(path) == _expected_rows(kept)


# -- querying --------------------------------------------------------------------------


def test_query_finds_spun_copies_and_nothing_unrelated(
    tmp_path: Path, originals: list[Document]
) -> None:
    indexed = originals[:8]
    copies = [
        Document(f"copy{k}", spin(originals[k].text, rate=0.3, seed=100 + k).text)
        for k in (1, 4, 6)
    ]
    unrelated = originals[8:12]  # never indexed, unrelated to the indexed ones
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        index.add(indexed)
        result = index.query([*copies, *unrelated], batch_size=2)
    found = {(p.a, p.b): p for p in result.pairs}
    assert set(found) == {("orig1", "copy1"), ("orig4", "copy4"), ("orig6", "copy6")}
    assert all(p.verdict in ("spun", "near-duplicate") for p in found.values())
    families = {frozenset(c.members) for c in result.clusters}
    assert families == {frozenset(p) for p in found}
    family = next(c for c in result.clusters if "copy4" in c.members)
    assert family.titles["orig4"] == originals[4].text.splitlines()[0]
    s = result.summary
    assert (s["documents"], s["indexed_documents"], s["pairs_indexed"]) == (7, 8, 3)
    assert s["pairs"] == Counter(p.verdict for p in result.pairs)


def test_query_agrees_with_an_in_memory_scan(
    tmp_path: Path, originals: list[Document], pairs: list[tuple[str, str]]
) -> None:
    """Pairs touching a new document are those scan() finds over old + new documents."""
    old = [*originals[:6], Document("spun6", pairs[6][1])]
    new = [Document(f"spun{k}", pairs[k][1]) for k in range(4)]
    new += [
        originals[6],
        originals[9],
        Document("spun9b", spin(originals[9].text, rate=0.3, seed=5).text),
        Document("spun2b", spin(originals[2].text, rate=0.2, seed=6).text),
    ]
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        index.add(old)
        result = index.query(new, batch_size=3)
    truth = scan([*old, *new], explain=0)
    new_ids = {d.id for d in new}
    want = {
        frozenset((p.a, p.b)): (p.verdict, round(p.scores["skeleton"], 6))
        for p in truth.pairs
        if {p.a, p.b} & new_ids
    }
    got = {frozenset((p.a, p.b)): (p.verdict, round(p.scores["skeleton"], 6)) for p in result.pairs}
    assert got == want
    assert len(want) >= 8
    # Families: old members join through new ones (orig2, spun2, spun2b in one family).
    fam = next(c for c in result.clusters if "spun2b" in c.members)
    assert set(fam.members) == {"orig2", "spun2", "spun2b"}
    assert all(len(set(c.members)) == c.size for c in result.clusters)


def test_query_leaves_out_the_old_version_of_a_new_document(
    tmp_path: Path, originals: list[Document], pairs: list[tuple[str, str]]
) -> None:
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        index.add(originals[:3])
        # orig1 re-crawled with spun text: not a copy of its own old version.
        result = index.query([Document("orig1", pairs[1][1]), originals[0]])
    assert result.pairs == [] and result.clusters == []


def test_partial_copies_and_max_df(tmp_path: Path, originals: list[Document]) -> None:
    # An 80-word passage inside pages of ~700 words: shared samples, little else in common.
    passage = " ".join(originals[0].text.split()[40:120])
    hosts = [
        Document(f"host{k}", "\n\n".join((originals[k].text, passage, originals[k + 3].text)))
        for k in (3, 4, 5)
    ]
    page = Document("page", "\n\n".join((originals[10].text, passage, originals[13].text)))
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        index.add(hosts)
        result = index.query([page])
        assert {(p.a, p.b, p.verdict) for p in result.pairs} == {
            (h.id, "page", "partial") for h in hosts
        }
        assert all(p.scores["shared"] >= 4 and p.cluster is None for p in result.pairs)
        assert result.clusters == []
        # Samples held by more than max_df indexed documents are common text: skipped.
        common = index.query([page], max_df=2)
        assert common.pairs == [] and common.summary["skipped_common_samples"] > 0


def test_query_on_empty_index_and_no_documents(tmp_path: Path, originals: list[Document]) -> None:
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        assert index.query([]).summary["documents"] == 0
        dup = Document("again", originals[0].text)
        result = index.query([originals[0], dup])
    assert [(p.a, p.b, p.verdict) for p in result.pairs] == [("orig0", "again", "near-duplicate")]


# -- stage helpers the index relies on ------------------------------------------------


def test_verify_pairs_across_two_arrays_equals_verify(originals: list[Document]) -> None:
    from spindetect.crawl.stages import candidates, verify, verify_pairs

    texts = [d.text for d in originals[:6]]
    texts += [spin(t, rate=0.3, seed=k).text for k, t in enumerate(texts[:3])]
    config = ScanConfig()
    fp = fingerprint(texts, config)
    cands = candidates(fp, config)
    inside = verify(fp, cands, config.rules)
    assert len(inside) == 3
    # The same pairs scored with the right-hand rows taken from a reversed copy.
    right = {k: v[::-1] for k, v in fp.signatures.items()}
    flipped = np.stack([cands.pairs[:, 0], len(texts) - 1 - cands.pairs[:, 1]], axis=1)
    across = verify_pairs(fp.signatures, right, flipped, cands.shared, config.rules)
    assert np.array_equal(across.pairs[:, 0], inside.pairs[:, 0])
    assert np.array_equal(len(texts) - 1 - across.pairs[:, 1], inside.pairs[:, 1])
    assert list(across.verdicts) == list(inside.verdicts)
    assert np.allclose(across.skeleton, inside.skeleton)
    assert np.allclose(across.confidence, inside.confidence)


def test_candidates_when_no_document_shares_a_sample() -> None:
    from spindetect.crawl.stages import candidates, verify

    config = ScanConfig()
    fp = fingerprint(["one lonely document about rivers and bridges"], config)
    cands = candidates(fp, config)
    assert cands.shared.shape == (0,)
    assert len(verify(fp, cands, config.rules)) == 0


def _made_up_language(n: int, seed: int) -> list[str]:
    """Texts of a language without English function words: frequent particles, rare stems."""
    rng = np.random.default_rng(seed)
    particles = ["ka", "lo", "mi", "te", "su", "ra", "ne", "po"]
    stems = [f"{a}{b}{c}" for a in "bdfgkm" for b in "aeiou" for c in "lnrstvz"]
    texts = []
    for _ in range(n):
        words = []
        for _ in range(120):
            words.append(
                particles[rng.integers(len(particles))]
                if rng.random() < 0.5
                else stems[rng.integers(len(stems))]
            )
        texts.append(" ".join(words) + ".")
    return texts


def test_the_index_stores_the_learned_vocabulary_and_queries_use_it(tmp_path: Path) -> None:
    """Signatures of one text are the same at add and at query, whatever the query batch holds."""
    texts = _made_up_language(40, seed=3)
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        index.add([Document(f"d{k}", t) for k, t in enumerate(texts)])
        stored = index._words()
        assert stored.learned > 0  # the particles, learned from the first batch
        # The same text under a new id, queried alone: its own batch would learn another list.
        result = index.query([Document("again", texts[5])])
    pair = next(p for p in result.pairs if {p.a, p.b} == {"d5", "again"})
    assert pair.scores["skeleton"] == 1.0 and pair.scores["content"] == 1.0
    with SpinIndex.open(tmp_path / "crawl.db") as index:  # reopened: the same vocabulary
        assert np.array_equal(index._words().hashes, stored.hashes)
