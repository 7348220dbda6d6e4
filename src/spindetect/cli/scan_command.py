"""``spindetect scan SOURCES``: families of spun copies in a crawl."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from spindetect.sources.textfile import DEFAULT_MAX_BYTES


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``scan`` subcommand."""
    p = subparsers.add_parser(
        "scan",
        help="find families of spun copies and near-duplicates in a crawl",
        description="Scan directories of .txt/.html files, JSONL files (id, text, title, url) "
        "and WARC/WET files for spun copies, near-duplicates and reused passages. Bad files "
        "and records are skipped and counted. Exit code 1 when copies are found, 0 when not, "
        "2 on error.",
    )
    p.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="directory, .jsonl(.gz), .warc(.gz)/.wet(.gz), .html or .txt file",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write pairs and clusters (.jsonl, .csv, .parquet or .html); .csv and .parquet "
        "write the families to FILE.clusters.csv (.parquet) and, unless --no-inspect, every "
        "document's spun score to FILE.documents.csv (.parquet). The folder must "
        "exist; an input is never overwritten",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "csv", "parquet", "html"),
        help="output format (default: from the output file's suffix)",
    )
    p.add_argument(
        "--explain",
        type=int,
        default=20,
        metavar="N",
        help="explain the N largest families with the full compare (default 20)",
    )
    add_parallel_options(p)
    p.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip documents larger than this"
    )
    p.add_argument(
        "--top",
        type=int,
        default=10,
        metavar="N",
        help="families listed in the terminal summary (default 10)",
    )
    p.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="read only the files under a SOURCE directory whose path relative to it matches "
        "GLOB ('*' also matches '/'; repeatable); default: every file",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out the files (or subdirectories) under a SOURCE directory matching GLOB, "
        "e.g. '*.xml' or '*truth*' (repeatable; wins over --include)",
    )
    p.add_argument(
        "--encoding",
        default=None,
        help="encoding of text files that are not valid UTF-8, e.g. cp1252 (default: skip them)",
    )
    p.add_argument(
        "--pair-pages",
        type=int,
        default=200,
        metavar="N",
        help="with an HTML report: write the side-by-side compare page of its first N listed "
        "pairs (at most 5 a family) to FILE.pairs/ beside it, linked from their rows; the "
        "other rows show the compare command (default 200; 0: none)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress and no summary")
    p.add_argument(
        "--no-inspect",
        dest="inspect",
        action="store_false",
        help="do not give every document its spun score (spindetect inspect's model; "
        "it costs about 10%% of the scan)",
    )
    p.add_argument(
        "--against",
        metavar="FILE",
        help="an index built by 'spindetect index add': report copies of indexed "
        "pages among SOURCES (and copies among SOURCES); --explain does not apply",
    )
    p.add_argument(
        "--engine",
        choices=("process", "spark"),
        default="process",
        help="run in this process (default) or as a Spark job "
        "(pip install 'spindetect[spark]'; see docs/spark.md)",
    )
    p.add_argument(
        "--master",
        metavar="URL",
        help="with --engine spark: the Spark master (local[*], spark://host:7077, "
        "yarn; default: that of spark-submit, else local[*])",
    )
    p.set_defaults(run=run)


