"""The ``spindetect`` command line: ``main(argv) -> exit code``.

Each subcommand lives in its own ``<name>_command.py`` module exposing
``register(subparsers)``, which adds its parser and sets ``run`` (a function of
the parsed arguments returning the exit code). This module only dispatches and
turns library errors into one line on standard error and exit code 2.

Exit codes: 0 nothing found, 1 a copy found, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from spindetect import __version__
from spindetect.cli import (
    compare_command,
    generate_command,
    index_command,
    inspect_command,
    scan_command,
)
from spindetect.exceptions import SpinDetectError

__all__ = ["main"]

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
_COMMANDS = (compare_command, scan_command, index_command, inspect_command, generate_command)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="spindetect",
        description="Find, explain and cluster spun copies of articles.",
        epilog="Exit codes: 0 no copy found, 1 copy found, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"spindetect {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return int(args.run(args))
    except SpinDetectError as exc:
        print(f"spindetect: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("spindetect: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_ERROR
    except MemoryError:
        print(
            "spindetect: error: out of memory (try a smaller input or --max-bytes)", file=sys.stderr
        )
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
