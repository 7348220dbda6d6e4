"""``spindetect generate``: write a labelled synthetic crawl or pair set for benchmarks.

The options map one to one onto :func:`spindetect.synth.write_crawl` (``--docs``)
and :func:`spindetect.synth.write_pairs` (``--pairs``). Every value is checked
here, before any work, so that an error names the option and the value given
(``argument --family-share: must be a number in [0, 1], got '2'``) and exits 2.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spindetect.exceptions import SpinDetectError

_DEFAULT_RATES = (0.1, 0.2, 0.3, 0.4, 0.5)
_CRAWL_WORDS, _PAIR_WORDS = 500, 150
_FAMILY, _NEAR = 0.3, 0.05
_CRAWL_ONLY = ("family_share", "near_dup_share")
_PAIRS_ONLY = ("negatives",)


def _integer(low: int) -> Callable[[str], int]:
    """Return an argparse type: an integer of at least ``low``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}")
        return value

    return parse


def _share(text: str) -> float:
    """Argparse type: a number in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # also false for NaN
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1], got {text!r}")
    return value


def _rates(text: str) -> tuple[float, ...]:
    """Argparse type: comma-separated spin rates, each in [0, 1], at least one."""
    try:
        rates = tuple(_share(part) for part in text.split(",") if part.strip())
    except argparse.ArgumentTypeError:
        rates = ()
    if not rates:
        raise argparse.ArgumentTypeError(
            f"must be comma-separated numbers in [0, 1] such as 0.1,0.3, got {text!r}"
        )
    return rates


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``generate`` subcommand."""
    p = subparsers.add_parser(
        "generate",
        help="write a labelled synthetic crawl or pair set for benchmarks",
        description="Write a labelled synthetic crawl (--docs N: docs.jsonl, labels.jsonl, "
        "pairs.jsonl, manifest.json) or pair set (--pairs N: pairs.jsonl, manifest.json) "
        "into --out DIR. Everything is a function of --seed: the same options give the same "
        "bytes. Prints the counts as JSON. Exit code 0, or 2 on an error.",
        epilog="examples:\n"
        "  spindetect generate --docs 1000 --seed 0 --gzip --out corpora/crawl-1k\n"
        "  spindetect generate --pairs 200 --negatives 100 --gzip --out corpora/spun-pairs-small",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="output directory (created if missing; files of the same name in it are replaced)",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--docs", type=_integer(0), metavar="N", help="write a crawl of N documents")
    what.add_argument(
        "--pairs",
        type=_integer(0),
        metavar="N",
        help="write a pair set of N spun pairs (rates taken in turn)",
    )
    p.add_argument(
        "--negatives",
        type=_integer(0),
        default=None,
        metavar="N",
        help="pair set only: same-topic negative pairs (default: half of --pairs)",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of every random choice (default 0)"
    )
    p.add_argument(
        "--rates",
        type=_rates,
        default=_DEFAULT_RATES,
        metavar="R[,R...]",
        help="spin rates, comma-separated, each in [0, 1] (default "
        f"{','.join(map(str, _DEFAULT_RATES))})",
    )
    p.add_argument(
        "--family-share",
        type=_share,
        default=None,
        metavar="F",
        help=f"crawl only: share of documents in families of spun copies (default {_FAMILY:g})",
    )
    p.add_argument(
        "--near-dup-share",
        type=_share,
        default=None,
        metavar="F",
        help=f"crawl only: share of documents in near-duplicate groups (default {_NEAR:g})",
    )
    p.add_argument(
        "--doc-words",
        type=_integer(1),
        default=None,
        metavar="N",
        help=f"about N words per article (default {_CRAWL_WORDS} for a crawl, "
        f"{_PAIR_WORDS} for pairs)",
    )
    p.add_argument("--gzip", action="store_true", help="write .jsonl.gz files (deterministic gzip)")
    p.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="FILE",
        help="the text source (default: $SPINDETECT_TEXT_SOURCE, else "
        "corpora/source/wordnet_text.tsv.gz of the repository)",
    )
    p.set_defaults(run=run, generate_parser=p)


def run(args: argparse.Namespace) -> int:
    """Check the options, write the set, print its counts; return the exit code."""
    parser: argparse.ArgumentParser = args.generate_parser
    try:
        source = _check(args, parser)
    except SystemExit as exc:  # parser.error: the usage line and the problem are printed
        return int(exc.code or 0)
    try:
        manifest = _write(args, source)
    except OSError as exc:  # a full disk, a file turned read-only while writing
        where = exc.filename if exc.filename is not None else args.out
        raise SpinDetectError(
            f"--out {str(args.out)!r}: cannot write {str(where)!r}: {exc.strerror or exc}"
        ) from None
    print(json.dumps(manifest["counts"], sort_keys=True))
    return 0


def _write(args: argparse.Namespace, source: Path) -> dict[str, Any]:
    """Write the pair set or the crawl the options ask for; return its manifest."""
    if args.pairs is not None:
        from spindetect.synth.pair_sets import write_pairs

        return write_pairs(
            args.out,
            args.pairs,
            seed=args.seed,
            rates=args.rates,
            negatives=args.negatives,
            doc_words=args.doc_words or _PAIR_WORDS,
            compress=args.gzip,
            source_path=source,
        )
    from spindetect.synth.crawls import write_crawl

    return write_crawl(
        args.out,
        args.docs,
        seed=args.seed,
        spin_rates=args.rates,
        family_share=_FAMILY if args.family_share is None else args.family_share,
        near_dup_share=_NEAR if args.near_dup_share is None else args.near_dup_share,
        doc_words=args.doc_words or _CRAWL_WORDS,
        compress=args.gzip,
        source_path=source,
    )


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Path:
    """Refuse options that do not fit together, an unusable --out or --source; load the source.

    Returns the text source's path. Calls ``parser.error`` (exit 2) on a problem.
    """
    crawl = args.docs is not None
    for name in _PAIRS_ONLY if crawl else _CRAWL_ONLY:
        if getattr(args, name) is not None:
            option = "--" + name.replace("_", "-")
            parser.error(
                f"argument {option}: applies to {'--pairs' if crawl else '--docs'} "
                f"only, not to {'--docs' if crawl else '--pairs'}"
            )
    if crawl:
        family = _FAMILY if args.family_share is None else args.family_share
        near = _NEAR if args.near_dup_share is None else args.near_dup_share
        if family + near > 1.0:
            parser.error(
                f"--family-share + --near-dup-share must be at most 1, got {family:g} + {near:g}"
            )
    source = _source(args.source, parser)
    out: Path = args.out
    if out.exists() and not out.is_dir():
        parser.error(f"argument --out: not a directory: {str(out)!r}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        parser.error(f"argument --out: cannot create {str(out)!r}: {exc.strerror}")
    if not os.access(out, os.W_OK | os.X_OK):
        parser.error(f"argument --out: cannot write into {str(out)!r}")
    return source


def _source(path: Path | None, parser: argparse.ArgumentParser) -> Path:
    """Load the text source (cached for the writers) or report why it cannot be used."""
    from spindetect.synth.source import SOURCE_ENV, SOURCE_NAME, default_source_path, load_source

    if path is None:
        found = default_source_path()
        if found is None:
            parser.error(
                f"no text source found: pass --source FILE or set ${SOURCE_ENV} (the file "
                f"corpora/source/{SOURCE_NAME} is part of the repository, not of the "
                "installed package)"
            )
        path = found
    elif not path.is_file():
        parser.error(f"argument --source: no such file: {str(path)!r}")
    try:
        load_source(path)
    except SpinDetectError as exc:
        parser.error(f"argument --source: {exc}")
    return path
