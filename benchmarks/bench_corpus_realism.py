"""Measure how realistic the generator's crawls are where detection benchmarks look.

Two properties of :mod:`spindetect.synth` output are measured:

1. **Unrelated documents share no text.** On a crawl of ``--docs`` documents
   (default 10,000), documents of different *units* (a family or near-duplicate
   group counts as one unit, a unique article as its own) are unrelated.

   * shared sentences: distinct body sentences of at least 6 words
     (:func:`spindetect.sentences.split_sentences`; numbered headings such as
     ``1. Cell Division`` skipped, typographic apostrophes folded) that occur in
     documents of two or more units, as a share of all distinct such sentences;
   * shared 8-gram pairs: unrelated document pairs sharing at least 4 sampled
     word 8-grams (``sampled_shingles(texts, n=8, mod=4)`` and
     ``shared_sample_pairs(min_shared=4)``), in all and among same-topic pairs,
     with the share of all same-topic unrelated pairs.

2. **Titles fit their own bodies** (and spam titles do not). On ``--families``
   families (default 500), :func:`spindetect.titles.title_body_similarity` of
   each document's ``title`` against the tokens of its body (the text after its
   title block, :func:`spindetect.titles.split_title`): the share of originals
   (and near-duplicates, which keep the title) scoring at least 0.5, and the
   share of spun copies (foreign titles) scoring below 0.5.

Speed: :func:`spindetect.synth.generate_crawl` documents per second with the
default shares (median of 3 runs after a warm-up), against a peer run that
generates unique articles only (``family_share=0, near_dup_share=0``).

Run: ``python benchmarks/bench_corpus_realism.py [--docs N] [--families N]``
(writes ``benchmarks/results/corpus_realism.json``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from spindetect import synth
from spindetect.pairwise.titles import split_title, title_body_similarity
from spindetect.sketch.sampled import sampled_shingles, shared_sample_pairs
from spindetect.text.sentences import split_sentences
from spindetect.text.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "corpus_realism.json"
_HEADING = re.compile(r"^\d+\.\s")
MIN_SENTENCE_WORDS = 6


def body_of(text: str) -> str:
    """Return the text after the title block (the whole text if there is none)."""
    return text[split_title(text).body_start :]


def unit_of(doc: synth.CrawlDoc) -> str:
    """Return the unit of a document: its family's original, or itself."""
    return doc.family if doc.family is not None else doc.id


def shared_sentences(docs: list[synth.CrawlDoc]) -> dict[str, float]:
    """Count distinct body sentences of 6+ words held by documents of 2+ units."""
    units: dict[str, set[str]] = defaultdict(set)
    holders: Counter[str] = Counter()
    for doc in docs:
        text = body_of(doc.text).replace("\u2019", "'")
        seen = set()
        for start, end in split_sentences(text):
            sentence = text[start:end]
            if _HEADING.match(sentence) or len(sentence.split()) < MIN_SENTENCE_WORDS:
                continue
            units[sentence].add(unit_of(doc))
            seen.add(sentence)
        holders.update(seen)
    distinct = len(units)
    in_two_docs = sum(1 for c in holders.values() if c > 1)
    unrelated = sum(1 for u in units.values() if len(u) > 1)
    return {
        "distinct_sentences": distinct,
        "sentences_in_2plus_docs": in_two_docs,
        "sentences_in_2plus_unrelated_docs": unrelated,
        "share_in_2plus_unrelated_docs": round(unrelated / max(1, distinct), 6),
    }


