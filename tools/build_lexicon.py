#!/usr/bin/env python3
"""Build spindetect's compact WordNet table from a WNDB directory.

Reads the WordNet 3.0 database files (``data.*``, ``index.*``, ``*.exc``) as
shipped by Debian's ``wordnet-base`` package in ``/usr/share/wordnet`` and
writes a gzip-compressed JSON table (with the WordNet licence as ``#`` header
lines) for :mod:`spindetect.lexicon`. No nltk is needed, and the output is
byte-for-byte reproducible (sorted keys, gzip ``mtime=0``, no file name).

What the table holds
--------------------
``synsets``
    One string per synset, in running-id order (noun, verb, adjective, adverb
    files, each in file order): its lemmas, lowercased, adjective markers such
    as ``(p)`` removed, multiword lemmas joined by ``_``, separated by spaces.
``links``
    One string per synset: the ids of the synsets one relation hop away, each
    undirected edge stored once, on its smaller id. Kinds kept: hypernym and
    instance hypernym (hyponyms are their reverse), similar-to, also-see and
    verb-group, synset-level pointers only (as nltk's ``Synset`` methods).
``index``
    Per part of speech (``n``, ``v``, ``a``, ``r``), lemma key -> space-separated
    synset ids in sense order, from ``index.*``. A key is the lemma with ``-``
    mapped to ``_``, so ``risk-free`` and ``risk free`` meet.
``exceptions``
    Per part of speech, inflected form -> the result of WordNet's morphy for it
    (space-separated keys, possibly empty), kept only where the exception list
    changes the result of the detachment rules (``is`` -> ``is`` blocks the
    rule hit ``is`` -> ``i``; ``geese`` -> ``goose``).

Usage::

    python tools/build_lexicon.py [--wordnet-dir /usr/share/wordnet]
                                  [--output src/spindetect/data/wordnet.json.gz]

Next to the output it also writes ``LICENSE-WordNet`` and
``wordnet.provenance.json`` (source package and version, sha256 of every input
file and of the output).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from spindetect.pairwise.lexicon_tables import MORPHY_RULES  # the reader's own rules: one copy

FORMAT = "spindetect-wordnet/1"
POS_FILES = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))
# Pointer symbols kept as one-hop links (the reverse kinds ~ and ~i are implied).
LINK_SYMBOLS = frozenset({"@", "@i", "&", "^", "$"})
_ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")
_DEFAULT_DIR = Path("/usr/share/wordnet")
_DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/spindetect/data/wordnet.json.gz"


class BuildError(Exception):
    """The WNDB input is missing or inconsistent."""


def lemma_key(lemma: str) -> str:
    """Return the lookup key of a lemma: lowercase, ``-`` and space mapped to ``_``."""
    return lemma.lower().replace("-", "_").replace(" ", "_")


def _data_lines(path: Path) -> Iterable[str]:
    with path.open("r", encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if not line.startswith("  "):  # the licence header lines start with two spaces
                yield line


def read_licence(wordnet_dir: Path) -> list[str]:
    """Return the licence notice from the header of ``data.noun`` (one string per line)."""
    lines = []
    with (wordnet_dir / "data.noun").open("r", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("  "):
                break
            text = line.rstrip("\n").rstrip()
            match = re.match(r"\s+\d+ ?(.*)$", text)
            if match is None:
                raise BuildError(f"unexpected licence header line in data.noun: {line!r}")
            lines.append(match.group(1).rstrip())
    if not any("WordNet 3.0 Copyright" in line for line in lines):
        raise BuildError("data.noun does not carry the WordNet 3.0 licence notice")
    return lines


def read_data(
    wordnet_dir: Path,
) -> tuple[dict[tuple[str, int], int], list[list[str]], list[set[int]]]:
    """Parse ``data.*``: return the id map, per-synset lemma lists and undirected link sets.

    Running ids follow the order noun, verb, adjective, adverb, each file in order.
    """
    ids: dict[tuple[str, int], int] = {}
    lemmas: list[list[str]] = []
    raw_links: list[list[tuple[str, int]]] = []
    for pos, name in POS_FILES:
        for line in _data_lines(wordnet_dir / f"data.{name}"):
            fields = line.split(" ")
            offset = int(fields[0])
            n_words = int(fields[3], 16)
            words: list[str] = []
            for k in range(n_words):
                word = _ADJ_MARKER.sub("", fields[4 + 2 * k]).lower()
                if word not in words:
                    words.append(word)
            i = 4 + 2 * n_words
            n_pointers = int(fields[i])
            pointers = []
            for k in range(n_pointers):
                symbol, target, target_pos, source_target = fields[i + 1 + 4 * k : i + 5 + 4 * k]
                if symbol in LINK_SYMBOLS and source_target == "0000":
                    pointers.append(("a" if target_pos == "s" else target_pos, int(target)))
            ids[(pos, offset)] = len(lemmas)
            lemmas.append(words)
            raw_links.append(pointers)
    links: list[set[int]] = [set() for _ in lemmas]
    for source, pointers in enumerate(raw_links):
        for target_pos, target_offset in pointers:
            target = ids.get((target_pos, target_offset))
            if target is None:
                raise BuildError(f"pointer to missing synset {target_pos} {target_offset}")
            if target != source:
                low, high = min(source, target), max(source, target)
                links[low].add(high)
    return ids, lemmas, links


def read_index(
    wordnet_dir: Path, ids: dict[tuple[str, int], int]
) -> dict[str, dict[str, list[int]]]:
    """Parse ``index.*``: per POS, lemma key -> synset ids in sense order."""
    index: dict[str, dict[str, list[int]]] = {}
    for pos, name in POS_FILES:
        table: dict[str, list[int]] = {}
        for line in _data_lines(wordnet_dir / f"index.{name}"):
            fields = line.split()
            n_synsets = int(fields[2])
            offsets = fields[len(fields) - n_synsets :]
            key = lemma_key(fields[0])
            entry = table.setdefault(key, [])
            for offset in offsets:
                synset = ids[(pos, int(offset))]
                if synset not in entry:
                    entry.append(synset)
        index[pos] = table
    return index


def read_exceptions(wordnet_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Parse ``*.exc``: per POS, inflected key -> base keys, in file order.

    A form listed on two lines keeps the last one, as nltk's reader does.
    """
    result: dict[str, dict[str, list[str]]] = {}
    for pos, name in POS_FILES:
        table: dict[str, list[str]] = {}
        for line in _data_lines(wordnet_dir / f"{name}.exc"):
            fields = line.split()
            if len(fields) < 2:
                continue
            # A form listed twice (adj ``offer``) keeps its last line, as nltk does.
            bases: list[str] = []
            for base in fields[1:]:
                if lemma_key(base) not in bases:
                    bases.append(lemma_key(base))
            table[lemma_key(fields[0])] = bases
        result[pos] = table
    return result


