"""``spindetect index add|info|check``: the persistent on-disk index of a crawl."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from spindetect.cli.scan_command import add_parallel_options
from spindetect.sources.textfile import DEFAULT_MAX_BYTES

#: Skip-log categories that note a document which was kept, not skipped
#: (:data:`spindetect.sources.skips` keeps them apart the same way).
KEPT_NOTES = ("duplicate-id", "deep-html")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``index`` subcommand and its actions."""
    p = subparsers.add_parser(
        "index",
        help="build and inspect a persistent index of a crawl",
        description="Keep the fingerprints of a crawl in one SQLite file, then check new "
        "crawls against it with 'spindetect scan --against FILE'. 'index add' is incremental "
        "and safe to interrupt: rerunning it keeps what was written and skips unchanged "
        "documents. Every action checks the index file first: a damaged or locked index "
        "(or a read-only one, for 'add') is refused with one line naming the file and the "
        "problem. "
        "Exit code 0 on success, 2 on error.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add documents to an index (created if missing)",
        description="Add the documents of SOURCES to the index FILE, one transaction per "
        "batch. Documents already indexed with the same text are skipped; the same id with "
        "a new text replaces the old entry.",
    )
    add.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="directory, .jsonl(.gz), .warc(.gz)/.wet(.gz), .html or .txt file",
    )
    add.add_argument("--db", required=True, metavar="FILE", help="the index file")
    add.add_argument(
        "--batch-size",
        type=int,
        default=2048,
        metavar="N",
        help="documents per transaction (default 2048)",
    )
    add_parallel_options(add)
    add.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip documents larger than this"
    )
    add.add_argument("--quiet", action="store_true", help="no progress lines")
    add.set_defaults(run=run_add)
    info = actions.add_parser(
        "info",
        help="documents, parameters and size of an index",
        description="Print the size and parameters of an index.",
    )
    info.add_argument("--db", required=True, metavar="FILE", help="the index file")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(run=run_info)
    check = actions.add_parser(
        "check",
        help="read every page and row of an index",
        description="Run SQLite's integrity check over every page of the index, then check "
        "every document row (signature and sample blobs, ids, links) and that every band "
        "and sample row belongs to a document. Exit code 0 when the index is sound, 2 (one "
        "line naming the problem) when it is damaged. 'index add' and 'scan --against' "
        "run a quicker check by themselves on indexes up to 1 GiB.",
    )
    check.add_argument("--db", required=True, metavar="FILE", help="the index file")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(run=run_check)
    p.set_defaults(run=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print("spindetect index: error: an action is required (add, info, check)", file=sys.stderr)
    return 2


def run_add(args: argparse.Namespace) -> int:
    """Execute ``index add``; return 0."""
    from spindetect._validation import check_int
    from spindetect.cli.scan_command import _Progress
    from spindetect.crawl.index import SpinIndex
    from spindetect.exceptions import InputNotFoundError
    from spindetect.sources.iterate import iter_documents
    from spindetect.sources.skips import SkipLog

    check_int("--batch-size", args.batch_size, low=1)
    if args.jobs is not None:
        check_int("--jobs", args.jobs, low=1)
    for source in args.sources:
        if not Path(source).exists():
            raise InputNotFoundError(source, "no such file or directory")
    log = SkipLog()
    progress = None if args.quiet else _Progress()
    with SpinIndex.open(args.db) as index:
        docs = iter_documents(
            args.sources, errors=log, max_bytes=args.max_bytes, processes=args.jobs
        )
        try:
            report = index.add(
                docs, batch_size=args.batch_size, threads=args.threads, progress=progress
            )
        finally:
            docs.close()  # ends the reader processes at once, even on an error
            if progress is not None:
                progress.close()
        total = len(index)
    # Notes on documents that were kept (renamed ids, deep pages read whole) are not skips.
    reasons = {c: n for c, n in {**log.counts, **report.reasons}.items() if c not in KEPT_NOTES}
    skipped = log.skipped + report.skipped
    why = f" ({', '.join(f'{n:,} {c}' for c, n in reasons.items())})" if skipped else ""
    deep = (
        f"; {log.deep_pages:,} deeply nested HTML page{'' if log.deep_pages == 1 else 's'} "
        "indexed as whole text"
        if log.deep_pages
        else ""
    )
    from spindetect.render.terminal import printable

    print(
        f"{printable(args.db, newlines=False)}: {report.added:,} added, "
        f"{report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {skipped:,} skipped{why}; "
        f"{total:,} documents in the index{deep}"
    )
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Execute ``index info``; return 0."""
    from spindetect.crawl.index import SpinIndex

    with SpinIndex.open(args.db, create=False) as index:
        info = index.info()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    for line in _info_lines(info):
        print(line)
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Execute ``index check``; return 0 (a damaged index raises: exit 2)."""
    from spindetect.crawl.index import SpinIndex
    from spindetect.render.terminal import printable

    with SpinIndex.open(args.db, create=False, check="none") as index:
        report = index.check(full=True)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{printable(args.db, newlines=False)}: ok: {report['documents']:,} documents, "
        f"{report['band_rows']:,} band keys, {report['sample_rows']:,} sampled n-grams "
        "(every page and row checked)"
    )
    return 0


def _info_lines(info: dict[str, Any]) -> list[str]:
    from spindetect.render.terminal import printable

    n = info["documents"]
    per = f" ({_size(info['bytes_per_document'])} per document)" if n else ""
    config = info["config"]
    tables = ", ".join(
        f"{kind}{'' if kind == 'content' else f':{k}'} {b}x{r} (J>={t})"
        for kind, k, _, t, b, r in config["tables"]
    )
    return [
        f"index       {printable(info['path'], newlines=False)}",
        f"documents   {n:,}",
        f"size        {_size(info['bytes'])}{per}",
        f"rows        {info['band_rows']:,} band keys, {info['sample_rows']:,} sampled n-grams",
        f"tables      {tables}; seed {config['seed']}",
        f"samples     word {config['sample_n']}-grams, 1 in {config['sample_mod']}",
        f"created     {info['created_at']} by {info['created_by']} "
        f"(schema {info['schema_version']})",
    ]


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"  # pragma: no cover
