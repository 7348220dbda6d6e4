"""Build ``src/spindetect/data/spinner_phrases.tsv.gz``: word and phrase swaps real spinners made.

Source: the *tortured phrases* list (github.com/hahuyhoang411/tortured-phrase @d096655,
``data/tortured.csv``, MIT licence), 7,644 phrases that article spinners produced in published
papers ("profound learning" for "deep learning"), each with the expected phrase and the number of
papers carrying it (from the Problematic Paper Screener). The shared copy sits in
``../shared/corpora/tortured-phrases/``.

What is kept (only pairs of words, no document text):

* ``phrase`` rows: the whole (expected, tortured) pair, both normalised by
  :func:`spindetect.pairwise.lexicon.word_key` (parenthesised acronyms such as ``(PCA)``,
  editors' notes and quotes dropped);
* ``word`` rows: when both phrases have the same number of words, each position where the
  words differ is one word swap (``deep -> profound``); its weight is the number of papers
  summed over the phrases showing it.

Rows whose expected phrase is unknown (``???``, ``(?)``), whose two sides are equal, or that
hold a digit are left out. Output lines are ``kind<TAB>expected<TAB>spun<TAB>papers``, sorted,
behind a ``#`` header naming the source and licence; gzip with mtime 0, so the same input gives
the same bytes. ``spinner_phrases.provenance.json`` records the sha256 of input and output.

Usage::

    python tools/build_spinner_phrases.py [--input CSV] [--output PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from spindetect.pairwise.lexicon import word_key

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT.parent / "shared/corpora/tortured-phrases/tortured.csv"
DEFAULT_OUTPUT = ROOT / "src/spindetect/data/spinner_phrases.tsv.gz"
SOURCE = "github.com/hahuyhoang411/tortured-phrase @d096655, data/tortured.csv"
HEADER = (
    "# spindetect-spinner-phrases v1\n"
    f"# Derived from the tortured-phrases list, {SOURCE},\n"
    "# MIT licence, Copyright (c) its authors; built by tools/build_spinner_phrases.py.\n"
    "# Columns: kind, expected, spun, papers.\n"
)


def _clean(phrase: str) -> str:
    phrase = re.sub(r"\([^)]*\)", " ", phrase.split('" AND "')[0])
    return word_key(phrase.replace('"', " "))


def build(rows: list[dict[str, str]]) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """Return (phrase pairs, word pairs), each ``(expected, spun)`` with summed paper counts."""
    phrases: Counter[tuple[str, str]] = Counter()
    words: Counter[tuple[str, str]] = Counter()
    for row in rows:
        spun, expected = _clean(row["tortured_phrase"]), _clean(row["expected_phrase"])
        if not re.search(r"[a-z]", spun) or not re.search(r"[a-z]", expected):
            continue
        if spun == expected or re.search(r"\d|\?", spun + expected):
            continue
        papers = int(row["num_papers"].replace(",", "") or 1)
        phrases[expected, spun] += papers
        ws, we = spun.split("_"), expected.split("_")
        if len(ws) == len(we):
            for x, y in zip(we, ws, strict=True):
                if x != y and len(x) > 1 and len(y) > 1:
                    words[x, y] += papers
    return phrases, words


def main(argv: list[str] | None = None) -> int:
    """Build the table; return the exit code."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not args.input.exists():
        print(f"{args.input}: not found", file=sys.stderr)
        return 2
    with args.input.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    phrases, words = build(rows)
    lines = [f"phrase\t{a}\t{b}\t{n}" for (a, b), n in sorted(phrases.items())]
    lines += [f"word\t{a}\t{b}\t{n}" for (a, b), n in sorted(words.items())]
    data = (HEADER + "\n".join(lines) + "\n").encode("utf-8")
    with (
        open(args.output, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(data)
    provenance = {
        "builder": "tools/build_spinner_phrases.py",
        "format": "spindetect-spinner-phrases/1",
        "licence": "MIT (tortured-phrases list, Copyright (c) its authors)",
        "source": {
            "name": "tortured phrases",
            "where": SOURCE,
            "rows": len(rows),
            "sha256": hashlib.sha256(args.input.read_bytes()).hexdigest(),
        },
        "output": {
            "file": args.output.name,
            "phrase_pairs": len(phrases),
            "word_pairs": len(words),
            "sha256": hashlib.sha256(args.output.read_bytes()).hexdigest(),
        },
    }
    (args.output.parent / "spinner_phrases.provenance.json").write_text(
        json.dumps(provenance, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(phrases)} phrase pairs, {len(words)} word pairs -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