def _filter(forms: Iterable[str], table: dict[str, list[int]]) -> list[str]:
    out: list[str] = []
    for form in forms:
        if form in table and form not in out:
            out.append(form)
    return out


def rule_morphy(form: str, pos: str, table: dict[str, list[int]]) -> list[str]:
    """Morphy without exception lists: the form itself plus one round of detachment rules."""
    candidates = [form] + [
        form[: -len(old)] + new for old, new in MORPHY_RULES[pos] if form.endswith(old)
    ]
    return _filter(candidates, table)


def resolve_exceptions(
    exceptions: dict[str, dict[str, list[str]]], index: dict[str, dict[str, list[int]]]
) -> dict[str, dict[str, str]]:
    """Keep the exception entries that change morphy's answer, resolved to table keys."""
    out: dict[str, dict[str, str]] = {}
    for pos, table in exceptions.items():
        kept: dict[str, str] = {}
        for form, bases in table.items():
            with_exc = _filter([form, *bases], index[pos])
            if with_exc != rule_morphy(form, pos, index[pos]):
                kept[form] = " ".join(with_exc)
        out[pos] = kept
    return out


def check_consistency(lemmas: list[list[str]], index: dict[str, dict[str, list[int]]]) -> None:
    """Raise unless every index entry points at synsets that hold the lemma and vice versa."""
    for table in index.values():
        for key, synsets in table.items():
            for synset in synsets:
                if key not in {lemma_key(w) for w in lemmas[synset]}:
                    raise BuildError(f"index lemma {key!r} missing from synset {synset}")
    for synset, words in enumerate(lemmas):
        for word in words:
            key = lemma_key(word)
            if not any(synset in table.get(key, ()) for table in index.values()):
                raise BuildError(f"lemma {word!r} of synset {synset} missing from the index")


