r"""Build the word and phrase tables of :mod:`spindetect.inspection`.

Writes two gzip TSV files under ``src/spindetect/data/``:

``inspect_words.tsv.gz``
    one row per word form that carries a signal: ``form``, ``spinner`` (the
    spinner-vocabulary log-likelihood ratio
    :math:`\ln(1 + \frac{\lambda}{1-\lambda} \frac{p_{spin}(w)}{\max(p(w), 10^{-7})})`, with
    :math:`p_{spin}(w) = \max(o(w) - i(w), 0) / \sum_u o(u)` the *net* share of ``w``
    among the spinner outputs of the tortured-phrase table (``o``: times the word is a
    spinner's output, ``i``: times it is the input a spinner replaced, so that a domain
    term spinners take away as often as they write, "network", "model", carries no
    weight), :math:`p(w)` its wordfreq frequency and :math:`\lambda = 0.05`),
    ``rare_synonym`` (Zipf gap to the most common
    WordNet synonym), ``function_gap`` (Zipf gap to the most common member of a
    function-word group), ``replaces`` (what a spinner most likely replaced: the
    tortured-phrase original, else the most common synonym).
``inspect_phrases.tsv.gz``
    the multi-word tortured phrases: ``phrase``, ``expected``, ``papers``.

Sources (see the header lines written into each file):

* ``../shared/corpora/tortured-phrases/tortured.csv`` (MIT, hahuyhoang411/tortured-phrase,
  from the Problematic Paper Screener): word pairs are read off phrase pairs,
  position by position when both have as many words, else as the words only
  one side has;
* word frequencies from the ``wordfreq`` package (code Apache-2.0, data
  CC BY-SA 4.0; only Zipf values rounded to 0.01 of the words kept are used);
* WordNet 3.0 synonyms via :mod:`spindetect.lexicon` (WordNet licence).

Usage::

    pip install wordfreq==3.1.1
    python tools/build_inspect_tables.py [--tortured CSV] [--top 150000]

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spindetect.pairwise.lexicon import Lexicon  # noqa: E402
from spindetect.text.stopwords import STOPWORDS  # noqa: E402
from spindetect.text.tokens import tokenize  # noqa: E402

TORTURED = ROOT.parent / "shared/corpora/tortured-phrases/tortured.csv"
DATA = ROOT / "src/spindetect/data"
LAMBDA = 0.05  # prior share of spinner-chosen words in a spun text
FLOOR = 1e-7  # lowest word frequency assumed for a word
REPLACE = 0.3  # share of words a spinner replaces
THESAURUS_CAP = 6.0
MAX_PHRASE = 4
FUNCTION_ZIPF = 5.5  # commoner words (which, using) are no spinner's choice
WEB_PHRASES = DATA / "inspect_spinner_phrases.tsv"

HEADER_WORDS = """\
# spindetect inspection word table (built by tools/build_inspect_tables.py)
# Derived from: tortured-phrases (MIT, github.com/hahuyhoang411/tortured-phrase, data from the
#   Problematic Paper Screener); word frequencies of the wordfreq package (Robyn Speer; data
#   CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/), so this table is shared
#   under CC BY-SA 4.0; WordNet 3.0 (Princeton University, see LICENSE-WordNet).
# columns: form, spinner, thesaurus, function_gap, replaces
"""
HEADER_PHRASES = """\
# spindetect inspection tortured-phrase table (built by tools/build_inspect_tables.py)
# From tortured-phrases (MIT, github.com/hahuyhoang411/tortured-phrase, data from the
#   Problematic Paper Screener; multi-word phrases of 2-4 tokens, source "tortured") and the
#   project's web-spinner phrases (inspect_spinner_phrases.tsv, source "web").
# columns: phrase, expected, papers, source
"""


def _words(text: str) -> list[str]:
    return list(tokenize(text).forms)


def read_tortured(path: Path) -> list[tuple[list[str], list[str], str, int]]:
    """Return (tortured words, expected words, expected text, papers) per usable row."""
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            quoted = re.findall(r'"([^"]+)"', row["tortured_phrase"])
            if not quoted:
                continue
            expected = re.sub(r"\(.*?\)|\[.*?\]|\?", " ", row["expected_phrase"]).strip()
            tw, ew = _words(quoted[0]), _words(expected)
            if not tw or not ew:
                continue
            papers = int(row["num_papers"].replace(",", "") or 0)
            out.append((tw, ew, " ".join(expected.split()), papers))
    return out


def spinner_counts(rows: list[tuple[list[str], list[str], str, int]]):
    """Count how often a word is a spinner's output (``out``) and its input (``inp``)."""
    out: Counter[str] = Counter()
    inp: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for tw, ew, _, _ in rows:
        if len(tw) == len(ew):
            for a, b in zip(tw, ew, strict=True):
                if a != b:
                    out[a] += 1
                    inp[b] += 1
                    pairs[(a, b)] += 1
        else:
            only_t = [a for a in tw if a not in ew]
            only_e = [b for b in ew if b not in tw]
            out.update(only_t)
            inp.update(only_e)
    return out, inp, pairs


