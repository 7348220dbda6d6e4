"""The ``spindetect`` command line: one module per subcommand, parsing only.

Owns argument parsing, exit codes (0 no copy, 1 copy found, 2 usage or input
error) and terminal progress. Every command calls the library (``crawl``,
``pairwise``, ``render``, ``synth``) and renders its result; no detection logic
lives here. May import every other subpackage.
"""

from __future__ import annotations

from spindetect.cli.program import build_parser, main

__all__ = ["build_parser", "main"]
