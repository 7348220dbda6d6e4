"""The bundled tables behind the lexicon: WordNet, function-word groups, spinner swaps.

Reads, validates and caches the three data files in ``spindetect/data/``:
the WordNet table (``wordnet.json.gz``, built by ``tools/build_lexicon.py``),
the function-word groups (``function_synonyms.tsv``) and the spinner-phrase
table (``spinner_phrases.tsv.gz``, built by ``tools/build_spinner_phrases.py``
from the MIT-licensed *tortured phrases* list). Also holds WordNet's morphy
detachment rules, which the table builder and the reader share. Every failure
to read a table is an :class:`~spindetect.exceptions.IndexFormatError`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Container, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spindetect.exceptions import IndexFormatError

__all__ = [
    "FORMAT",
    "MORPHY_RULES",
    "POS_TAGS",
    "RULE_ENDINGS",
    "morphy_bases",
    "morphy_variants",
    "read_function_groups",
    "read_wordnet_table",
    "spinner_partners",
]

FORMAT = "spindetect-wordnet/1"
POS_TAGS: tuple[str, ...] = ("n", "v", "a", "r")

# WordNet's detachment rules, as nltk's MORPHOLOGICAL_SUBSTITUTIONS.
MORPHY_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "n": (
        ("s", ""),
        ("ses", "s"),
        ("ves", "f"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "v": (
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
# Last letters that can start a rule match, to skip the rule loop quickly.
RULE_ENDINGS = {pos: frozenset(old[-1] for old, _ in rules) for pos, rules in MORPHY_RULES.items()}


def morphy_bases(
    key: str, exceptions: Mapping[str, str], table: Container[str], pos: str
) -> list[str]:
    """Return morphy's table-checked base forms of ``key`` as part of speech ``pos``.

    An entry of the exception list wins; otherwise ``key`` itself and each
    candidate of one detachment rule (:data:`MORPHY_RULES`) are kept when
    ``table`` holds them, in rule order.
    """
    exception = exceptions.get(key)
    if exception is not None:
        return exception.split()
    found = [key] if key in table else []
    if key[-1:] in RULE_ENDINGS[pos]:
        for old, new in MORPHY_RULES[pos]:
            if key.endswith(old):
                candidate = key[: len(key) - len(old)] + new
                if candidate in table and candidate not in found:
                    found.append(candidate)
    return found


def morphy_variants(word: str, exceptions: Mapping[str, str], pos: str) -> list[str]:
    """Return the unchecked base candidates of one word of a multiword unit."""
    exception = exceptions.get(word)
    variants = [word] if exception is None else [word, *exception.split()]
    variants += [
        word[: len(word) - len(old)] + new
        for old, new in MORPHY_RULES[pos]
        if word.endswith(old) and len(word) > len(old)
    ]
    return variants


def read_wordnet_table(path: str | Path | None = None) -> dict[str, Any]:
    """Read and decode a WordNet table written by ``tools/build_lexicon.py``.

    Parameters
    ----------
    path : str or Path, optional
        The ``.json.gz`` table; default: the one bundled with spindetect.

    Returns
    -------
    dict
        The decoded table (its fields are checked by :class:`~spindetect.pairwise.lexicon.Lexicon`).

    Raises
    ------
    IndexFormatError
        If the file is missing, not gzip, not JSON or not an object.
    """
    if path is None:
        resource = resources.files("spindetect").joinpath("data", "wordnet.json.gz")
        source = str(resource)
        try:
            raw = resource.read_bytes()
        except OSError as exc:
            raise IndexFormatError(f"{source}: cannot read the lexicon table: {exc}") from exc
    else:
        source = str(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise IndexFormatError(f"{source}: cannot read the lexicon table: {exc}") from exc
    try:
        text = gzip.decompress(raw)
        start = 0
        while text.startswith(b"#", start):  # licence header
            start = text.index(b"\n", start) + 1
        document = json.loads(text[start:])
    except (OSError, EOFError, ValueError) as exc:
        raise IndexFormatError(f"{source}: not a lexicon table: {exc}") from exc
    if not isinstance(document, dict):
        raise IndexFormatError(f"{source}: not a lexicon table: top level is not an object")
    return document


def _iter_function_lines() -> Iterator[str]:
    text = (
        resources.files("spindetect")
        .joinpath("data", "function_synonyms.tsv")
        .read_text(encoding="utf-8")
    )
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line


@lru_cache(maxsize=1)
def spinner_partners() -> dict[str, frozenset[str]]:
    """Read the spinner-phrase table: each key's partners, both directions."""
    resource = resources.files("spindetect").joinpath("data", "spinner_phrases.tsv.gz")
    try:
        text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise IndexFormatError(f"{resource}: cannot read the spinner table: {exc}") from exc
    partners: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise IndexFormatError(f"{resource}: malformed line {line!r}")
        _, expected, spun, _ = fields
        partners.setdefault(expected, set()).add(spun)
        partners.setdefault(spun, set()).add(expected)
    return {k: frozenset(v) for k, v in partners.items()}


def read_function_groups() -> list[list[str]]:
    """Return the groups of interchangeable function words and phrases (two members or more)."""
    groups = []
    for line in _iter_function_lines():
        members = [m.strip() for m in line.split("\t") if m.strip()]
        if len(members) >= 2:
            groups.append(members)
    return groups
