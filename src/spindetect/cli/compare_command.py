"""``spindetect compare A B``: tell whether one document is a (spun) copy of the other."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from spindetect.pairwise.comparison import DEFAULT_MAX_CHARS
from spindetect.sources.textfile import DEFAULT_MAX_BYTES

VOCABULARY_SAMPLE = 2048
"""Documents of ``--vocabulary`` read: the size of a scan's first batch, which it learns from."""

if TYPE_CHECKING:
    from spindetect.pairwise.comparison import Comparison
    from spindetect.text.function_words import FunctionWords


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``compare`` subcommand."""
    p = subparsers.add_parser(
        "compare",
        help="compare two text files and explain what a spinner changed",
        description="Compare two plain-text documents: verdict, confidence, scores, the "
        "substitution map, title/body mismatch, inserted phrases and aligned passages. "
        "Exit code 1 when one is a copy of the other, 0 when not, 2 on error.",
    )
    p.add_argument("a", help="first text file")
    p.add_argument("b", help="second text file")
    p.add_argument("--json", action="store_true", help="print JSON instead of the report")
    p.add_argument(
        "--encoding",
        default=None,
        help="text encoding of both files (default: detect BOM, else UTF-8)",
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse files larger than this (default {DEFAULT_MAX_BYTES:,})",
    )
    p.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        metavar="N",
        help=f"refuse a text longer than N characters (0: no limit; default {DEFAULT_MAX_CHARS:,})",
    )
    p.add_argument("--idf", metavar="FILE", help="reference IDF table (default: bundled)")
    p.add_argument(
        "--vocabulary",
        action="append",
        metavar="SOURCE",
        help="a directory, JSONL or WARC of the collection the two texts come from "
        f"(repeatable): its first {VOCABULARY_SAMPLE:,} documents give the function words and "
        "document frequencies that weigh the passage score, as in scan, so that compare "
        "agrees with scan's verdict (default: English function words, equal weights)",
    )
    p.add_argument("--no-titles", action="store_true", help="do not look for title lines")
    p.add_argument(
        "--no-mojibake-repair", action="store_true", help="compare the texts exactly as decoded"
    )
    p.add_argument(
        "--passages",
        type=int,
        default=8,
        metavar="N",
        help="aligned passages to show (-1: all; default 8)",
    )
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument(
        "--html",
        metavar="FILE",
        help="also write a self-contained HTML page with the side-by-side view",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``compare``; return 1 if a copy was found, else 0."""
    from spindetect._validation import check_int
    from spindetect.pairwise.comparison import compare_files
    from spindetect.pairwise.tfidf import IdfTable
    from spindetect.render.terminal import render_json, render_text
    from spindetect.render.writers import check_output

    max_chars = check_int("--max-chars", args.max_chars, low=0) or None
    if args.html:  # refused before the work: no folder, not writable, or an input
        inputs = [args.a, args.b, *([args.idf] if args.idf else []), *(args.vocabulary or [])]
        check_output(args.html, inputs=inputs)
    idf = IdfTable.load(args.idf) if args.idf else None
    vocabulary = _vocabulary(args.vocabulary, args.encoding) if args.vocabulary else None
    # A progress line on a terminal only: never with --json, never into a pipe or file.
    progress = _Progress() if sys.stderr.isatty() and not args.json else None
    try:
        result = compare_files(
            args.a,
            args.b,
            encoding=args.encoding,
            max_bytes=args.max_bytes,
            idf=idf,
            vocabulary=vocabulary,
            detect_titles=not args.no_titles,
            fix_mojibake=not args.no_mojibake_repair,
            max_chars=max_chars,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.close()
    if args.json:
        print(render_json(result, names=(args.a, args.b)))
    else:
        color = {"auto": None, "always": True, "never": False}[args.color]
        render_text(
            result, names=(args.a, args.b), file=sys.stdout, color=color, max_passages=args.passages
        )
    if args.html:
        _write_html(result, args.html, (args.a, args.b))
    return 1 if result.is_copy else 0


def _vocabulary(sources: list[str], encoding: str | None) -> FunctionWords:
    """Learn the function words of the first documents of ``sources``, as a scan does.

    Raises
    ------
    InputNotFoundError
        When a source does not exist.
    EmptyInputError
        When the sources hold no readable document.
    """
    from contextlib import closing
    from itertools import islice

    from spindetect.crawl.stages import learn_function_words
    from spindetect.exceptions import EmptyInputError, InputNotFoundError
    from spindetect.settings import ScanConfig
    from spindetect.sources.iterate import iter_documents
    from spindetect.sources.skips import SkipLog

    for source in sources:
        if not os.path.exists(source):
            raise InputNotFoundError(source, "--vocabulary: no such file or directory")
    with closing(iter_documents(sources, errors=SkipLog(), encoding=encoding)) as documents:
        texts = [doc.text for doc in islice(documents, VOCABULARY_SAMPLE)]
    if not texts:
        raise EmptyInputError(", ".join(sources), "--vocabulary holds no readable document")
    return learn_function_words(texts, ScanConfig())


class _Progress:
    """One transient rich line on standard error: the stage, a bar of rows, the time."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar: Any = Progress(
            TextColumn("compare: {task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task("read", total=None)
        self._bar.start()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        self._bar.update(self._task, description=stage, completed=done, total=total)

    def close(self) -> None:
        self._bar.stop()


def _write_html(result: Comparison, path: str, names: tuple[str, str]) -> None:
    """Write the HTML comparison page to ``path`` (a temporary file renamed into place)."""
    from spindetect.render.html_report import render_compare_html
    from spindetect.render.writers import write_text

    write_text(path, render_compare_html(result, names=names))
