"""Tests of spindetect.corpus: the text source, Markov chain, articles, crawls, pair sets."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from spindetect import synth
from spindetect.cli.program import main
from spindetect.exceptions import InputNotFoundError, InvalidParameterError
from spindetect.pairwise.titles import split_title, title_body_similarity
from spindetect.synth import crawls
from spindetect.text.sentences import split_sentences
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import WORD_PATTERN, tokenize

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"

pytestmark = pytest.mark.skipif(
    synth.default_source_path() is None, reason="corpora/source text source not present"
)


def words(text: str) -> list[str]:
    return [m.group().lower() for m in WORD_PATTERN.finditer(text)]


def content(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and w.isalpha()}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


# ----------------------------------------------------------------------------- source
def test_missing_source_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="source_path"):
        synth.TextSource(tmp_path / "absent.tsv.gz")
    with pytest.raises(FileNotFoundError):
        synth.generate_negatives(1, source_path=tmp_path / "absent.tsv.gz")


def test_source_carries_the_wordnet_licence() -> None:
    path = synth.default_source_path()
    assert path is not None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = "".join(itertools.islice(handle, 40))
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in header
    assert (path.parent / "LICENSE-WordNet").is_file()


def test_source_topics_are_lexicographer_files() -> None:
    src = synth.load_source()
    assert len(src.topics) >= 30
    assert "noun.food" in src.topics and "verb.motion" in src.topics
    assert all(len(src.sentences(t)) >= 400 for t in src.topics)
    with pytest.raises(InvalidParameterError, match="topic"):
        src.sentences("noun.nonsense")


# ----------------------------------------------------------------------------- chain
TRAINING = [
    "The cat sat on the mat.",
    "The dog sat on the rug.",
    "A cat chased the dog around the garden.",
    "The dog chased a ball into the garden.",
    "A bird sat on the fence all day.",
]


def transitions(sentences: list[str]) -> set[tuple[str, str, str]]:
    out = set()
    for sentence in sentences:
        w = ["", "", *sentence.split(), ""]
        out.update(zip(w, w[1:], w[2:], strict=False))
    return out


def bigrams(sentences: list[str]) -> set[tuple[str, str]]:
    out = set()
    for sentence in sentences:
        w = ["", *sentence.split(), ""]
        out.update(itertools.pairwise(w))
    return out


def test_markov_chain_without_backoff_only_uses_observed_order2_transitions() -> None:
    chain = synth.MarkovChain(TRAINING, backoff=0.0)
    seen = transitions(TRAINING)
    generated = chain.generate(200, rng=np.random.default_rng(1), batch=64)
    generated += [chain.sentence(random.Random(k)) for k in range(50)]
    assert generated
    for sentence in generated:
        assert 6 <= len(sentence.split()) <= 40
        assert transitions([sentence]) <= seen
        assert sentence[0].isupper() and sentence.endswith(".")


def test_markov_chain_backoff_uses_observed_words_pairs_and_order2_starts() -> None:
    chain = synth.MarkovChain(TRAINING, backoff=0.5)
    generated = chain.generate(300, rng=np.random.default_rng(1), batch=64)
    starts = {tuple(s.split()[:1]) for s in TRAINING}
    assert generated
    for sentence in generated:
        assert 6 <= len(sentence.split()) <= 40
        assert bigrams([sentence]) <= bigrams(TRAINING)
        assert tuple(sentence.split()[:1]) in starts
    # backing off makes word triples the training text does not have
    assert set().union(*(transitions([s]) for s in generated)) - transitions(TRAINING)


def test_markov_chain_validates_options() -> None:
    with pytest.raises(InvalidParameterError, match="novel_run"):
        synth.MarkovChain(TRAINING, novel_run=1)
    with pytest.raises(InvalidParameterError, match="backoff"):
        synth.MarkovChain(TRAINING, backoff=1.5)


def forms(sentence: str) -> tuple[str, ...]:
    """Lower-case words without outer punctuation, as the chain compares them."""
    return tuple(w.strip(".,;:!?\"'()").lower().replace("\u2019", "'") for w in sentence.split())


def test_new_sentences_copy_no_run_of_seven_training_words() -> None:
    src = synth.load_source()
    topic = "noun.shape"  # a small topic: long verbatim runs are likely there
    training = [forms(s) for s in src.sentences(topic)]
    runs = {t[i : i + 7] for t in training for i in range(len(t) - 6)}
    chain = src.chain(topic)
    generated = chain.generate(400, rng=np.random.default_rng(3), batch=512)
    assert len(generated) == 400
    for sentence in generated:
        f = forms(sentence)
        assert f not in set(training)
        assert not {f[i : i + 7] for i in range(len(f) - 6)} & runs, sentence
    # without the rule, the same chain copies such runs readily
    plain = synth.MarkovChain(src.sentences(topic), novel_run=40, backoff=0.0)
    copied = plain.generate(400, rng=np.random.default_rng(3), batch=512)
    assert sum(bool({forms(s)[i : i + 7] for i in range(len(s.split()) - 6)} & runs)
               for s in copied) > 40


def test_markov_chain_prefers_new_sentences() -> None:
    chain = synth.MarkovChain(TRAINING)
    generated = chain.generate(5, rng=np.random.default_rng(2), batch=256)
    assert not set(generated) & set(TRAINING)


def test_markov_chain_is_deterministic() -> None:
    chain = synth.MarkovChain(TRAINING)
    a = chain.generate(20, rng=np.random.default_rng(5), batch=32)
    b = chain.generate(20, rng=np.random.default_rng(5), batch=32)
    assert a == b


# ----------------------------------------------------------------------------- articles
def test_article_shape_and_determinism() -> None:
    text = synth.generate_article("noun.food", seed=3, doc_words=300)
    assert text == synth.generate_article("noun.food", seed=3, doc_words=300)
    assert text != synth.generate_article("noun.food", seed=4, doc_words=300)
    title, blank, *body = text.split("\n")
    assert title and not blank and len(body) >= 2
    n_words = len(text.split())
    assert 0.75 * 300 <= n_words <= 1.35 * 300


def test_article_title_names_the_article_subject() -> None:
    for seed in range(5):
        text = synth.generate_article("noun.food", seed=seed, doc_words=300)
        title, _, body = text.partition("\n\n")
        template_words = {"understanding", "guide", "know", "introduction", "works",
                          "explained", "beyond", "matter", "benefits", "top", "tips"}
        terms = content(title) - template_words
        assert terms, title
        assert terms <= content(body), title
        assert title_body_similarity(title, tokenize(body).forms) >= 0.5, title


def test_article_rejects_unknown_topic() -> None:
    with pytest.raises(InvalidParameterError, match="topic"):
        synth.generate_article("noun.nonsense")


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


# ----------------------------------------------------------------------------- template negatives
def template_words(page: str, template: tuple[str, ...]) -> tuple[int, int]:
    """(words on the page's template lines, words on the page), counted from the text."""
    shared = set(template)
    lines = page.split("\n")
    return sum(len(words(line)) for line in lines if line in shared), len(words(page))


def own_text(page: str, template: tuple[str, ...]) -> str:
    shared = set(template)
    return "\n".join(line for line in page.split("\n") if line not in shared)


@pytest.fixture(scope="module")
def template_pairs() -> list[synth.TemplateNegative]:
    return synth.generate_template_negatives(12, seed=4, doc_words=200)


def test_template_negatives_are_deterministic(
        template_pairs: list[synth.TemplateNegative]) -> None:
    again = synth.generate_template_negatives(12, seed=4, doc_words=200)
    assert again == template_pairs
    other = synth.generate_template_negatives(3, seed=5, doc_words=200)
    assert [(p.a, p.b) for p in other] != [(p.a, p.b) for p in template_pairs[:3]]


def test_template_lines_are_whole_lines_of_both_pages(
        template_pairs: list[synth.TemplateNegative]) -> None:
    for pair in template_pairs:
        assert pair.template
        for page in (pair.a, pair.b):
            lines = page.split("\n")
            assert all(line in lines for line in pair.template)
        assert pair.a.startswith(pair.template[0] + "\n")  # the site header opens the page
        assert pair.a != pair.b


@pytest.mark.parametrize("share", [(0.1, 0.4), (0.2, 0.3), (0.0, 0.0)])
def test_template_share_is_within_the_requested_range(share: tuple[float, float]) -> None:
    pairs = synth.generate_template_negatives(6, seed=7, doc_words=200, template_share=share)
    measured = []
    for pair in pairs:
        for page in (pair.a, pair.b):
            shared, total = template_words(page, pair.template)
            measured.append(shared / total)
    assert min(measured) >= share[0] - 1e-9
    assert max(measured) <= share[1] + 1e-9
    if share[1] > 0:
        assert max(measured) > min(measured)  # drawn per pair, not fixed


def test_template_negative_articles_are_not_copies(
        template_pairs: list[synth.TemplateNegative]) -> None:
    for pair in template_pairs:
        own_a, own_b = own_text(pair.a, pair.template), own_text(pair.b, pair.template)
        assert not ngrams(own_a, 8) & ngrams(own_b, 8)
        # the template is shared text, not a copy of either article
        template = ngrams("\n".join(pair.template), 8)
        assert not template & ngrams(own_a, 8)
        # same topic: the articles share vocabulary
        assert content(own_a) & content(own_b)


def test_template_quotation_sits_inside_both_articles() -> None:
    quoted = synth.generate_template_negatives(4, seed=8, doc_words=200, quote_rate=1.0,
                                                template_share=(0.3, 0.4))
    for pair in quoted:
        assert pair.quote is not None and pair.quote in pair.template
        for page in (pair.a, pair.b):
            lines = page.split("\n")
            at = lines.index(pair.quote)
            header = pair.template.index(pair.quote)  # header lines come before it
            assert at > header + 1  # after the header block and the article's title
            assert lines[at - 1] == "" and lines[at + 1] == ""  # its own paragraph
    plain = synth.generate_template_negatives(4, seed=8, doc_words=200, quote_rate=0.0)
    assert all(pair.quote is None for pair in plain)


def test_template_negatives_leave_the_other_generators_alone() -> None:
    before = synth.generate_negatives(2, seed=9, doc_words=100)
    synth.generate_template_negatives(2, seed=9, doc_words=100)
    assert synth.generate_negatives(2, seed=9, doc_words=100) == before


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"n": -1}, "n"),
        ({"doc_words": 0}, "doc_words"),
        ({"template_share": (0.4, 0.1)}, "template_share"),
        ({"template_share": (0.1, 0.95)}, "template_share"),
        ({"template_share": (0.1,)}, "template_share"),
        ({"template_share": "0.1,0.4"}, "template_share"),
        ({"quote_rate": 1.5}, "quote_rate"),
    ],
)
def test_template_negatives_validate_parameters(options: dict, name: str) -> None:
    kwargs = {"n": 1, **options}
    with pytest.raises(InvalidParameterError, match=name):
        synth.generate_template_negatives(**kwargs)