def read_web_phrases(path: Path) -> list[tuple[str, str]]:
    """Return (phrase forms, what it replaced) of the project's web-spinner phrase table."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            phrase, replaces = line.split("\t")
            out.append((" ".join(_words(phrase)), replaces))
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tortured", type=Path, default=TORTURED)
    parser.add_argument("--top", type=int, default=150_000, help="wordfreq words considered")
    parser.add_argument("--output-dir", type=Path, default=DATA)
    args = parser.parse_args(argv)
    try:
        from wordfreq import top_n_list, word_frequency
    except ImportError:
        print("this tool needs the wordfreq package (pip install wordfreq)", file=sys.stderr)
        return 2
    if not args.tortured.is_file():
        print(f"{args.tortured}: not found", file=sys.stderr)
        return 2
    rows = read_tortured(args.tortured)
    out, inp, pairs = spinner_counts(rows)
    lex = Lexicon.default()
    total_out = sum(out.values())
    freq_cache: dict[str, float] = {}
    syn_cache: dict[str, list[str]] = {}

    def freq(w: str) -> float:
        if w not in freq_cache:
            freq_cache[w] = max(word_frequency(w, "en"), FLOOR)
        return freq_cache[w]

    def syns(w: str) -> list[str]:
        if w not in syn_cache:
            syn_cache[w] = [s for s in lex.synonyms(w) if s.isalpha() and s != w]
        return syn_cache[w]

    def zipf(w: str) -> float:
        return math.log10(freq(w)) + 9.0

    best_original: dict[str, str] = {}
    for (a, b), _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        best_original.setdefault(a, b)

    candidates = {w for w in top_n_list("en", args.top) if w.isalpha()}
    candidates |= {w for w in out if w.isalpha()} | {w for w in inp if w.isalpha()}
    lines = []
    for w in sorted(candidates):  # possessives follow their word, so rows stay sorted by word
        content = w not in STOPWORDS and len(w) >= 3
        spinner = 0.0
        if content and out[w] > inp[w]:
            share = (out[w] - inp[w]) / total_out
            spinner = math.log1p(LAMBDA / (1 - LAMBDA) * share / freq(w))
        thesaurus, best = 0.0, ""
        if content and syns(w):
            # p_spin(w) / p(w) under a spinner that replaces a share R of the
            # words by a synonym drawn uniformly from the word's synonyms.
            shares = {u: freq(_inflect(u, w)) / max(len(syns(u)), 1) for u in syns(w)}
            best = _likely_original(w, lex, freq) or max(shares, key=lambda u: (shares[u], u))
            ratio = (1 - REPLACE) + REPLACE * sum(shares.values()) / freq(w)
            thesaurus = min(THESAURUS_CAP, math.log(ratio))
        fgap = 0.0
        alts = [s for s in lex.function_synonyms(w) if s.isalpha()]
        if alts and zipf(w) < FUNCTION_ZIPF:
            top = max(alts, key=lambda s: (zipf(s), s))
            fgap = max(0.0, zipf(top) - zipf(w))
            if fgap > 0.5:
                best = top
        if spinner == 0.0 and abs(thesaurus) < 0.005 and fgap == 0.0:
            continue
        replaces = best_original.get(w, best)
        lines.append(f"{w}\t{spinner:.3f}\t{thesaurus:.2f}\t{fgap:.2f}\t{replaces}\n")
        if content and not w.endswith("s"):
            possessive = f"{w}'s"
            lines.append(
                f"{possessive}\t{spinner:.3f}\t{thesaurus:.2f}\t{fgap:.2f}\t{replaces}'s\n"
            )
    phrases: dict[str, tuple[str, int, str]] = {}
    for tw, _, expected, papers in rows:
        if 2 <= len(tw) <= MAX_PHRASE:
            key = " ".join(tw)
            if key not in phrases or phrases[key][1] < papers:
                phrases[key] = (expected, papers, "tortured")
    for key, replaces in read_web_phrases(WEB_PHRASES):
        phrases[key] = (replaces, 0, "web")
    args.output_dir.mkdir(parents=True, exist_ok=True)
    _write(args.output_dir / "inspect_words.tsv.gz", HEADER_WORDS + "".join(lines))
    _write(
        args.output_dir / "inspect_phrases.tsv.gz",
        HEADER_PHRASES
        + "".join(f"{k}\t{e}\t{n}\t{src}\n" for k, (e, n, src) in sorted(phrases.items())),
    )
    print(f"{len(lines)} words, {len(phrases)} phrases -> {args.output_dir}")
    return 0


def _likely_original(w: str, lex: Lexicon, freq: Callable[[str], float]) -> str:
    """Return the commonest one-word lemma of the first sense of ``w`` commoner than ``w``."""
    for synset in lex.synsets(w):
        lemmas = [
            u
            for u in lex.lemmas(synset)
            if u.isalpha() and not w.startswith(u) and freq(u) > freq(w)
        ]
        if lemmas:
            return max(lemmas, key=lambda u: (freq(u), u))
    return ""


def _inflect(base: str, like: str) -> str:
    """Return ``base`` with the plural ``-s`` of ``like`` when ``like`` is a plural of a lemma."""
    if like.endswith("s") and not like.endswith("ss") and not base.endswith("s"):
        return base + "s"
    return base


def _write(path: Path, text: str) -> None:
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))


if __name__ == "__main__":
    raise SystemExit(main())
