"""``spindetect generate``: labelled synthetic crawls and pair sets (``spindetect.corpus``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from spindetect.exceptions import InputNotFoundError, InvalidParameterError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``generate`` subcommand; its options are those of ``python -m spindetect.corpus``."""
    p = subparsers.add_parser(
        "generate",
        help="generate a labelled synthetic crawl or pair set for benchmarks",
        description="Generate a labelled synthetic crawl (--docs N) or pair set (--pairs N) "
        "into --out DIR. Options: see 'spindetect generate --help'.",
        add_help=False,
    )
    p.set_defaults(run=run, pass_through=True)


def run(args: argparse.Namespace) -> int:
    """Hand the options to :func:`spindetect.corpus.main`."""
    options = [o for o in args.extra if o != "--"]
    try:
        return _main(options)
    except SystemExit as exc:  # argparse inside corpus.main: --help or a usage error
        return int(exc.code or 0)


def _main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m spindetect.corpus --docs N --seed S --out DIR``.

    ``--pairs N`` writes a pair set (:func:`write_pairs`) instead of a crawl.
    Returns the exit code: 0 on success, 2 on a usage or input error.
    """
    from spindetect.synth import crawls, pair_sets

    parser = argparse.ArgumentParser(
        prog="python -m spindetect.corpus",
        description="Generate a labelled synthetic crawl (or pair set) of spun copies.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--docs", type=int, help="number of crawl documents")
    what.add_argument("--pairs", type=int, help="number of spun pairs (pair set)")
    parser.add_argument("--negatives", type=int, default=None,
                        help="same-topic negative pairs of a pair set (default pairs/2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rates", type=str, default="0.1,0.2,0.3,0.4,0.5",
                        help="comma-separated spin rates")
    parser.add_argument("--family-share", type=float, default=0.3)
    parser.add_argument("--near-dup-share", type=float, default=0.05)
    parser.add_argument("--doc-words", type=int, default=None,
                        help="words per article (default 500 for a crawl, 150 for pairs)")
    parser.add_argument("--gzip", action="store_true", help="write .jsonl.gz files")
    parser.add_argument("--source", type=Path, default=None, help="text source (tsv.gz)")
    args = parser.parse_args(argv)
    try:
        rates = tuple(float(r) for r in args.rates.split(",") if r.strip())
    except ValueError:
        print(f"error: --rates must be comma-separated numbers, got {args.rates!r}",
              file=sys.stderr)
        return 2
    try:
        if args.pairs is not None:
            manifest = pair_sets.write_pairs(args.out, args.pairs, seed=args.seed, rates=rates,
                                   negatives=args.negatives, doc_words=args.doc_words or 150,
                                   compress=args.gzip, source_path=args.source)
        else:
            manifest = crawls.write_crawl(
                args.out, args.docs, seed=args.seed, spin_rates=rates,
                family_share=args.family_share, near_dup_share=args.near_dup_share,
                doc_words=args.doc_words or 500, compress=args.gzip, source_path=args.source,
            )
    except (InvalidParameterError, InputNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(manifest["counts"], sort_keys=True))
    return 0