def shared_ngram_pairs(docs: list[synth.CrawlDoc]) -> dict[str, float]:
    """Count unrelated document pairs sharing 4+ sampled word 8-grams."""
    samples = sampled_shingles([d.text for d in docs], n=8, mod=4)
    pairs, _shared, skipped = shared_sample_pairs(samples, min_shared=4)
    unrelated = same_topic = 0
    for i, j in pairs.tolist():
        if unit_of(docs[i]) == unit_of(docs[j]):
            continue
        unrelated += 1
        same_topic += docs[i].topic == docs[j].topic
    # all same-topic pairs minus the same-topic pairs inside a unit
    by_topic = Counter(d.topic for d in docs)
    unit_sizes = Counter(unit_of(d) for d in docs)
    total_same = sum(c * (c - 1) // 2 for c in by_topic.values())
    inside = sum(c * (c - 1) // 2 for c in unit_sizes.values())
    same_topic_pairs = total_same - inside
    return {
        "unrelated_pairs_sharing_4plus_8grams": unrelated,
        "same_topic_unrelated_pairs_sharing_4plus_8grams": same_topic,
        "same_topic_unrelated_pairs": same_topic_pairs,
        "share_of_same_topic_unrelated_pairs": round(same_topic / max(1, same_topic_pairs), 6),
        "samples_over_max_df": skipped,
    }


def title_fit(n_families: int, *, seed: int) -> dict[str, float]:
    """Title/body similarity of originals, near-duplicates and spun copies."""
    scores: dict[str, list[float]] = {"original": [], "near-duplicate": [], "spun": []}
    stream = synth.generate_crawl(
        10**9, seed=seed, family_share=0.9, near_dup_share=0.1, doc_words=500
    )
    for doc in stream:
        if doc.kind in scores:
            forms = tokenize(body_of(doc.text)).forms
            scores[doc.kind].append(title_body_similarity(doc.title, forms))
        if len(scores["original"]) >= n_families:
            break
    out: dict[str, float] = {}
    for kind, values in scores.items():
        fit = sum(1 for v in values if v >= 0.5)
        out[f"{kind}_n"] = len(values)
        out[f"{kind}_median_similarity"] = round(statistics.median(values), 4) if values else 0
        if kind == "spun":
            out["spun_share_below_0.5"] = round(1 - fit / max(1, len(values)), 4)
        else:
            out[f"{kind}_share_at_least_0.5"] = round(fit / max(1, len(values)), 4)
    return out


def speed(n_docs: int, runs: int = 5) -> dict[str, float]:
    """Documents per second of ``generate_crawl`` (wall and CPU time), medians of ``runs``."""

    def rate(**options: float) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        count = sum(1 for _ in synth.generate_crawl(n_docs, seed=11, **options))
        return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)

    rate(family_share=0.3, near_dup_share=0.05)  # warm-up: source, chains, lexicon
    crawl, articles = [], []
    for _ in range(runs):  # interleaved, the machine is noisy
        crawl.append(rate(family_share=0.3, near_dup_share=0.05))
        articles.append(rate(family_share=0.0, near_dup_share=0.0))
    crawl_wall = statistics.median(r[0] for r in crawl)
    crawl_cpu = statistics.median(r[1] for r in crawl)
    articles_wall = statistics.median(r[0] for r in articles)
    articles_cpu = statistics.median(r[1] for r in articles)
    return {
        "docs": n_docs,
        "generate_crawl_docs_per_s": round(crawl_wall),
        "generate_crawl_docs_per_cpu_s": round(crawl_cpu),
        "articles_only_docs_per_s": round(articles_wall),
        "articles_only_docs_per_cpu_s": round(articles_cpu),
        "ratio_crawl_to_articles_only": round(crawl_wall / articles_wall, 3),
        "runs": runs,
        "load_average": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the measurements, print them and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--families", type=int, default=500)
    parser.add_argument("--speed-docs", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    docs = list(itertools.islice(synth.generate_crawl(args.docs, seed=args.seed), args.docs))
    elapsed = time.perf_counter() - start
    sentences = shared_sentences(docs)
    ngrams = shared_ngram_pairs(docs)
    titles = title_fit(args.families, seed=args.seed + 1)
    rates = speed(args.speed_docs)
    result = {
        "benchmark": "corpus_realism",
        "generator_version": synth.GENERATOR_VERSION,
        "crawl": {"docs": len(docs), "seed": args.seed, "seconds": round(elapsed, 2)},
        "shared_sentences": sentences,
        "shared_8gram_pairs": ngrams,
        "title_fit": titles,
        "speed": rates,
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "processor": platform.machine(),
        },
    }
    print(f"crawl: {len(docs)} docs in {elapsed:.1f} s (generator {synth.GENERATOR_VERSION})")
    print(
        f"sentences >= {MIN_SENTENCE_WORDS} words: {sentences['distinct_sentences']} distinct, "
        f"{sentences['sentences_in_2plus_docs']} in 2+ docs, "
        f"{sentences['sentences_in_2plus_unrelated_docs']} in 2+ unrelated docs "
        f"({100 * sentences['share_in_2plus_unrelated_docs']:.3f} %)"
    )
    print(
        f"unrelated pairs sharing >= 4 sampled 8-grams: "
        f"{ngrams['unrelated_pairs_sharing_4plus_8grams']} "
        f"(same topic {ngrams['same_topic_unrelated_pairs_sharing_4plus_8grams']} of "
        f"{ngrams['same_topic_unrelated_pairs']}, "
        f"{100 * ngrams['share_of_same_topic_unrelated_pairs']:.3f} %)"
    )
    print(
        f"title fit (>= 0.5): originals {100 * titles['original_share_at_least_0.5']:.1f} % "
        f"(n={titles['original_n']}, median {titles['original_median_similarity']}), "
        f"near-duplicates {100 * titles['near-duplicate_share_at_least_0.5']:.1f} %; "
        f"spun copies below 0.5: {100 * titles['spun_share_below_0.5']:.1f} % "
        f"(n={titles['spun_n']}, median {titles['spun_median_similarity']})"
    )
    print(
        f"generate_crawl: {rates['generate_crawl_docs_per_s']} docs/s "
        f"({rates['generate_crawl_docs_per_cpu_s']} per CPU s), articles only "
        f"{rates['articles_only_docs_per_s']} docs/s "
        f"({rates['articles_only_docs_per_cpu_s']} per CPU s; ratio "
        f"{rates['ratio_crawl_to_articles_only']}; load average {rates['load_average']})"
    )
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
