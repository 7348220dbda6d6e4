"""Tests of spindetect.scan over a generated crawl with ground truth."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest

from spindetect.crawl.records import ClusterRecord, PairRecord, ScanResult
from spindetect.crawl.scanning import scan
from spindetect.exceptions import InvalidParameterError
from spindetect.render.writers import write_result
from spindetect.sources.document import Document
from spindetect.sources.skips import SkipLog
from spindetect.synth.crawls import CrawlDoc, generate_crawl
from spindetect.synth.pair_sets import generate_pairs

PAIR_KEYS = {"type", "a", "b", "verdict", "confidence", "scores", "cluster"}
CLUSTER_KEYS = {
    "type",
    "id",
    "size",
    "members",
    "representative",
    "verdicts",
    "titles",
    "distinct_titles",
    "links",
    "beneficiaries",
    "explained",
    "title_mismatch",
    "inserted",
    "template",
    "urls",
}
EXPLAIN = 3


@pytest.fixture(scope="module")
def crawl() -> list[CrawlDoc]:
    return list(generate_crawl(300, seed=7))


@pytest.fixture(scope="module")
def result(crawl: list[CrawlDoc]) -> ScanResult:
    docs = [Document(id=d.id, text=d.text, title=d.title, url=d.url) for d in crawl]
    return scan(docs, explain=EXPLAIN)


def spun_truth(crawl: list[CrawlDoc]) -> list[tuple[str, str]]:
    """(original, spun copy) id pairs of the ground truth."""
    originals = {d.family: d.id for d in crawl if d.kind == "original"}
    return [
        (originals[d.family], d.id) for d in crawl if d.kind == "spun" and d.family in originals
    ]


def test_crawl_has_families(crawl: list[CrawlDoc]) -> None:
    assert len(spun_truth(crawl)) >= 20  # the test below means something


def test_recall_of_spun_pairs(crawl: list[CrawlDoc], result: ScanResult) -> None:
    truth = spun_truth(crawl)
    found = {frozenset((p.a, p.b)) for p in result.pairs if p.verdict != "partial"}
    family_of = {m: c.id for c in result.clusters for m in c.members}
    pair_recall = sum(frozenset(t) in found for t in truth) / len(truth)
    family_recall = sum(
        family_of.get(a) is not None and family_of.get(a) == family_of.get(b) for a, b in truth
    ) / len(truth)
    assert pair_recall >= 0.9
    assert family_recall >= 0.9


def test_whole_copies_are_within_true_families(crawl: list[CrawlDoc], result: ScanResult) -> None:
    family = {d.id: d.family for d in crawl}
    whole = [p for p in result.pairs if p.verdict != "partial"]
    correct = sum(family[p.a] is not None and family[p.a] == family[p.b] for p in whole)
    assert correct / len(whole) >= 0.95
    for c in result.clusters:
        true = Counter(family[m] for m in c.members)
        assert true.most_common(1)[0][1] / c.size >= 0.8, c.id


def test_beneficiary_of_injected_links(crawl: list[CrawlDoc], result: ScanResult) -> None:
    by_id = {d.id: d for d in crawl}
    checked = 0
    for c in result.clusters:
        hosts = Counter(
            urlsplit(x).hostname
            for m in c.members
            for x in by_id[m].inserted
            if x.startswith("http")
        )
        shared = {h for h, n in hosts.items() if n >= 2}
        if shared:
            checked += 1
            domains = {b["domain"] for b in c.beneficiaries}
            assert shared <= domains, c.id
            assert all(b["members"] >= 2 for b in c.beneficiaries)
    assert checked >= 5


def test_pair_records(crawl: list[CrawlDoc], result: ScanResult) -> None:
    order = {d.id: k for k, d in enumerate(crawl)}
    family_of = {m: c.id for c in result.clusters for m in c.members}
    assert result.pairs
    for p in result.pairs:
        assert isinstance(p, PairRecord)
        assert order[p.a] < order[p.b]
        assert p.verdict in {"near-duplicate", "spun", "partial"}
        assert 0.0 <= p.confidence <= 1.0
        # "passage": pairs the passage stage judged (partial copies only).
        assert set(p.scores) - {"passage"} == {"skeleton", "content", "shared"}
        assert "passage" not in p.scores or p.verdict == "partial"
        if p.verdict == "partial":
            assert p.cluster is None
        else:
            assert p.cluster == family_of[p.a] == family_of[p.b]


def test_cluster_records(result: ScanResult) -> None:
    assert result.clusters
    sizes = [c.size for c in result.clusters]
    assert sizes == sorted(sizes, reverse=True)
    assert [c.id for c in result.clusters] == [f"c{k + 1}" for k in range(len(sizes))]
    seen: set[str] = set()
    for c in result.clusters:
        assert isinstance(c, ClusterRecord)
        assert c.size >= 2 and len(set(c.members)) == c.size
        assert not seen & set(c.members)  # a document is in one family at most
        seen |= set(c.members)
        assert c.representative in c.members
        assert set(c.titles) == set(c.members)
        assert sum(c.verdicts.values()) >= c.size - 1  # connected by whole-copy pairs
        assert set(c.title_mismatch) <= set(c.members)


def test_explain_fills_the_largest(result: ScanResult) -> None:
    explained = [c.explained for c in result.clusters]
    assert explained == [k < EXPLAIN for k in range(len(explained))]
    for c in result.clusters[:EXPLAIN]:
        assert set(c.inserted) <= set(c.members)
        assert len(c.inserted) >= 2
    for c in result.clusters[EXPLAIN:]:
        assert c.inserted == {} and c.template == [] and c.title_mismatch == []


def test_summary_counts(crawl: list[CrawlDoc], result: ScanResult) -> None:
    s = result.summary
    assert s["documents"] == len(crawl)
    assert s["pairs"] == dict(Counter(p.verdict for p in result.pairs))
    assert s["clusters"] == len(result.clusters)
    assert s["clustered_documents"] == sum(c.size for c in result.clusters)
    assert s["largest_cluster"] == max(c.size for c in result.clusters)
    assert s["candidates"] >= sum(s["pairs"].values())


def test_jsonl_contract(result: ScanResult) -> None:
    records = [json.loads(json.dumps(r, ensure_ascii=False)) for r in result.records()]
    types = [r["type"] for r in records]
    n_pairs, n_clusters = len(result.pairs), len(result.clusters)
    n_docs = result.summary["documents"]
    assert types == ["pair"] * n_pairs + ["cluster"] * n_clusters + ["document"] * n_docs + [
        "summary"
    ]
    docs = records[n_pairs + n_clusters : -1]
    assert all(
        0.0 <= r["spun_score"] <= 1.0 and set(r) == {"type", "id", "spun_score"} for r in docs
    )
    records = records[: n_pairs + n_clusters] + records[-1:]
    for r in records[:n_pairs]:
        assert set(r) == PAIR_KEYS
        assert isinstance(r["a"], str) and isinstance(r["b"], str)
        assert isinstance(r["confidence"], float)
    for r in records[n_pairs:-1]:
        assert set(r) == CLUSTER_KEYS
        assert isinstance(r["members"], list) and r["size"] == len(r["members"])
        assert r["distinct_titles"] == len({t for t in r["titles"].values() if t})
    assert records[-1]["documents"] == result.summary["documents"]
    assert list(result) == [*result.pairs, *result.clusters]


# -- inputs -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def texts() -> list[str]:
    (a, spun, _), (b, _, _) = generate_pairs(2, rate=0.3, seed=41, doc_words=300)
    return [a, b, spun]


def test_plain_strings_get_index_ids(texts: list[str]) -> None:
    result = scan(texts, explain=0)
    assert [(p.a, p.b, p.verdict) for p in result.pairs] == [("0", "2", "spun")]
    assert result.clusters[0].members == ("0", "2")


def test_tuples_keep_their_ids(texts: list[str]) -> None:
    result = scan([("x", texts[0]), ("y", texts[1]), ("z", texts[2])], explain=1)
    assert [(p.a, p.b) for p in result.pairs] == [("x", "z")]
    assert result.clusters[0].explained is True
    assert set(result.clusters[0].members) == {"x", "z"}


def test_explain_zero_leaves_families_unexplained(texts: list[str]) -> None:
    result = scan(texts, explain=0)
    assert result.clusters and all(c.explained is False for c in result.clusters)
    assert all(c.inserted == {} and c.template == [] for c in result.clusters)


def test_small_batches_give_the_same_result(texts: list[str]) -> None:
    docs = [*texts, texts[2], "an unrelated short text about nothing much at all"]
    one = scan(docs, explain=0)
    many = scan(docs, explain=0, batch_size=2, threads=1)
    assert [p.to_dict() for p in many.pairs] == [p.to_dict() for p in one.pairs]
    assert [c.to_dict() for c in many.clusters] == [c.to_dict() for c in one.clusters]


def test_a_stream_and_a_list_give_the_same_result(
    crawl: list[CrawlDoc], result: ScanResult
) -> None:
    # A list is read in place; a generator is spooled to disk: same records either way.
    docs = (Document(id=d.id, text=d.text, title=d.title, url=d.url) for d in crawl)
    streamed = scan(docs, explain=EXPLAIN)
    assert [p.to_dict() for p in streamed.pairs] == [p.to_dict() for p in result.pairs]
    assert [c.to_dict() for c in streamed.clusters] == [c.to_dict() for c in result.clusters]
    assert any(c.explained and c.inserted for c in streamed.clusters)


def test_empty_input() -> None:
    result = scan([])
    assert result.pairs == [] and result.clusters == []
    assert result.summary["documents"] == 0 and result.summary["pairs"] == {}
    assert result.summary["candidates_per_document"] == 0.0
    assert [r["type"] for r in result.records()] == ["summary"]


def test_unrelated_texts_give_nothing() -> None:
    docs = [
        "The weather was cold and wet all week in the northern hills.",
        "Quarterly revenue grew because of strong demand for new phones.",
        "",
    ]
    result = scan(docs)
    assert result.pairs == [] and result.clusters == []
    assert result.summary["documents"] == 3
    # Every candidate touches two documents.
    per_doc = result.summary["candidates_per_document"]
    assert per_doc == round(2 * result.summary["candidates"] / 3, 3)


def test_progress_and_skip_log(texts: list[str]) -> None:
    calls: list[tuple[str, int, int | None]] = []
    log = SkipLog()
    log.add("binary", "blob.bin", "binary data")
    result = scan(texts, explain=1, progress=lambda *a: calls.append(a), skipped=log)
    stages = [c[0] for c in calls]
    assert {"fingerprint", "candidates", "verify", "explain"} <= set(stages)
    assert ("fingerprint", 3, 3) in calls
    assert result.summary["skipped"]["counts"] == {"binary": 1}


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"explain": -1}, "explain"), ({"batch_size": 0}, "batch_size")]
)
def test_validation(kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        scan(["a"], **kwargs)  # type: ignore[arg-type]


def test_link_hrefs_drop_trailing_punctuation(texts: list[str]) -> None:
    a, _, spun = texts
    docs = [
        ("a", a + "\nRead more at https://shop.example/deal, today."),
        ("b", spun + "\nRead more at https://shop.example/deal."),
    ]
    result = scan(docs, explain=0)
    assert result.clusters[0].beneficiaries[0]["hrefs"] == ["https://shop.example/deal"]


def test_the_garbage_collector_state_is_restored(texts: list[str]) -> None:
    import gc

    assert gc.isenabled()
    scan(texts[:3], explain=0)
    assert gc.isenabled()
    gc.disable()
    try:
        scan(texts[:3], explain=0)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert scan([["a", texts[0]], ("b", texts[0])], explain=0).pairs  # lists or tuples
    with pytest.raises(InvalidParameterError, match="item 1 is object"):
        scan(["fine", object()], explain=0)  # type: ignore[list-item]
    assert gc.isenabled()


def test_workers_is_the_former_name_of_threads() -> None:
    docs = ["the cat sat on the mat", "the cat sat on the mat"]
    with pytest.warns(DeprecationWarning, match="threads="):
        old = scan(docs, workers=1, explain=0)
    assert old.records().__next__() == scan(docs, threads=1, explain=0).records().__next__()
    with pytest.raises(InvalidParameterError, match="threads=1 and workers=2"):
        scan(docs, threads=1, workers=2)


def test_family_records_carry_their_members_urls(texts: list[str], tmp_path) -> None:
    """Each family names its members' URLs (those that have one); the HTML report shows them."""
    docs = [
        Document(id="a", text=texts[0], url="https://origin.test/article"),
        Document(id="b", text=texts[1]),
        Document(id="spun", text=texts[2], url="https://copy.test/seo-page"),
    ]
    result = scan(docs, explain=1)
    (family,) = result.clusters
    assert family.urls == {"a": "https://origin.test/article", "spun": "https://copy.test/seo-page"}
    assert family.to_dict()["urls"] == family.urls
    report = tmp_path / "report.html"
    write_result(result, report)
    assert "https://copy.test/seo-page" in report.read_text(encoding="utf-8")
