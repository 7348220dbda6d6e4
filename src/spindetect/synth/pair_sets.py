"""Pair sets: (original, spun copy) pairs with ground truth, and same-topic negative pairs.

:func:`generate_pairs` spins fresh articles at one rate; :func:`generate_negatives`
pairs two independent articles of one topic (hard negatives: shared
vocabulary, no shared text); :func:`write_pairs` writes both kinds as one
``pairs.jsonl`` with a manifest, the format of ``corpora/spun-pairs-small``.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

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
from spindetect.synth.source import load_source
from spindetect.synth.spinner import Spinner, SpinResult, default_spinner
from spindetect.synth.streams import Streams, expected_items

__all__ = ["check_rates", "generate_negatives", "generate_pairs", "write_pairs"]


def generate_pairs(
    n: int,
    *,
    rate: float,
    seed: int = 0,
    doc_words: int = 500,
    spin_options: Mapping[str, Any] | None = None,
    source_path: str | os.PathLike[str] | None = None,
    spinner: Spinner | None = None,
) -> list[tuple[str, str, SpinResult]]:
    """Generate ``n`` (original, spun, SpinResult) pairs at one spin ``rate``.

    Each original is a fresh article of a topic drawn from ``seed``; it is spun
    with ``spin(original, rate=rate, seed=..., **spin_options)``.
    """
    check_int("n", n, low=0)
    check_float("rate", rate, low=0.0, high=1.0)
    check_int("seed", seed)
    src = load_source(source_path)
    spinner = spinner if spinner is not None else default_spinner()
    options = dict(spin_options or {})
    streams = Streams(src, f"spindetect.corpus:{seed}:pairs", items=expected_items(n, doc_words))
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:pair:{k}")
        topic = src.topics[int(rng.random() * len(src.topics))]
        original, _ = compose_article(streams(topic), rng, doc_words)
        result = spinner.spin(
            original, rate=rate, seed=derive_seed(seed, "pair-spin", k), **options
        )
        out.append((original, result.text, result))
    return out


def generate_negatives(
    n: int,
    *,
    seed: int = 0,
    doc_words: int = 500,
    source_path: str | os.PathLike[str] | None = None,
) -> list[tuple[str, str]]:
    """Generate ``n`` same-topic non-copy pairs: two independent articles of one topic."""
    check_int("n", n, low=0)
    check_int("seed", seed)
    src = load_source(source_path)
    streams = Streams(
        src, f"spindetect.corpus:{seed}:negatives", items=expected_items(2 * n, doc_words)
    )
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:negative:{k}")
        chain = streams(src.topics[int(rng.random() * len(src.topics))])
        out.append(
            (compose_article(chain, rng, doc_words)[0], compose_article(chain, rng, doc_words)[0])
        )
    return out


def write_pairs(
    out_dir: str | os.PathLike[str],
    n: int,
    *,
    seed: int = 0,
    rates: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    negatives: int | None = None,
    doc_words: int = 150,
    compress: bool = False,
    source_path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Write ``pairs.jsonl`` (``n`` spun pairs spread over ``rates`` + negatives) and a manifest.

    Each line: ``{"id", "label": "spun"|"negative", "topic", "rate", "a", "b",
    "substitutions": [[start, end, spun_start, spun_end], ...]}`` where ``a``
    is the original and ``b`` the spun copy (``rate`` and ``substitutions``
    are null/empty for negatives). Spun pair ``k`` has rate
    ``rates[k % len(rates)]``. With ``compress=True`` the file is written as
    deterministic gzip, ``pairs.jsonl.gz``. Returns the manifest.
    """
    check_int("n", n, low=0)
    rates = check_rates(rates)
    n_negatives = n // 2 if negatives is None else check_int("negatives", negatives, low=0)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    src = load_source(source_path)
    spinner = default_spinner()
    counts = {"spun": 0, "negative": 0}
    pair_streams = Streams(
        src, f"spindetect.corpus:{seed}:pairs", items=expected_items(n + 2 * n_negatives, doc_words)
    )
    negative_streams = Streams(src, f"spindetect.corpus:{seed}:negatives", seen=pair_streams.seen)
    path = out / ("pairs.jsonl.gz" if compress else "pairs.jsonl")
    with OutputFile(path, compress) as handle:
        for k in range(n):
            rate = rates[k % len(rates)]
            rng = random.Random(f"spindetect.corpus:{seed}:pair:{k}")
            topic = src.topics[int(rng.random() * len(src.topics))]
            original, _ = compose_article(pair_streams(topic), rng, doc_words)
            result = spinner.spin(original, rate=rate, seed=derive_seed(seed, "pair-spin", k))
            record = {
                "id": f"p{k:05d}",
                "label": "spun",
                "topic": topic,
                "rate": rate,
                "rate_achieved": round(result.rate_achieved, 4),
                "a": original,
                "b": result.text,
                "substitutions": [
                    [s.start, s.end, s.spun_start, s.spun_end] for s in result.substitutions
                ],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["spun"] += 1
        for k in range(n_negatives):
            rng = random.Random(f"spindetect.corpus:{seed}:negative:{k}")
            topic = src.topics[int(rng.random() * len(src.topics))]
            chain = negative_streams(topic)
            a, _ = compose_article(chain, rng, doc_words)
            b, _ = compose_article(chain, rng, doc_words)
            record = {
                "id": f"n{k:05d}",
                "label": "negative",
                "topic": topic,
                "rate": None,
                "rate_achieved": None,
                "a": a,
                "b": b,
                "substitutions": [],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["negative"] += 1
    manifest = {
        "generator": "spindetect.synth.write_pairs",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "params": {"n": n, "negatives": n_negatives, "rates": list(rates), "doc_words": doc_words},
        "counts": counts,
        "source": {"file": src.path.name, "sha256": src.sha256},
        "lexicon": lexicon_provenance(),
        "files": {path.name: file_sha256(path)},
    }
    write_json(out / "manifest.json", manifest)
    return manifest


def check_rates(rates: Sequence[float]) -> tuple[float, ...]:
    """Return ``rates`` (or one number) as a tuple of spin rates in [0, 1], at least one."""
    if isinstance(rates, (int, float)):
        rates = (rates,)
    out = tuple(check_float("spin_rates", r, low=0.0, high=1.0) for r in rates)
    if not out:
        raise InvalidParameterError("spin_rates must hold at least one rate, got ()")
    return out