def split_senses(
    lemmas: list[list[str]], index: dict[str, dict[str, list[int]]], ranges: dict[str, list[int]]
) -> dict[str, dict[str, str]]:
    """Return the sense lists the reader cannot rebuild from ``synsets`` alone.

    The reader maps every lemma key of a POS to the (last) synset holding it; that
    is the whole index for keys with one synset. Keys with several synsets in a
    POS keep their ids here, in WordNet's sense order.
    """
    senses: dict[str, dict[str, str]] = {}
    for pos, table in index.items():
        lo, hi = ranges[pos]
        rebuilt: dict[str, int] = {}
        for synset in range(lo, hi):
            for word in lemmas[synset]:
                rebuilt[lemma_key(word)] = synset
        if set(rebuilt) != set(table):
            raise BuildError(f"POS {pos}: synset lemmas and index keys differ")
        kept: dict[str, str] = {}
        for key in sorted(table):
            ids = table[key]
            if len(ids) > 1:
                kept[key] = " ".join(str(s) for s in ids)
            elif ids != [rebuilt[key]]:
                raise BuildError(f"POS {pos}: key {key!r} rebuilt wrongly")
        senses[pos] = kept
    return senses


def build_table(wordnet_dir: Path) -> bytes:
    """Return the gzip-compressed table built from ``wordnet_dir``."""
    licence = read_licence(wordnet_dir)
    ids, lemmas, links = read_data(wordnet_dir)
    index = read_index(wordnet_dir, ids)
    check_consistency(lemmas, index)
    ranges: dict[str, list[int]] = {}
    for (pos, _), synset in ids.items():
        lo, hi = ranges.get(pos, [synset, synset + 1])
        ranges[pos] = [min(lo, synset), max(hi, synset + 1)]
    for word in (w for words in lemmas for w in words):
        if " " in word or not word:
            raise BuildError(f"lemma {word!r} cannot be stored space-separated")
    exceptions = resolve_exceptions(read_exceptions(wordnet_dir), index)
    document = {
        "format": FORMAT,
        "wordnet": "3.0",
        "ranges": ranges,
        "synsets": [" ".join(words) for words in lemmas],
        # Link targets as positive offsets from the synset's own id (smaller, so
        # they compress better); each undirected edge is stored once.
        "links": [
            " ".join(str(t - synset) for t in sorted(targets))
            for synset, targets in enumerate(links)
        ],
        "senses": split_senses(lemmas, index, ranges),
        "exceptions": {pos: dict(sorted(table.items())) for pos, table in exceptions.items()},
    }
    header = [
        f"spindetect WordNet table (format {FORMAT}), derived from WordNet 3.0.",
        "Built by tools/build_lexicon.py; the lines below are WordNet's licence notice.",
        "",
        *licence,
    ]
    text = "".join(f"# {line}".rstrip() + "\n" for line in header)
    text += json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    text += "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as gz:
        gz.write(text.encode("ascii"))
    return buffer.getvalue()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _package_version(package: str) -> str:
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package],
            capture_output=True, text=True, check=False,
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 and result.stdout else "unknown"


def main(argv: list[str] | None = None) -> int:
    """Build the table and its side files; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet-dir", type=Path, default=_DEFAULT_DIR,
                        help="directory holding the WNDB files (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=_DEFAULT_OUTPUT,
                        help="table to write (default: %(default)s)")
    args = parser.parse_args(argv)
    wordnet_dir: Path = args.wordnet_dir
    output: Path = args.output
    inputs = [f"{kind}.{name}" for kind in ("data", "index") for _, name in POS_FILES]
    inputs += [f"{name}.exc" for _, name in POS_FILES]
    missing = [name for name in inputs if not (wordnet_dir / name).is_file()]
    if missing:
        print(f"build_lexicon: {wordnet_dir}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        data = build_table(wordnet_dir)
    except BuildError as exc:
        print(f"build_lexicon: {exc}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    licence = read_licence(wordnet_dir)
    (output.parent / "LICENSE-WordNet").write_text(
        "The file wordnet.json.gz in this directory is derived from WordNet 3.0\n"
        "(Debian package wordnet-base) and is distributed under WordNet's licence:\n\n"
        + "".join(f"{line}\n" for line in licence),
        encoding="utf-8",
    )
    provenance = {
        "builder": "tools/build_lexicon.py",
        "format": FORMAT,
        "source": {
            "name": "WordNet 3.0",
            "package": "wordnet-base",
            "package_version": _package_version("wordnet-base"),
            "files": {name: _sha256(wordnet_dir / name) for name in inputs},
        },
        "output": {
            "file": output.name,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    }
    (output.parent / "wordnet.provenance.json").write_text(
        json.dumps(provenance, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {output} ({len(data):,} bytes, sha256 {provenance['output']['sha256'][:16]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
