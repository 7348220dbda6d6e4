"""The ``spindetect`` command line: ``main(argv) -> exit code``.

Each subcommand lives in its own ``<name>_command.py`` module exposing
``register(subparsers)``, which adds its parser and sets ``run`` (a function of
the parsed arguments returning the exit code). This module only dispatches and
turns every error into one line on standard error and exit code 2 (:func:`main`).

Exit codes: 0 nothing found, 1 a copy found, 2 usage or input error (or a bug),
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
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

EXIT_OK, EXIT_FOUND, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
_COMMANDS = (compare_command, scan_command, index_command, inspect_command, generate_command)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="spindetect",
        description="Find, explain and cluster spun copies of articles.",
        epilog="Exit codes: 0 no copy found, 1 copy found, 2 usage or input error "
        "(one line on standard error), 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"spindetect {__version__}")
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.register(subparsers)
    _add_debug(subparsers)
    return parser


_DEBUG_HELP = "on an unexpected error, print the traceback (to report a bug)"


def _add_debug(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Accept ``--debug`` after every subcommand too (``spindetect scan --debug ...``)."""
    for sub in set(subparsers.choices.values()):
        # SUPPRESS: a subcommand that does not see --debug keeps the top-level value.
        sub.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP
        )
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                _add_debug(action)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Every error ends as one line on standard error and exit code 2:
    :class:`~spindetect.exceptions.SpinDetectError` and :class:`OSError` name
    the file and the problem; any other exception is a bug, reported in one
    line with a hint to rerun with ``--debug``, which prints the traceback.
    An interrupt (Ctrl-C) exits with 130.
    """
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
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of standard output went away (| head)
        _silence_stdout()
        return EXIT_ERROR
    except MemoryError:
        _say("error: out of memory (try a smaller input or --max-bytes)")
        return EXIT_ERROR
    except SpinDetectError as exc:
        _say(f"error: {exc}")
        return EXIT_ERROR
    except OSError as exc:
        _say(f"error: {os_error_text(exc)}")
        return EXIT_ERROR
    except Exception as exc:
        if args.debug:
            traceback.print_exc(file=sys.stderr)
        _say(
            f"internal error: {type(exc).__name__}: {exc}"
            + ("" if args.debug else " (a bug: rerun with --debug for the traceback)")
        )
        return EXIT_ERROR


def os_error_text(exc: OSError) -> str:
    """``"FILE: problem"`` for an :class:`OSError` (both file names for a rename)."""
    problem = exc.strerror or str(exc) or type(exc).__name__
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    return f"{' -> '.join(names)}: {problem}" if names else problem


def _say(message: str) -> None:
    """Print ``spindetect: message`` as one line on standard error, control characters escaped."""
    from spindetect.render.terminal import printable

    print(f"spindetect: {printable(message, newlines=False)}", file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the exit-time flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file descriptor (captured output)
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