def add_parallel_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--threads`` (fingerprint threads; ``--workers`` its former name) and ``--jobs``."""
    parser.add_argument(
        "--threads",
        "--workers",
        dest="threads",
        type=int,
        default=None,
        metavar="N",
        help="threads for fingerprinting (default: all cores)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes reading and parsing the input files (default: all cores)",
    )


def run(args: argparse.Namespace) -> int:
    """Execute ``scan``; return 1 if copies were found, else 0."""
    from spindetect._validation import check_int
    from spindetect.crawl.scanning import scan
    from spindetect.exceptions import InputNotFoundError
    from spindetect.render.pair_pages import PairTexts, PairViews
    from spindetect.render.terminal import printable
    from spindetect.render.writers import (
        check_output,
        check_pairs_folder,
        format_for,
        output_files,
        write_result,
    )
    from spindetect.sources.iterate import iter_documents
    from spindetect.sources.skips import SkipLog

    if args.engine == "spark":  # sources may be URIs and @listings: checked in executors
        from spindetect.spark.cli import run_scan

        return run_scan(args)
    if args.jobs is not None:
        check_int("--jobs", args.jobs, low=1)
    check_int("--pair-pages", args.pair_pages, low=0)
    html = bool(args.output) and format_for(args.output, args.format) == "html"
    for source in args.sources:
        if not Path(source).exists():
            raise InputNotFoundError(source, "no such file or directory")
    if args.output:  # a bad suffix, folder or an input as output: refused before the work
        inputs = [*args.sources, *([args.against] if args.against else [])]
        for path in output_files(args.output, args.format):
            check_output(path, inputs=inputs)
        if html:
            check_pairs_folder(args.output, inputs=inputs)
    # An HTML report's pair pages: the texts of its listed pairs, read at the scan's end.
    views = PairViews(max_views=args.pair_pages)
    texts = PairTexts(views) if html and args.pair_pages else None
    log = SkipLog()
    docs = iter_documents(
        args.sources,
        errors=log,
        max_bytes=args.max_bytes,
        processes=args.jobs,
        include=args.include,
        exclude=args.exclude,
        encoding=args.encoding,
    )
    progress = None if args.quiet else _Progress()
    try:
        if args.against:
            from spindetect.crawl.index import SpinIndex

            with SpinIndex.open(args.against, create=False) as index:
                result = index.query(docs, threads=args.threads, progress=progress, skipped=log)
        else:
            result = scan(
                docs,
                explain=args.explain,
                threads=args.threads,
                progress=progress,
                skipped=log,
                inspect=args.inspect,
                on_texts=texts,
            )
    finally:
        docs.close()  # ends the reader processes at once, even on an error
        if progress is not None:
            progress.close()
    written = []
    if args.output:
        pages = None if args.quiet else _Progress()
        try:
            written = write_result(
                result,
                args.output,
                fmt=args.format,
                texts=texts.texts if texts is not None else None,
                views=views,
                vocabulary=texts.vocabulary if texts is not None else None,
                progress=pages,
            )
        finally:
            if pages is not None:
                pages.close()
    if not args.quiet:
        print_summary(result, log, written, args.top)
        if args.against:
            s = result.summary
            print(
                f"against {printable(s['index'], newlines=False)}: "
                f"{s['indexed_documents']:,} indexed documents, "
                f"{s['pairs_indexed']:,} copy pairs with them"
            )
    return 1 if result.pairs else 0


class _Progress:
    """A rich progress display on a terminal; plain lines on standard error otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = 0.0
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        if self._tty:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description:<12}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )
            self._bar.start()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self._bar is not None:
            task = self._tasks.get(stage)
            if task is None:
                task = self._tasks[stage] = self._bar.add_task(stage, total=total)
            self._bar.update(task, completed=done, total=total)
            return
        now = time.monotonic()
        if (total is not None and done >= total) or now - self._last >= 2.0:
            self._last = now
            of = f" of {total:,}" if total is not None else ""
            print(f"spindetect: {stage}: {done:,}{of}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def print_summary(
    result: Any, log: Any, written: list[Path], top: int, *, console: Any = None
) -> None:
    """Print the scan's summary line, the skips and the largest families.

    Every id, domain and path is shown through :func:`~spindetect.render.terminal.escape`:
    markup in an id is printed, not applied, and control characters are escaped.
    Skipped inputs go to standard error, one line each.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from spindetect.render.terminal import escape, printable

    console = console or Console(highlight=False)
    s = result.summary
    pairs = s["pairs"]
    kinds = ", ".join(f"{v:,} {k}" for k, v in sorted(pairs.items()) if v)
    console.print(
        f"[bold]{s['documents']:,} documents[/bold] scanned, {s['candidates']:,} candidate "
        f"pairs, {sum(pairs.values()):,} copy pairs{f' ({kinds})' if kinds else ''}, "
        f"[bold]{s['clusters']:,} {'family' if s['clusters'] == 1 else 'families'}[/bold] "
        f"holding {s['clustered_documents']:,} documents."
    )
    for line in log.summary():
        if line.startswith("  "):  # one skipped input: a warning, on standard error
            text = printable(line.strip(), newlines=False)
            print(f"spindetect: skipped {text}", file=sys.stderr)
        else:
            console.print(escape(line))
    if result.clusters and top:
        table = Table(title="Largest families", box=box.SIMPLE, title_justify="left")
        # At 80 columns the link domains give way first (cut with ...); the verdict cells
        # never wrap and the representative's id is folded, never cut.
        table.add_column("family", no_wrap=True)
        table.add_column("size", justify="right", no_wrap=True)
        table.add_column("verdicts", no_wrap=True)
        table.add_column("titles", justify="right", no_wrap=True)
        table.add_column("representative", overflow="fold", min_width=16, ratio=2)
        table.add_column("links to", overflow="ellipsis", no_wrap=True, min_width=8, ratio=1)
        for c in result.clusters[:top]:
            table.add_row(
                Text(printable(c.id, newlines=False)),
                str(c.size),
                ", ".join(f"{v} {k}" for k, v in sorted(c.verdicts.items())),
                str(len({t for t in c.titles.values() if t})),
                Text(printable(c.representative, newlines=False)),
                Text(printable(", ".join(b["domain"] for b in c.beneficiaries[:3]) or "-")),
            )
        console.print(table)
    from spindetect.inspection import DEFAULT_THRESHOLD

    spun = [d for d in result.most_spun(top) if d.spun_score >= DEFAULT_THRESHOLD] if top else []
    if spun:
        table = Table(title="Pages scored spun", box=box.SIMPLE, title_justify="left")
        table.add_column("document", overflow="fold")
        table.add_column("spun score", justify="right", no_wrap=True)
        for d in spun:
            table.add_row(Text(printable(d.id, newlines=False)), f"{d.spun_score:.3f}")
        console.print(table)
    if "spun_documents" in s:
        console.print(
            f"{s['spun_documents']:,} of {s['documents']:,} documents score at least "
            f"{DEFAULT_THRESHOLD} as spun pages (spindetect inspect FILE says why)"
        )
    for path in written:
        console.print(Text(f"wrote {printable(str(path), newlines=False)}"))


_print_summary = print_summary  # the name spindetect.spark.cli imports
