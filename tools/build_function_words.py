r"""Build the table of function words per language, ``src/spindetect/data/function_words.tsv``.

For each language of the ``wordfreq`` package with a ``best`` word list (Chinese and
Japanese excepted: their words are not separated by spaces, so spindetect's tokenizer
does not see them), the most frequent words, in decreasing frequency, until they cover
``--coverage`` of running text (30 % by default; at most ``--max-words``), each
normalised as spindetect normalises tokens and kept when it is one token. A line holds
the language code and its words, tab-separated::

    id<TAB>yang<TAB>dan<TAB>di<TAB>...

:meth:`spindetect.text.function_words.FunctionWords.from_hashes` reads it to give the
pages of a mostly English crawl that are in another language their own function
words (see its docstring). Source: word frequencies of wordfreq 3.1.1 (code
Apache-2.0, data CC BY-SA 4.0; see ``src/spindetect/data/LICENSE-inspect-tables``).

Usage::

    pip install wordfreq==3.1.1
    python tools/build_function_words.py [--coverage 0.3] [--max-words 150]

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spindetect.text.tokens import tokenize  # noqa: E402

OUT = ROOT / "src/spindetect/data/function_words.tsv"
SKIP = {"zh", "ja"}  # no spaces between words


def language_words(lang: str, *, coverage: float, max_words: int) -> list[str]:
    """Return the normalised top words of ``lang`` covering ``coverage`` of its running text."""
    import wordfreq

    frequencies = wordfreq.get_frequency_dict(lang, wordlist="best")
    words: list[str] = []
    covered = 0.0
    for word, frequency in sorted(frequencies.items(), key=lambda item: (-item[1], item[0])):
        if covered >= coverage or len(words) >= max_words:
            break
        covered += frequency
        forms = tokenize(word).forms
        if len(forms) == 1 and not forms[0].isdigit() and forms[0] not in words:
            words.append(forms[0])
    return words


def main(argv: list[str] | None = None) -> int:
    """Write the table; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--coverage", type=float, default=0.3)
    ap.add_argument("--max-words", type=int, default=150)
    ap.add_argument("--out", type=Path, default=OUT)
    ns = ap.parse_args(argv)
    import wordfreq

    langs = sorted(set(wordfreq.available_languages(wordlist="best")) - SKIP)
    lines = [
        "# Function words per language: the most frequent words of wordfreq 3.1.1 (data CC BY-SA"
        " 4.0,",
        "# see LICENSE-inspect-tables) until they cover"
        f" {ns.coverage:.0%} of running text (at most {ns.max_words}).",
        "# Built by tools/build_function_words.py. Columns: language, then its words.",
    ]
    for lang in langs:
        words = language_words(lang, coverage=ns.coverage, max_words=ns.max_words)
        lines.append("\t".join([lang, *words]))
        print(f"{lang}: {len(words)} words", file=sys.stderr)
    ns.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
