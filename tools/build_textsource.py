"""Build ``corpora/source/wordnet_text.tsv.gz``: WordNet 3.0 sentences grouped by topic.

The synthetic-corpus generator (:mod:`spindetect.synth`) trains one word-level
Markov chain per topic on this file. Topics are WordNet's lexicographer files
(``noun.animal``, ``verb.motion``, ...). Two kinds of sentences are extracted
from the ``data.{noun,verb,adj,adv}`` files of a WNDB directory (Debian's
``wordnet-base`` installs one in ``/usr/share/wordnet``):

* ``e``: the quoted example sentences of a synset's gloss, e.g. ``"I can
  breathe better when the air is clean"``, capitalised and given a full stop;
* ``g``: noun and verb definitions turned into sentences, ``"A dog is a member
  of the genus Canis."`` and ``"To breathe is to draw air into, and expel out
  of, the lungs."``, at most ``--max-glosses`` per topic (the first ones in file
  order, with a few templates in turn: ``"A dainty can be described as
  something considered choice to eat."``, ``"When you breathe, you draw air
  into, and expel out of, the lungs."``) so that the file stays near 1.4 MB.
  Parenthesised asides are removed and sentences with unbalanced brackets or
  quotes are dropped.

Output: UTF-8 TSV ``topic<TAB>kind<TAB>sentence``, sorted by lexicographer file
number then file order, preceded by the WordNet 3.0 licence as ``#`` lines, and
gzip-compressed deterministically (mtime 0, no file name), so two builds from
the same input give the same bytes.

Usage::

    python tools/build_textsource.py [--wordnet /usr/share/wordnet]
        [--out corpora/source/wordnet_text.tsv.gz] [--max-glosses 1200]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

#: WordNet 3.0 lexicographer file names, by number (lexnames(5WN); Debian ships no lexnames file).
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()

LICENSE = """\
This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license.  By obtaining, using
and/or copying this software and database, you agree that you have
read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and
database and its documentation for any purpose and without fee or
royalty is hereby granted, provided that you agree to comply with
the following copyright notice and statements, including the disclaimer,
and that the same appear on ALL copies of the software, database and
documentation, including modifications that you make for internal
use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in
advertising or publicity pertaining to distribution of the software
and/or database.  Title to copyright in this software, database and
any associated documentation shall at all times remain with
Princeton University and LICENSEE agrees to preserve same.
"""

_EXAMPLE = re.compile(r'"([^"]+)"')
_PAREN = re.compile(r"\s*\([^()]*\)")
_NOUN_TEMPLATES = (
    "{a} is {g}", "{g} is called {a}", "{a} can be described as {g}",
    "put simply, {a} is {g}", "{a} is usually defined as {g}",
)
_VERB_TEMPLATES = (
    "to {v} is to {g}", "when you {v}, you {g}", "to {v} means to {g}", "if you {v}, you {g}",
)
_SPACES = re.compile(r"\s+")
_MIN_WORDS = 4


def _clean(sentence: str) -> str | None:
    """Return a tidy sentence (capitalised, final punctuation) or None.

    Parenthesised asides are removed; sentences that are too short or keep an
    unbalanced bracket or quote are dropped.
    """
    text = _PAREN.sub("", sentence.replace("`", "'").replace("''", "'"))
    text = _SPACES.sub(" ", text).replace(" ,", ",").strip(" ;,:-")
    if len(text.split()) < _MIN_WORDS or any(ch in text for ch in "\t()[]\""):
        return None
    text = text[0].upper() + text[1:]
    if text[-1] not in ".?!":
        text += "."
    return text


def _gloss_sentence(pos: str, lemma: str, gloss: str, number: int) -> str | None:
    """Turn a noun or verb definition into a declarative sentence.

    The template cycles with ``number`` (the definition's running number in
    its topic), so that not every sentence reads "A x is ...".
    """
    gloss = _PAREN.sub("", gloss).strip()
    if not gloss or len(gloss.split()) < 3:
        return None
    lemma = lemma.replace("_", " ")
    if pos == "n":
        if lemma[0].isupper():
            subject = lemma
        else:
            subject = ("an " if lemma[0] in "aeiou" else "a ") + lemma
        template = _NOUN_TEMPLATES[number % len(_NOUN_TEMPLATES)]
        return _clean(template.format(a=subject, g=gloss))
    if pos == "v":
        gloss = gloss[3:] if gloss.startswith("to ") else gloss
        template = _VERB_TEMPLATES[number % len(_VERB_TEMPLATES)]
        return _clean(template.format(v=lemma, g=gloss))
    return None


def iter_sentences(
    wordnet: Path, *, max_glosses: int
) -> Iterator[tuple[int, str, str]]:
    """Yield ``(lexfile number, kind, sentence)`` from the WNDB data files."""
    gloss_counts: dict[int, int] = {}
    for pos_name in ("noun", "verb", "adj", "adv"):
        path = wordnet / f"data.{pos_name}"
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("  "):  # licence header of the data file
                    continue
                head, _, gloss_field = line.partition(" | ")
                fields = head.split()
                lexfile = int(fields[1])
                pos = fields[2]
                lemma = fields[4]
                examples = _EXAMPLE.findall(gloss_field)
                definition = gloss_field.split('"', 1)[0].split(";", 1)[0].strip()
                if pos in "nv" and gloss_counts.get(lexfile, 0) < max_glosses:
                    number = gloss_counts.get(lexfile, 0)
                    sentence = _gloss_sentence(pos, lemma, definition, number)
                    if sentence is not None:
                        gloss_counts[lexfile] = gloss_counts.get(lexfile, 0) + 1
                        yield lexfile, "g", sentence
                for example in examples:
                    sentence = _clean(example)
                    if sentence is not None:
                        yield lexfile, "e", sentence


def build(wordnet: Path, *, max_glosses: int) -> bytes:
    """Return the gzip bytes of the text source."""
    rows = sorted(
        ((lexfile, order, kind, sentence)
         for order, (lexfile, kind, sentence) in enumerate(
             iter_sentences(wordnet, max_glosses=max_glosses))),
    )
    out = io.StringIO()
    out.write("# spindetect text source: WordNet 3.0 example sentences and definitions by topic\n")
    out.write("# columns: topic<TAB>kind (e = example sentence, g = definition sentence)"
              "<TAB>text\n")
    out.write("# built by tools/build_textsource.py from Debian wordnet-base (WordNet 3.0)\n")
    out.write("#\n")
    for line in LICENSE.splitlines():
        out.write(f"# {line}".rstrip() + "\n")
    out.write("#\n")
    for lexfile, _order, kind, sentence in rows:
        out.write(f"{LEXNAMES[lexfile]}\t{kind}\t{sentence}\n")
    raw = out.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=Path("corpora/source/wordnet_text.tsv.gz"))
    parser.add_argument("--max-glosses", type=int, default=1200,
                        help="definition sentences kept per topic (default 1200)")
    args = parser.parse_args(argv)
    if not (args.wordnet / "data.noun").is_file():
        print(f"error: no WordNet data files in {args.wordnet} "
              "(apt-get install --no-install-recommends wordnet-base)", file=sys.stderr)
        return 2
    data = build(args.wordnet, max_glosses=args.max_glosses)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    (args.out.parent / "LICENSE-WordNet").write_text(LICENSE, encoding="utf-8")
    print(f"{args.out}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
