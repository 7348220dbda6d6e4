"""Build the bundled reference IDF table ``src/spindetect/data/idf.tsv.gz``.

The table holds document frequencies of normalised word forms counted over a
background corpus. The bundled one is counted over the PAN 2013 text-alignment
web documents (CC BY 4.0, Webis/PAN) placed in ``../shared/corpora/pan13/``; only
per-word document counts are stored, never text. Forms seen in fewer than
``--min-df`` documents are dropped (unseen forms get the maximum IDF anyway).

Usage::

    python tools/build_idf.py [--corpus DIR ...] [--min-df 3] [--output PATH]

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spindetect.pairwise.tfidf import IdfTable
from spindetect.sources.textfile import read_text

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = [
    ROOT.parent / "shared/corpora/pan13/src",
    ROOT.parent / "shared/corpora/pan13/susp",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=Path, help="directory of .txt files")
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "src/spindetect/data/idf.tsv.gz")
    args = parser.parse_args(argv)
    corpora = args.corpus or DEFAULT_CORPORA
    files = sorted(p for d in corpora for p in Path(d).glob("*.txt"))
    if not files:
        print(f"no .txt files under {', '.join(map(str, corpora))}", file=sys.stderr)
        return 2
    table = IdfTable.fit((read_text(p) for p in files), min_df=args.min_df)
    table.save(args.output)
    print(f"{args.output}: {len(table.df)} forms from {table.n_docs} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
