"""Labelled synthetic crawls: families of spun copies, near-duplicate groups, unique pages.

:func:`generate_crawl` streams a crawl with ground truth: *families* (an
original and 1 to 4 spun copies made by :func:`spindetect.synth.spinner.spin`,
each under a title naming another topic's terms, with an injected keyword
phrase and a bare link for a "beneficiary" site), groups of *near-duplicates*
(a few per cent of words edited, a sentence added or removed) and *unique*
articles, mixed by a shuffle buffer. :func:`write_crawl` writes it as
``docs.jsonl`` + ``pairs.jsonl`` + ``labels.jsonl`` + ``manifest.json``, the
format of ``corpora/crawl-1k``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.synth._seeds import derive_seed
from spindetect.synth.articles import compose_article
from spindetect.synth.manifest import (
    GENERATOR_VERSION,
    OutputFile,
    file_sha256,
    lexicon_provenance,
    write_json,
)
from spindetect.synth.naming import foreign_title, keyword_phrase, site_name, slug
from spindetect.synth.pair_sets import check_rates
from spindetect.synth.source import TextSource, load_source
from spindetect.synth.spinner import Spinner, default_spinner
from spindetect.synth.streams import Streams, TopicStream, expected_items

__all__ = ["CrawlDoc", "DocKind", "crawl_pairs", "generate_crawl", "write_crawl"]

DocKind = Literal["original", "spun", "near-duplicate", "unique"]


@dataclass(frozen=True, slots=True)
class CrawlDoc:
    """One document of a synthetic crawl, with its ground truth.

    Attributes
    ----------
    id : str
        Unique id (16 hex digits).
    text, title, url : str
        The page text (title on its first line), its title and its address.
    topic : str
        Topic of the body text.
    kind : {'original', 'spun', 'near-duplicate', 'unique'}
        ``original`` heads a family of spun copies or a near-duplicate group.
    family : str or None
        Id of the family's original (None for unique documents).
    rate : float or None
        Spin rate of a spun copy, or share of words edited in a near-duplicate.
    inserted : tuple of str
        Keyword phrases and links injected into a spun copy.
    """

    id: str
    text: str
    title: str
    url: str
    topic: str
    kind: DocKind
    family: str | None = None
    rate: float | None = None
    inserted: tuple[str, ...] = field(default=())

    def record(self) -> dict[str, Any]:
        """Return the ``docs.jsonl`` record: id, text, title, url."""
        return {"id": self.id, "text": self.text, "title": self.title, "url": self.url}

    def label(self) -> dict[str, Any]:
        """Return the ``labels.jsonl`` record (ground truth of this document)."""
        return {
            "id": self.id,
            "topic": self.topic,
            "kind": self.kind,
            "family": self.family,
            "rate": self.rate,
            "inserted": list(self.inserted),
        }


@dataclass(frozen=True, slots=True)
class _Plan:
    n_docs: int
    seed: int
    spin_rates: tuple[float, ...]
    family_share: float
    near_dup_share: float
    doc_words: int
    max_spins: int
    shuffle_buffer: int


def generate_crawl(
    n_docs: int,
    *,
    seed: int = 0,
    spin_rates: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    family_share: float = 0.3,
    near_dup_share: float = 0.05,
    doc_words: int = 500,
    max_spins: int = 4,
    shuffle_buffer: int = 256,
    source_path: str | os.PathLike[str] | None = None,
) -> Iterator[CrawlDoc]:
    """Stream ``n_docs`` documents of a synthetic crawl with ground truth.

    Documents come in *units*: a family (an original and 1 to ``max_spins``
    spun copies, each at a rate drawn from ``spin_rates``, under a title from
    another topic, with an injected keyword phrase and link of a beneficiary
    site; half of them carry the spam-page header of the seed pages, the title
    three times and a "Blog Article" label), a near-duplicate group (an original
    and 1 or 2 copies with 1-5 % of words edited and a sentence added or
    removed) or a unique article. Unit types are drawn so that, in expectation,
    ``family_share`` of the documents belong to families and ``near_dup_share``
    to near-duplicate groups. A shuffle buffer of ``shuffle_buffer`` documents
    mixes the order, so members of a unit are not adjacent.

    Parameters
    ----------
    n_docs : int
        Number of documents (the last unit is cut short if needed).
    seed : int, default=0
    spin_rates : sequence of float, default=(0.1, 0.2, 0.3, 0.4, 0.5)
    family_share : float, default=0.3
    near_dup_share : float, default=0.05
    doc_words : int, default=500
    max_spins : int, default=4
    shuffle_buffer : int, default=256
    source_path : path, optional

    Yields
    ------
    CrawlDoc
    """
    plan = _plan(
        n_docs, seed, spin_rates, family_share, near_dup_share, doc_words, max_spins, shuffle_buffer
    )
    src = load_source(source_path)
    yield from _shuffled(_units(plan, src), plan)


def crawl_pairs(unit: Sequence[CrawlDoc]) -> list[dict[str, Any]]:
    """Return the ground-truth pairs of one family or near-duplicate group.

    Every pair inside the unit is listed once, ``a`` before ``b`` in
    generation order. ``rate`` is the spin rate (or edit share) for a pair
    with the original; for two copies it is ``1 - (1 - r_a)(1 - r_b)``, the
    expected share of original words changed in at least one of them.
    """
    pairs = []
    for i, a in enumerate(unit):
        for b in unit[i + 1 :]:
            if a.family is None or a.family != b.family:
                continue
            kind = "spun" if "spun" in (a.kind, b.kind) else "near-duplicate"
            rate_a, rate_b = a.rate or 0.0, b.rate or 0.0
            rate = round(1.0 - (1.0 - rate_a) * (1.0 - rate_b), 4)
            pairs.append({"a": a.id, "b": b.id, "kind": kind, "rate": rate, "family": a.family})
    return pairs


def write_crawl(
    out_dir: str | os.PathLike[str],
    n_docs: int,
    *,
    seed: int = 0,
    spin_rates: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    family_share: float = 0.3,
    near_dup_share: float = 0.05,
    doc_words: int = 500,
    max_spins: int = 4,
    shuffle_buffer: int = 256,
    compress: bool = False,
    source_path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Write a crawl to ``out_dir``, streaming, and return its manifest.

    Files: ``docs.jsonl`` (``id``, ``text``, ``title``, ``url``),
    ``labels.jsonl`` (per-document truth: ``id``, ``topic``, ``kind``,
    ``family``, ``rate``, ``inserted``), ``pairs.jsonl`` (``{"a", "b", "kind":
    "spun"|"near-duplicate", "rate", "family"}`` for every pair inside a unit,
    see :func:`crawl_pairs`) and ``manifest.json`` (generator version, seed,
    parameters, counts, sha256 of every file). With ``compress=True`` the
    JSONL files are written as deterministic gzip (``.jsonl.gz``, mtime 0).
    Parameters are those of :func:`generate_crawl`.
    """
    plan = _plan(
        n_docs, seed, spin_rates, family_share, near_dup_share, doc_words, max_spins, shuffle_buffer
    )
    src = load_source(source_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    suffix = ".jsonl.gz" if compress else ".jsonl"
    names = {key: f"{key}{suffix}" for key in ("docs", "labels", "pairs")}
    counts: dict[str, int] = {
        "docs": 0,
        "original": 0,
        "spun": 0,
        "near-duplicate": 0,
        "unique": 0,
        "families": 0,
        "near_duplicate_groups": 0,
        "pairs_spun": 0,
        "pairs_near-duplicate": 0,
    }
    with (
        OutputFile(out / names["docs"], compress) as docs,
        OutputFile(out / names["labels"], compress) as labels,
        OutputFile(out / names["pairs"], compress) as pairs,
    ):

        def tap(units: Iterable[list[CrawlDoc]]) -> Iterator[list[CrawlDoc]]:
            for unit in units:
                if len(unit) > 1:
                    counts["families" if unit[1].kind == "spun" else "near_duplicate_groups"] += 1
                for pair in crawl_pairs(unit):
                    counts[f"pairs_{pair['kind']}"] += 1
                    pairs.write(json.dumps(pair) + "\n")
                yield unit

        for doc in _shuffled(tap(_units(plan, src)), plan):
            docs.write(json.dumps(doc.record(), ensure_ascii=False) + "\n")
            labels.write(json.dumps(doc.label(), ensure_ascii=False) + "\n")
            counts["docs"] += 1
            counts[doc.kind] += 1
    manifest = {
        "generator": "spindetect.synth.write_crawl",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "params": {
            "n_docs": n_docs,
            "spin_rates": list(plan.spin_rates),
            "family_share": plan.family_share,
            "near_dup_share": plan.near_dup_share,
            "doc_words": doc_words,
            "max_spins": max_spins,
            "shuffle_buffer": shuffle_buffer,
        },
        "counts": counts,
        "source": {"file": src.path.name, "sha256": src.sha256},
        "lexicon": lexicon_provenance(),
        "files": {name: file_sha256(out / name) for name in names.values()},
    }
    write_json(out / "manifest.json", manifest)
    return manifest


def _plan(
    n_docs: int,
    seed: int,
    spin_rates: Sequence[float],
    family_share: float,
    near_dup_share: float,
    doc_words: int,
    max_spins: int,
    shuffle_buffer: int,
) -> _Plan:
    check_int("n_docs", n_docs, low=0)
    check_int("seed", seed)
    rates = check_rates(spin_rates)
    family_share = check_float("family_share", family_share, low=0.0, high=1.0)
    near_dup_share = check_float("near_dup_share", near_dup_share, low=0.0, high=1.0)
    if family_share + near_dup_share > 1.0:
        raise InvalidParameterError(
            "family_share + near_dup_share must be at most 1, got "
            f"{family_share!r} + {near_dup_share!r}"
        )
    check_int("doc_words", doc_words, low=1)
    check_int("max_spins", max_spins, low=1)
    check_int("shuffle_buffer", shuffle_buffer, low=1)
    return _Plan(
        n_docs, seed, rates, family_share, near_dup_share, doc_words, max_spins, shuffle_buffer
    )


def _units(plan: _Plan, src: TextSource) -> Iterator[list[CrawlDoc]]:
    """Yield the crawl's units (lists of documents) in generation order."""
    rng = random.Random(f"spindetect.corpus:{plan.seed}:crawl")
    spinner = default_spinner()
    topics = src.topics
    family_size = 1 + (1 + plan.max_spins) / 2
    near_size = 2.5
    weights = (
        plan.family_share / family_size,
        plan.near_dup_share / near_size,
        1.0 - plan.family_share - plan.near_dup_share,
    )
    total = sum(weights) or 1.0
    p_family, p_near = weights[0] / total, weights[1] / total
    streams = Streams(
        src,
        f"spindetect.corpus:{plan.seed}:crawl",
        items=expected_items(plan.n_docs, plan.doc_words),
    )
    beneficiaries = _Beneficiaries(plan, src)
    ids: set[str] = set()
    counter = 0
    produced = 0

    def new_id() -> str:
        nonlocal counter
        while True:
            digest = hashlib.sha256(f"spindetect.corpus:{plan.seed}:id:{counter}".encode())
            counter += 1
            doc_id = digest.hexdigest()[:16]
            if doc_id not in ids:
                ids.add(doc_id)
                return doc_id

    while produced < plan.n_docs:
        unit_seed = derive_seed(plan.seed, "unit", produced)
        urng = random.Random(unit_seed)
        topic = topics[int(rng.random() * len(topics))]
        chain = streams(topic)
        text, title = compose_article(chain, urng, plan.doc_words)
        draw = rng.random()
        remaining = plan.n_docs - produced
        original_id = new_id()
        site = site_name(chain, urng)
        url = f"https://{site}/{slug(title)}"
        if draw < p_family and remaining > 1:
            copies = min(remaining - 1, 1 + int(urng.random() * plan.max_spins))
            unit = [CrawlDoc(original_id, text, title, url, topic, "original", original_id)]
            keyword, link = beneficiaries[int(urng.random() * beneficiaries.count)]
            for k in range(copies):
                rate = plan.spin_rates[int(urng.random() * len(plan.spin_rates))]
                unit.append(
                    _spun_copy(
                        spinner,
                        src,
                        streams,
                        urng,
                        text,
                        topic,
                        rate,
                        keyword,
                        link,
                        new_id(),
                        original_id,
                        derive_seed(unit_seed, "spin", k),
                    )
                )
        elif draw < p_family + p_near and remaining > 1:
            copies = min(remaining - 1, 1 + int(urng.random() * 2))
            unit = [CrawlDoc(original_id, text, title, url, topic, "original", original_id)]
            for _ in range(copies):
                unit.append(_near_duplicate(chain, urng, text, title, topic, new_id(), original_id))
        else:
            unit = [CrawlDoc(original_id, text, title, url, topic, "unique")]
        produced += len(unit)
        yield unit


def _shuffled(units: Iterable[list[CrawlDoc]], plan: _Plan) -> Iterator[CrawlDoc]:
    """Mix documents through a fixed-size shuffle buffer (deterministic, streaming)."""
    rng = random.Random(f"spindetect.corpus:{plan.seed}:shuffle")
    buffer: list[CrawlDoc] = []
    for unit in units:
        for doc in unit:
            if len(buffer) < plan.shuffle_buffer:
                buffer.append(doc)
                continue
            k = int(rng.random() * len(buffer))
            yield buffer[k]
            buffer[k] = doc
    while buffer:
        k = int(rng.random() * len(buffer))
        buffer[k], buffer[-1] = buffer[-1], buffer[k]
        yield buffer.pop()


def _spun_copy(
    spinner: Spinner,
    src: TextSource,
    streams: Streams,
    rng: random.Random,
    text: str,
    topic: str,
    rate: float,
    keyword: str,
    link: str,
    doc_id: str,
    family: str,
    spin_seed: int,
) -> CrawlDoc:
    """Make one spam copy: spun body, unrelated title, injected keyword and link."""
    others = [t for t in src.topics if t != topic] or list(src.topics)
    title_chain = streams(others[int(rng.random() * len(others))])
    new_title = foreign_title(title_chain, rng)
    mojibake = 0.5 if rng.random() < 0.2 else 0.0
    reorder = 0.05 if rng.random() < 0.3 else 0.0
    header = rng.random() < 0.5
    result = spinner.spin(
        text,
        rate=rate,
        seed=spin_seed,
        title=None if header else new_title,
        inject=(keyword,),
        link=link,
        mojibake=mojibake,
        reorder=reorder,
    )
    body = result.text
    if header:  # the spam page layout of the seed pages
        body = f"{new_title.upper()}\n\n{new_title}\n\n{new_title}\n\nBlog Article\n\n{body}"
    url = f"https://{site_name(title_chain, rng)}/{slug(new_title)}"
    return CrawlDoc(doc_id, body, new_title, url, topic, "spun", family, rate, result.inserted)


def _near_duplicate(
    chain: TopicStream,
    rng: random.Random,
    text: str,
    title: str,
    topic: str,
    doc_id: str,
    family: str,
) -> CrawlDoc:
    """Edit 1-5 % of the body words and add or remove a sentence (title kept)."""
    head, _, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    share = 0.01 + 0.04 * rng.random()
    vocabulary = chain.vocabulary
    edited = 0
    total = 0
    new_paragraphs = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        total += len(words)
        out: list[str] = []
        for word in words:
            if rng.random() < share and word[-1:].isalpha() and len(out) > 0:
                edited += 1
                if rng.random() < 0.3:
                    continue  # deletion
                out.append(vocabulary[int(rng.random() * len(vocabulary))])
            else:
                out.append(word)
        new_paragraphs.append(" ".join(out))
    prose = [k for k, p in enumerate(new_paragraphs) if p.count(" ") >= 10]
    if prose:
        k = prose[int(rng.random() * len(prose))]
        if rng.random() < 0.5:
            new_paragraphs[k] = new_paragraphs[k] + " " + chain.sentence()
        else:
            cut = new_paragraphs[k].find(". ")
            if cut > 0:
                new_paragraphs[k] = new_paragraphs[k][cut + 2 :]
    new_text = head + "\n\n" + "\n\n".join(new_paragraphs)
    rate = round(edited / max(1, total), 4)
    url = f"https://{site_name(chain, rng)}/{slug(title)}"
    return CrawlDoc(doc_id, new_text, title, url, topic, "near-duplicate", family, rate)


class _Beneficiaries:
    """The sites that commission spun copies: ``(keyword phrase, link)``, made on first use.

    There are ``max(3, min(n_docs // 200, 5000))`` of them; each is a function
    of the seed and its index only.
    """

    def __init__(self, plan: _Plan, src: TextSource) -> None:
        self.count = max(3, min(plan.n_docs // 200, 5000))
        self._seed = plan.seed
        self._src = src
        self._streams = Streams(
            src, f"spindetect.corpus:{plan.seed}:beneficiaries", items=self.count * 64
        )
        self._made: dict[int, tuple[str, str]] = {}

    def __getitem__(self, index: int) -> tuple[str, str]:
        made = self._made.get(index)
        if made is None:
            rng = random.Random(f"spindetect.corpus:{self._seed}:beneficiary:{index}")
            topics = self._src.topics
            chain = self._streams(topics[int(rng.random() * len(topics))])
            keyword = keyword_phrase(chain, rng)
            made = self._made[index] = (keyword, f"https://{site_name(chain, rng)}/{slug(keyword)}")
        return made
