"""``spindetect inspect FILE...``: judge each page on its own, spun or natural."""

from __future__ import annotations

import argparse
import html
import json
from typing import TYPE_CHECKING

from spindetect.sources.textfile import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from spindetect.inspection.inspector import Inspection


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``inspect`` subcommand."""
    p = subparsers.add_parser(
        "inspect",
        help="judge whether pages are spun, without their originals",
        description="Score each plain-text file for article spinning on its own (no "
        "original needed): score, verdict, the signals behind it and the suspicious "
        "phrases with what each probably replaced. Exit code 1 when a page is judged "
        "spun, 0 when none is, 2 on error.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="text files to inspect")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object a file")
    p.add_argument("--html", metavar="FILE", help="also write an HTML page with the evidence")
    p.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="decision on the score in [0, 1] (default 0.5, calibrated)",
    )
    p.add_argument(
        "--evidence", type=int, default=20, metavar="N", help="evidence items per file (default 20)"
    )
    p.add_argument(
        "--encoding", default=None, help="text encoding (default: detect BOM, else UTF-8)"
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse files larger than this (default {DEFAULT_MAX_BYTES:,})",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``inspect``; return 1 if any page is judged spun, else 0."""
    from spindetect.inspection.inspector import inspect
    from spindetect.render.writers import check_output
    from spindetect.sources.textfile import read_text

    if args.html:  # refused before the work: no folder, not writable, or an input
        check_output(args.html, inputs=args.files)
    texts = [read_text(f, encoding=args.encoding, max_bytes=args.max_bytes) for f in args.files]
    results = [inspect(t, threshold=args.threshold, max_evidence=args.evidence) for t in texts]
    if args.json:
        print(
            json.dumps(
                [{"path": f, **r.to_dict()} for f, r in zip(args.files, results, strict=True)],
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for f, r in zip(args.files, results, strict=True):
            _print(f, r)
    if args.html:
        _write_html(args.html, list(zip(args.files, texts, results, strict=True)))
    return 1 if any(r.is_spun for r in results) else 0


def _print(name: str, r: Inspection) -> None:
    from spindetect.render.terminal import printable

    print(f"{printable(name, newlines=False)}: {r.verdict} (score {r.score:.3f}, {r.tokens} words)")
    top = sorted(r.signals, key=lambda s: -s.contribution)
    print("  signals: " + ", ".join(f"{s.name} {s.contribution:+.2f}" for s in top))
    for e in r.evidence:
        arrow = f" <- {e.replaces!r}" if e.replaces else ""
        print(f"  {e.start}-{e.end} {e.text!r}{arrow} [{e.signal}]")


def _write_html(path: str, items: list[tuple[str, str, Inspection]]) -> None:
    from spindetect.render.writers import write_text

    parts = [
        "<!doctype html><meta charset='utf-8'><title>spindetect inspect</title>",
        "<style>body{font:15px/1.5 sans-serif;max-width:60em;margin:auto}"
        "mark{background:#fdd}pre{white-space:pre-wrap}</style>",
    ]
    for name, text, r in items:
        parts.append(f"<h2>{html.escape(name)}: {r.verdict} ({r.score:.3f})</h2><ul>")
        for s in sorted(r.signals, key=lambda s: -s.contribution):
            parts.append(f"<li>{html.escape(s.name)}: {s.contribution:+.2f}</li>")
        parts.append("</ul><pre>")
        pos = 0
        for e in r.evidence:
            if e.start < pos:
                continue
            title = html.escape(f"{e.signal}; probably replaced: {e.replaces}", quote=True)
            parts.append(html.escape(text[pos : e.start]))
            parts.append(f'<mark title="{title}">{html.escape(text[e.start : e.end])}</mark>')
            pos = e.end
        parts.append(html.escape(text[pos:]) + "</pre>")
    write_text(path, "\n".join(parts))
