"""An offline synonym lexicon: WordNet 3.0 plus a project-owned function-word table.

Article spinners replace words by thesaurus entries. This module tells how two
words (or short phrases) are related in WordNet, graded by how strongly the
relation points to a spinner's substitution rather than an ordinary edit (the
levels and weights are listed in :mod:`spindetect.pairwise.relations`).

The WordNet data is a compact table built by ``tools/build_lexicon.py`` from
Debian's ``wordnet-base`` and shipped in ``spindetect/data/wordnet.json.gz``;
neither nltk nor nltk_data is needed. The table is read lazily, on first use,
and every lookup is cached per word.

Words are looked up the way WordNet's *morphy* does it (as nltk 3.10): for each
part of speech, an inflected form listed in the exception lists maps to its
bases; otherwise one round of detachment rules (``-s``, ``-es``, ``-ies``,
``-ed``, ``-ing``, ``-er``, ``-est``, ...) proposes candidates, and every
candidate, and the word itself, is kept only if the table holds it.
Multiword units are joined with ``_``: ``"get in touch"``, ``"risk free"`` and
``"risk-free"`` all find the entry ``risk-free``. When a multiword form is not
found as a whole, its first and its last word are morphed in turn
(``"talked about"`` -> ``talk_about``, ``"support groups"`` -> ``support_group``).

The spinner-phrase table adds the swaps real spinners make that WordNet does
not link (``technology`` -> ``innovation``, ``analog`` -> ``simple``); the tables
are read by :mod:`spindetect.pairwise.lexicon_tables`.

:meth:`Lexicon.match_map` turns the relations into an alignment aid: it maps each
word of one text to a related word of the other, so that an aligner can count
synonyms as matches while aligning.

See ``docs/lexicon.md`` for the table layout, and the WordNet licence in
``spindetect/data/LICENSE-WordNet``.

Examples
--------
>>> relation("fulfill", "meet")
<Relation.SYNONYM: 'synonym'>
>>> relation("battles", "struggles").value
'synonym'
>>> relation("amongst", "among").value
'function-word'
>>> synonyms("comfy")
('comfortable',)
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from spindetect._validation import check_choice
from spindetect.exceptions import IndexFormatError
from spindetect.pairwise.lexicon_tables import (
    FORMAT,
    POS_TAGS,
    morphy_bases,
    morphy_variants,
    read_function_groups,
    read_wordnet_table,
    spinner_partners,
)
from spindetect.pairwise.relations import RELATION_WEIGHTS, Relation, word_key

__all__ = [
    "RELATION_WEIGHTS",
    "Lexicon",
    "Relation",
    "function_synonyms",
    "is_known",
    "relation",
    "synonyms",
    "word_key",
]

_POS_CHOICES = frozenset({None, "n", "v", "a", "s", "r"})
_CACHE_SIZE = 1 << 16

_DEFAULT_LOCK = threading.Lock()
_DEFAULT: Lexicon | None = None


class Lexicon:
    """A WordNet synonym table with morphy lookup and graded relations.

    Build one with :meth:`load` (a table file) or :meth:`default` (the bundled
    table, loaded once per process). All methods accept words or space- or
    hyphen-separated phrases, case-insensitively; per-word results are cached.

    Parameters
    ----------
    document : mapping
        The decoded table (see ``tools/build_lexicon.py``).
    function_groups : list of list of str
        Groups of interchangeable function words and phrases.

    Raises
    ------
    IndexFormatError
        If ``document`` is not a table of format ``spindetect-wordnet/1``.
    """

    def __init__(self, document: Mapping[str, Any], function_groups: list[list[str]]) -> None:
        try:
            if document.get("format") != FORMAT:
                msg = f"lexicon table format must be {FORMAT!r}, got {document.get('format')!r}"
                raise IndexFormatError(msg)
            self._lemmas: list[str] = document["synsets"]
            self._links: list[str] = document["links"]
            self._senses: dict[str, dict[str, str]] = document["senses"]
            self._exceptions: dict[str, dict[str, str]] = document["exceptions"]
            ranges: dict[str, list[int]] = document["ranges"]
            self._mono: dict[str, dict[str, int]] = {}
            for pos in POS_TAGS:
                lo, hi = ranges[pos]
                part = self._lemmas[lo:hi]
                counts = [lemmas.count(" ") + 1 for lemmas in part]
                keys = " ".join(part).replace("-", "_").split(" ")
                ids = chain.from_iterable(map(repeat, range(lo, hi), counts))
                self._mono[pos] = dict(zip(keys, ids, strict=False))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IndexFormatError(f"lexicon table is malformed: {exc!r}") from exc
        groups: dict[str, set[int]] = {}
        for number, group in enumerate(function_groups):
            for member in group:
                groups.setdefault(word_key(member), set()).add(number)
        self._function_groups = {key: frozenset(ids) for key, ids in groups.items()}
        self._function_members = [tuple(group) for group in function_groups]
        # Per-instance caches of the per-word helpers.
        self._bases = lru_cache(maxsize=_CACHE_SIZE)(self._bases_uncached)
        self._synset_set = lru_cache(maxsize=_CACHE_SIZE)(self._synset_set_uncached)
        self._linked = lru_cache(maxsize=_CACHE_SIZE)(self._linked_uncached)
        self._lemma_keys = lru_cache(maxsize=_CACHE_SIZE)(self._lemma_keys_uncached)
        self._base_set = lru_cache(maxsize=_CACHE_SIZE)(self._base_set_uncached)
        self._relation_keys = lru_cache(maxsize=4 * _CACHE_SIZE)(self._relation_uncached)
        self._synonyms = lru_cache(maxsize=_CACHE_SIZE)(self._synonyms_uncached)
        self._lookup_keys = lru_cache(maxsize=_CACHE_SIZE)(self._lookup_keys_uncached)
        self._spinner_keys = lru_cache(maxsize=_CACHE_SIZE)(self._spinner_keys_uncached)
        self._key = lru_cache(maxsize=_CACHE_SIZE)(word_key)
        self._indexed = lru_cache(maxsize=_CACHE_SIZE)(self._indexed_uncached)
        self._probes = lru_cache(maxsize=_CACHE_SIZE)(self._probes_uncached)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """Read a table written by ``tools/build_lexicon.py`` (default: the bundled one).

        ``path`` and the errors (:class:`IndexFormatError`) are those of
        :func:`~spindetect.pairwise.lexicon_tables.read_wordnet_table`.
        """
        return cls(read_wordnet_table(path), read_function_groups())

    @classmethod
    def default(cls) -> Lexicon:
        """Return the bundled lexicon, loading it on the first call only."""
        global _DEFAULT
        if _DEFAULT is None:
            with _DEFAULT_LOCK:
                if _DEFAULT is None:
                    _DEFAULT = cls.load()
        return _DEFAULT

    # ------------------------------------------------------------------ WordNet
    def __len__(self) -> int:
        """Return the number of synsets."""
        return len(self._lemmas)

    def morphy(self, word: str, pos: str) -> tuple[str, ...]:
        """Return the table keys WordNet's morphy finds for ``word`` as part of speech ``pos``.

        Parameters
        ----------
        word : str
            A word or phrase (any case; spaces or hyphens between words).
        pos : {'n', 'v', 'a', 's', 'r'}
            Part of speech (``'s'``, adjective satellite, is the same as ``'a'``).

        Returns
        -------
        tuple of str
            Base forms as keys (``_`` between words), most direct first; empty
            when the table has no entry.

        Examples
        --------
        >>> Lexicon.default().morphy("battles", "n")
        ('battle',)
        >>> Lexicon.default().morphy("is", "n")
        ()
        """
        _check_str("word", word)
        pos = "a" if check_choice("pos", pos, _POS_CHOICES - {None}) == "s" else pos
        return dict(self._bases(word_key(word))).get(pos, ())

    def _bases_uncached(self, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        out = []
        for pos in POS_TAGS:
            found = morphy_bases(key, self._exceptions[pos], self._mono[pos], pos) if key else []
            if not found and "_" in key:
                words = key.split("_")
                for index in (0, len(words) - 1):
                    for variant in morphy_variants(words[index], self._exceptions[pos], pos):
                        candidate = "_".join([*words[:index], variant, *words[index + 1 :]])
                        if candidate in self._mono[pos] and candidate not in found:
                            found.append(candidate)
            if found:
                out.append((pos, tuple(found)))
        return tuple(out)

    def _ids(self, key: str, pos: str) -> tuple[int, ...]:
        senses = self._senses[pos].get(key)
        if senses is not None:
            return tuple(int(s) for s in senses.split())
        single = self._mono[pos].get(key)
        return () if single is None else (single,)

    def synsets(self, word: str, *, pos: str | None = None) -> tuple[int, ...]:
        """Return the ids of the synsets of ``word`` after morphy, in sense order.

        Parameters
        ----------
        word : str
            A word or phrase.
        pos : {'n', 'v', 'a', 's', 'r'} or None, default=None
            Restrict to one part of speech; None tries noun, verb, adjective, adverb.

        Returns
        -------
        tuple of int
            Synset ids of this table (running numbers, not WordNet offsets).
        """
        _check_str("word", word)
        check_choice("pos", pos, _POS_CHOICES)
        wanted = None if pos is None else ("a" if pos == "s" else pos)
        out: list[int] = []
        for tag, bases in self._bases(word_key(word)):
            if wanted is None or tag == wanted:
                for base in bases:
                    out.extend(s for s in self._ids(base, tag) if s not in out)
        return tuple(out)

    def lemmas(self, synset: int) -> tuple[str, ...]:
        """Return the lemmas of synset ``synset``, lowercased, multiword ones with spaces."""
        return tuple(w.replace("_", " ") for w in self._lemmas[synset].split(" "))

    def _synset_set_uncached(self, key: str) -> frozenset[int]:
        return frozenset(
            s for tag, bases in self._bases(key) for base in bases for s in self._ids(base, tag)
        )

    def _linked_uncached(self, key: str) -> frozenset[int]:
        # Links are stored once per undirected edge, on the smaller id, as offsets.
        return frozenset(
            s + int(delta) for s in self._synset_set(key) for delta in self._links[s].split()
        )

    def _lemma_keys_uncached(self, key: str) -> frozenset[str]:
        return frozenset(
            lemma.replace("-", "_")
            for s in self._synset_set(key)
            for lemma in self._lemmas[s].split(" ")
        )

    def _base_set_uncached(self, key: str) -> frozenset[tuple[str, str]]:
        return frozenset((tag, base) for tag, found in self._bases(key) for base in found)

    def _synonyms_uncached(self, key: str, pos: str | None) -> tuple[str, ...]:
        bases = self._bases(key)
        excluded = {key, *(b for _, found in bases for b in found)}
        out: list[str] = []
        for tag, found in bases:
            if pos is not None and tag != pos:
                continue
            for base in found:
                for s in self._ids(base, tag):
                    for lemma in self._lemmas[s].split(" "):
                        lemma_key = lemma.replace("-", "_")
                        if lemma_key not in excluded:
                            excluded.add(lemma_key)
                            out.append(lemma.replace("_", " "))
        return tuple(out)

    def synonyms(self, word: str, *, pos: str | None = None) -> tuple[str, ...]:
        """Return the lemmas sharing a synset with any sense of ``word``.

        Sense-agnostic, like a spinner's thesaurus: every sense of every base
        form (after morphy) contributes. The word itself and its base forms are
        left out.

        Parameters
        ----------
        word : str
            A word or phrase.
        pos : {'n', 'v', 'a', 's', 'r'} or None, default=None
            Restrict to one part of speech.

        Returns
        -------
        tuple of str
            Lowercased lemmas, multiword ones with spaces, in sense order and then
            lemma order, without repeats; empty for unknown words.
        """
        _check_str("word", word)
        check_choice("pos", pos, _POS_CHOICES)
        wanted = None if pos is None else ("a" if pos == "s" else pos)
        return self._synonyms(word_key(word), wanted)

    def function_synonyms(self, word: str) -> tuple[str, ...]:
        """Return the other members of the function-word groups holding ``word``."""
        _check_str("word", word)
        key = word_key(word)
        out: list[str] = []
        for group in sorted(self._function_groups.get(key, ())):
            for member in self._function_members[group]:
                if word_key(member) != key and member not in out:
                    out.append(member)
        return tuple(out)

    def is_known(self, word: str) -> bool:
        """Return True if ``word`` has a WordNet synset or is in the function-word table."""
        _check_str("word", word)
        key = word_key(word)
        return bool(self._synset_set(key)) or key in self._function_groups

    # ---------------------------------------------------------------- relations
    def relation(self, a: str, b: str) -> Relation:
        """Return the strongest relation between two words or phrases.

        Levels are tried in the order SAME, SYNONYM, FUNCTION, HOP1, SPINNER,
        SYNONYM_OF_SYNONYM; the first that holds is returned. With synset sets
        :math:`S_a, S_b` (after morphy), forward links :math:`L(S)` (each
        undirected link is stored on one end) and lemma sets
        :math:`K(S) = \\bigcup_{s \\in S} \\mathrm{lemmas}(s)`:

        * SAME: equal keys, or a shared (part of speech, base form);
        * SYNONYM: :math:`S_a \\cap S_b \\neq \\emptyset`;
        * FUNCTION: a shared function-word group;
        * HOP1: :math:`L(S_a) \\cap S_b \\neq \\emptyset` or
          :math:`L(S_b) \\cap S_a \\neq \\emptyset`;
        * SPINNER: the spinner-phrase table pairs a's key (or a base form of it)
          with b's key or a base form (``technologies`` / ``innovation``);
        * SYNONYM_OF_SYNONYM: :math:`K(S_a) \\cap K(S_b) \\neq \\emptyset`: some lemma
          is a synonym of both (so a lemma of one's synsets shares a synset with
          the other).

        Each test is symmetric in ``a`` and ``b``, so the relation is too. An
        empty (or blank) word is related to nothing: the result is NONE.
        Results are cached per word and per pair.

        Parameters
        ----------
        a, b : str
            Words or phrases (any case; spaces or hyphens between words).

        Returns
        -------
        Relation

        Raises
        ------
        TypeError
            If ``a`` or ``b`` is not a str.

        Examples
        --------
        >>> lex = Lexicon.default()
        >>> [lex.relation("advantages", x).value for x in ("benefit", "advantage", "banana")]
        ['hop1', 'same', 'none']
        """
        _check_str("a", a)
        _check_str("b", b)
        ka, kb = word_key(a), word_key(b)
        return self._relation_keys(ka, kb) if ka <= kb else self._relation_keys(kb, ka)

    def _relation_uncached(self, ka: str, kb: str) -> Relation:
        if not ka or not kb:
            return Relation.NONE
        if ka == kb or not self._base_set(ka).isdisjoint(self._base_set(kb)):
            return Relation.SAME
        sa, sb = self._synset_set(ka), self._synset_set(kb)
        if not sa.isdisjoint(sb):
            return Relation.SYNONYM
        fa, fb = self._function_groups.get(ka), self._function_groups.get(kb)
        if fa is not None and fb is not None and not fa.isdisjoint(fb):
            return Relation.FUNCTION
        if (
            sa
            and sb
            and (not self._linked(ka).isdisjoint(sb) or not self._linked(kb).isdisjoint(sa))
        ):
            return Relation.HOP1
        if not self._spinner_keys(ka).isdisjoint(self._lookup_keys(kb)):
            return Relation.SPINNER
        if sa and sb and not self._lemma_keys(ka).isdisjoint(self._lemma_keys(kb)):
            return Relation.SYNONYM_OF_SYNONYM
        return Relation.NONE

    def _lookup_keys_uncached(self, key: str) -> frozenset[str]:
        return frozenset({key, *(base for _, base in self._base_set(key))})

    def _spinner_keys_uncached(self, key: str) -> frozenset[str]:
        partners = spinner_partners()
        found: set[str] = set()
        for k in self._lookup_keys(key):
            found |= partners.get(k, frozenset())
        return frozenset(found)

    def match_map(
        self,
        forms_a: Sequence[str],
        forms_b: Sequence[str],
        *,
        skip: Collection[str] = frozenset(),
        min_weight: float = 0.8,
    ) -> dict[str, tuple[str, Relation]]:
        """Map each word of b that a lacks to the most related word of a.

        A word ``y`` of b absent from a maps to the word ``x`` of a maximising
        ``(RELATION_WEIGHTS[relation(x, y)], count of x in a)`` among those whose
        relation has a weight of at least ``min_weight`` and is not SAME by
        spelling (SAME through morphy counts: ``patents`` / ``patent``). An
        aligner that gives ``y`` the code of ``x`` counts the pair as a match
        while aligning. Candidates come from inverted indexes of a's words by
        base form, synset, linked synset and spinner partner, so the cost grows
        with the vocabularies, not with their product.

        Parameters
        ----------
        forms_a, forms_b : sequence of str
            Normalised token forms of the two texts.
        skip : collection of str, default=frozenset()
            Forms never mapped nor mapped to (function words, numbers).
        min_weight : float, default=0.8
            Weakest relation weight that counts as a match (0.8 keeps synonym,
            function word, spinner and one hop; leaves out synonym of synonym).

        Returns
        -------
        dict
            ``{y: (x, relation)}``.

        Examples
        --------
        >>> m = Lexicon.default().match_map("deep learning models".split(),
        ...                                 "profound learning designs".split())
        >>> m["profound"][0], m["profound"][1].value
        ('deep', 'hop1')
        """
        counts_a: dict[str, int] = {}
        for form in forms_a:
            counts_a[form] = counts_a.get(form, 0) + 1
        index: dict[object, list[str]] = {}
        keys_a: dict[str, str] = {}
        for form in counts_a:
            if form in skip or len(form) < 2 or form.isdigit():
                continue
            key = keys_a[form] = self._key(form)
            for probe in self._indexed(key):
                found = index.get(probe)
                if found is None:
                    index[probe] = [form]
                else:
                    found.append(form)
        out: dict[str, tuple[str, Relation]] = {}
        for form in dict.fromkeys(forms_b):
            if form in counts_a or form in skip or len(form) < 2 or form.isdigit():
                continue
            key = self._key(form)
            candidates: set[str] = set()
            for probe in self._probes(key):
                found = index.get(probe)
                if found is not None:
                    candidates.update(found)
            best: tuple[float, int, str] | None = None
            best_relation = Relation.NONE
            for x in candidates:
                kx = keys_a[x]
                rel = self._relation_keys(kx, key) if kx <= key else self._relation_keys(key, kx)
                weight = 1.0 if rel is Relation.SAME else RELATION_WEIGHTS[rel]
                if weight < min_weight:
                    continue
                rank = (weight, counts_a[x], x)
                if best is None or rank > best:
                    best, best_relation = rank, rel
            if best is not None:
                out[form] = (best[2], best_relation)
        return out

    def _indexed_uncached(self, key: str) -> tuple[object, ...]:
        # Index entries of a word of the first text: base forms (str), synsets (int s),
        # linked synsets (int -s-1) and function-word groups ((group,)).
        return (
            *self._lookup_keys(key),
            *self._synset_set(key),
            *(-s - 1 for s in self._linked(key)),
            *((g,) for g in self._function_groups.get(key, ())),
        )

    def _probes_uncached(self, key: str) -> tuple[object, ...]:
        # Probes of a word of the second text against those entries: base forms and
        # spinner partners; synsets against synsets (synonym) and against linked
        # synsets (one hop); linked synsets against synsets (one hop, other direction).
        synsets = self._synset_set(key)
        return tuple(
            dict.fromkeys(
                (
                    *self._lookup_keys(key),
                    *self._spinner_keys(key),
                    *synsets,
                    *(-s - 1 for s in synsets),
                    *self._linked(key),
                    *((g,) for g in self._function_groups.get(key, ())),
                )
            )
        )

    def weight(self, a: str, b: str) -> float:
        """Return ``RELATION_WEIGHTS[self.relation(a, b)]``."""
        return RELATION_WEIGHTS[self.relation(a, b)]

    def cache_clear(self) -> None:
        """Empty the per-word caches (for benchmarks of uncached lookups)."""
        for cached in (
            self._bases,
            self._synset_set,
            self._linked,
            self._lemma_keys,
            self._base_set,
            self._synonyms,
            self._relation_keys,
            self._lookup_keys,
            self._spinner_keys,
            self._key,
            self._indexed,
            self._probes,
        ):
            cached.cache_clear()


def _check_str(name: str, value: object) -> None:
    if not isinstance(value, str):
        msg = f"{name} must be a str, got {type(value).__name__} {value!r}"
        raise TypeError(msg)


def relation(a: str, b: str) -> Relation:
    """Return the graded relation between two words or phrases (bundled lexicon).

    See :meth:`Lexicon.relation`.

    Examples
    --------
    >>> relation("get in touch", "connect").value
    'synonym'
    """
    return Lexicon.default().relation(a, b)


def synonyms(word: str, *, pos: str | None = None) -> tuple[str, ...]:
    """Return WordNet synonyms of ``word`` (bundled lexicon); see :meth:`Lexicon.synonyms`."""
    return Lexicon.default().synonyms(word, pos=pos)


def function_synonyms(word: str) -> tuple[str, ...]:
    """Return function-word alternatives of ``word``; see :meth:`Lexicon.function_synonyms`."""
    return Lexicon.default().function_synonyms(word)


def is_known(word: str) -> bool:
    """Return True if the bundled lexicon knows ``word``; see :meth:`Lexicon.is_known`."""
    return Lexicon.default().is_known(word)
