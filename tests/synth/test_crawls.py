"""Tests of spindetect.synth.crawls: labelled synthetic crawls and their files."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _synth_text import content, jaccard, needs_source

from spindetect import synth
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.titles import split_title, title_body_similarity
from spindetect.synth import crawls
from spindetect.text.sentences import split_sentences
from spindetect.text.tokens import tokenize

pytestmark = needs_source


def small_crawl(**options: object) -> list[synth.CrawlDoc]:
    params = {"seed": 3, "doc_words": 60, "family_share": 0.5, "near_dup_share": 0.2}
    params.update(options)
    return list(synth.generate_crawl(100, **params))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def crawl() -> list[synth.CrawlDoc]:
    return small_crawl()


def test_crawl_is_deterministic_with_unique_ids(crawl: list[synth.CrawlDoc]) -> None:
    docs = crawl
    assert docs == small_crawl()
    assert docs != small_crawl(seed=4, doc_words=30)
    assert len(docs) == 100
    assert len({d.id for d in docs}) == 100
    kinds = {d.kind for d in docs}
    assert kinds == {"original", "spun", "near-duplicate", "unique"}


def test_crawl_ground_truth_is_consistent(crawl: list[synth.CrawlDoc]) -> None:
    docs = crawl
    by_id = {d.id: d for d in docs}
    for doc in docs:
        if doc.kind == "unique":
            assert doc.family is None
            continue
        assert doc.family in by_id or doc.kind == "original"
        if doc.kind == "spun":
            original = by_id.get(doc.family)
            assert doc.rate in (0.1, 0.2, 0.3, 0.4, 0.5)
            assert doc.title != (original.title if original else None)
            keyword, link = doc.inserted
            assert keyword in doc.text and link in doc.text
            if original is not None:
                assert jaccard(content(doc.text), content(original.text)) > 0.2
        if doc.kind == "near-duplicate":
            original = by_id[doc.family]
            assert doc.title == original.title
            assert 0.0 <= doc.rate <= 0.1


def test_crawl_pairs_cover_every_pair_of_a_unit(crawl: list[synth.CrawlDoc]) -> None:
    docs = crawl
    families: dict[str, list[synth.CrawlDoc]] = {}
    for doc in docs:
        if doc.family is not None:
            families.setdefault(doc.family, []).append(doc)
    for members in families.values():
        pairs = synth.crawl_pairs(members)
        assert len(pairs) == len(members) * (len(members) - 1) // 2
        for pair in pairs:
            a = next(m for m in members if m.id == pair["a"])
            b = next(m for m in members if m.id == pair["b"])
            expected = 1 - (1 - (a.rate or 0)) * (1 - (b.rate or 0))
            assert pair["rate"] == pytest.approx(expected, abs=1e-4)
            assert pair["kind"] == ("spun" if "spun" in (a.kind, b.kind) else "near-duplicate")


def unit_of(doc: synth.CrawlDoc) -> str:
    return doc.family if doc.family is not None else doc.id


@pytest.fixture(scope="module")
def realism_crawl() -> list[synth.CrawlDoc]:
    return list(
        synth.generate_crawl(300, seed=5, doc_words=150, family_share=0.4, near_dup_share=0.1)
    )


def test_unrelated_documents_share_no_sentence(realism_crawl: list[synth.CrawlDoc]) -> None:
    # Spun copies are left out: a synonym swap can by chance give another article's sentence.
    units: dict[str, set[str]] = {}
    for doc in realism_crawl:
        if doc.kind == "spun":
            continue
        body = doc.text.partition("\n\n")[2].replace("\u2019", "'")
        for start, end in split_sentences(body):
            sentence = body[start:end]
            if len(sentence.split()) >= 6 and not sentence[:1].isdigit():  # not "1. Heading"
                units.setdefault(sentence, set()).add(unit_of(doc))
    assert len(units) > 1000
    shared = [s for s, u in units.items() if len(u) > 1]
    assert not shared, shared[:3]


def test_unrelated_documents_share_almost_no_8_grams(realism_crawl: list[synth.CrawlDoc]) -> None:
    grams: dict[tuple[str, ...], set[str]] = {}
    for doc in realism_crawl:
        if doc.kind == "spun":
            continue
        f = tokenize(doc.text).forms
        for gram in zip(*(f[k : len(f) - 7 + k] for k in range(8)), strict=True):
            grams.setdefault(gram, set()).add(unit_of(doc))
    shared = sum(1 for u in grams.values() if len(u) > 1)
    # only runs across a sentence end can recur ("... of the sea. Put simply, a ...")
    assert shared <= 0.001 * len(grams)


def test_titles_of_originals_fit_their_bodies_and_spam_titles_do_not(
    realism_crawl: list[synth.CrawlDoc],
) -> None:
    scores: dict[str, list[float]] = {"original": [], "near-duplicate": [], "spun": []}
    for doc in realism_crawl:
        if doc.kind in scores:
            body = doc.text[split_title(doc.text).body_start :]
            scores[doc.kind].append(title_body_similarity(doc.title, tokenize(body).forms))
    assert len(scores["original"]) >= 20 and len(scores["spun"]) >= 40
    for kind in ("original", "near-duplicate"):
        assert sum(s >= 0.5 for s in scores[kind]) >= 0.95 * len(scores[kind]), kind
    assert sum(s < 0.5 for s in scores["spun"]) >= 0.9 * len(scores["spun"])


def test_crawl_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = crawls.compose_article

    def counting(*args: object, **kwargs: object) -> tuple[str, str]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(crawls, "compose_article", counting)
    stream = synth.generate_crawl(10**9, seed=1, doc_words=40, shuffle_buffer=4)
    assert isinstance(stream, Iterator)
    first = list(itertools.islice(stream, 3))
    assert len(first) == 3
    assert len(calls) <= 10


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"n_docs": -1}, "n_docs"),
        ({"spin_rates": (0.1, 1.5)}, "spin_rates"),
        ({"spin_rates": ()}, "spin_rates"),
        ({"family_share": 0.8, "near_dup_share": 0.5}, "family_share"),
        ({"doc_words": 0}, "doc_words"),
    ],
)
def test_crawl_validates_parameters(options: dict, name: str) -> None:
    params = {"n_docs": 5, **options}
    with pytest.raises(InvalidParameterError, match=name):
        list(synth.generate_crawl(**params))


@pytest.mark.parametrize("compress", [False, True])
def test_write_crawl_files_and_manifest(tmp_path: Path, compress: bool) -> None:
    manifest = synth.write_crawl(tmp_path / "a", 50, seed=2, doc_words=40, compress=compress)
    again = synth.write_crawl(tmp_path / "b", 50, seed=2, doc_words=40, compress=compress)
    assert manifest == again
    suffix = ".jsonl.gz" if compress else ".jsonl"
    opener = gzip.open if compress else open
    for name, digest in manifest["files"].items():
        path = tmp_path / "a" / name
        assert name.endswith(suffix)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        assert path.read_bytes() == (tmp_path / "b" / name).read_bytes()
    with opener(tmp_path / "a" / f"docs{suffix}", "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    with opener(tmp_path / "a" / f"pairs{suffix}", "rt", encoding="utf-8") as handle:
        pairs = [json.loads(line) for line in handle]
    with opener(tmp_path / "a" / f"labels{suffix}", "rt", encoding="utf-8") as handle:
        labels = [json.loads(line) for line in handle]
    assert len(docs) == len(labels) == manifest["counts"]["docs"] == 50
    assert all(set(d) == {"id", "text", "title", "url"} for d in docs)
    ids = {d["id"] for d in docs}
    assert len(ids) == 50 and {lab["id"] for lab in labels} == ids
    for pair in pairs:
        assert pair["a"] in ids and pair["b"] in ids and pair["a"] != pair["b"]
        assert pair["kind"] in ("spun", "near-duplicate")
        assert 0.0 <= pair["rate"] <= 1.0
    assert len(pairs) == (
        manifest["counts"]["pairs_spun"] + manifest["counts"]["pairs_near-duplicate"]
    )
    assert manifest["seed"] == 2 and manifest["generator_version"] == synth.GENERATOR_VERSION
