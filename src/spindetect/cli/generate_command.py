"""``spindetect generate``: labelled synthetic crawls and pair sets (``spindetect.corpus``)."""

from __future__ import annotations

import argparse


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
    from spindetect.synth.corpus import main

    options = [o for o in args.extra if o != "--"]
    try:
        return main(options)
    except SystemExit as exc:  # argparse inside corpus.main: --help or a usage error
        return int(exc.code or 0)