# ----------------------------------------------------------------------------- crawl
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
    return list(synth.generate_crawl(300, seed=5, doc_words=150, family_share=0.4,
                                      near_dup_share=0.1))


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


def test_unrelated_documents_share_almost_no_8_grams(
        realism_crawl: list[synth.CrawlDoc]) -> None:
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
        realism_crawl: list[synth.CrawlDoc]) -> None:
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
    assert len(pairs) == (manifest["counts"]["pairs_spun"]
                          + manifest["counts"]["pairs_near-duplicate"])
    assert manifest["seed"] == 2 and manifest["generator_version"] == synth.GENERATOR_VERSION


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


def test_main_writes_a_crawl_and_reports_usage_errors(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "crawl"
    assert main(["generate", "--docs", "20", "--seed", "1", "--out", str(out),
                        "--doc-words", "40"]) == 0
    assert (out / "docs.jsonl").is_file() and (out / "manifest.json").is_file()
    assert json.loads(capsys.readouterr().out)["docs"] == 20
    assert main(["generate", "--docs", "5", "--out", str(out), "--family-share", "2"]) == 2
    assert "family_share" in capsys.readouterr().err
    assert main(["generate", "--docs", "5", "--out", str(out), "--rates", "a,b"]) == 2
    assert main(["generate", "--docs", "5", "--out", str(out),
                        "--source", str(tmp_path / "none.tsv.gz")]) == 2


# ----------------------------------------------------------------------------- committed sets
def sums(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        out[name.lstrip("*")] = digest
    return out


@pytest.mark.parametrize("name", ["source", "spun-pairs-small", "crawl-1k"])
def test_committed_corpora_match_their_checksums(name: str) -> None:
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"corpora/{name} not present")
    listed = sums(folder)
    assert listed
    for file, digest in listed.items():
        assert hashlib.sha256((folder / file).read_bytes()).hexdigest() == digest, file
    assert (folder / "README.md").is_file()


@pytest.mark.slow
def test_small_pair_set_regenerates_identically(tmp_path: Path) -> None:
    folder = CORPORA / "spun-pairs-small"
    if not folder.is_dir():
        pytest.skip("corpora/spun-pairs-small not present")
    committed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    params = committed["params"]
    manifest = synth.write_pairs(
        tmp_path, params["n"], seed=committed["seed"], rates=params["rates"],
        negatives=params["negatives"], doc_words=params["doc_words"], compress=True,
    )
    assert manifest == committed
    assert (tmp_path / "pairs.jsonl.gz").read_bytes() == (folder / "pairs.jsonl.gz").read_bytes()
