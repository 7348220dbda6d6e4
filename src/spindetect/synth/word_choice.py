"""What the spinner may put in place of a word or a phrase.

:class:`SynonymChoice` turns a synonym source (the WordNet lexicon by default,
or any callable or mapping) into the cached list of replacements of one word
form: lemmas of at most three words, letters only, not the word itself, not
vulgar, re-inflected like the word (:mod:`spindetect.synth.inflection`).
:data:`PHRASE_TABLE` holds the function-word phrases a spinner swaps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from spindetect.exceptions import InvalidParameterError
from spindetect.synth.inflection import inflect_phrase, inflection

__all__ = ["PHRASE_TABLE", "SynonymChoice", "SynonymSource"]

#: A synonym source: a callable ``synonyms(word) -> sequence of lemmas`` or a mapping.
SynonymSource = Callable[[str], Sequence[str]] | Mapping[str, Sequence[str]]

#: Function-word phrases and their spinner alternatives (token forms, lower case).
PHRASE_TABLE: dict[tuple[str, ...], tuple[str, ...]] = {
    ("as", "well", "as"): ("in addition to", "along with"),
    ("in", "addition", "to"): ("as well as", "along with"),
    ("along", "with"): ("together with", "as well as"),
    ("lots", "of"): ("numerous", "plenty of", "a great deal of"),
    ("a", "lot", "of"): ("a great deal of", "lots of", "plenty of"),
    ("each", "other"): ("one another",),
    ("one", "another"): ("each other",),
    ("however",): ("but", "nonetheless", "nevertheless"),
    ("but",): ("however", "yet"),
    ("also",): ("additionally", "likewise", "even"),
    ("among",): ("amongst", "amid"),
    ("amongst",): ("among",),
    ("through",): ("via", "by means of"),
    ("via",): ("through",),
    ("because",): ("since", "as"),
    ("for", "example"): ("for instance",),
    ("for", "instance"): ("for example",),
    ("such", "as"): ("like", "including"),
    ("a", "few"): ("a couple of", "several"),
    ("in", "order", "to"): ("so as to", "to"),
    ("so", "that"): ("to make sure that", "in order that"),
    ("although",): ("though", "even though"),
    ("therefore",): ("consequently", "thus", "hence"),
    ("thus",): ("hence", "therefore"),
    ("while",): ("whereas",),
    ("during",): ("amid", "throughout", "over the course of"),
    ("until",): ("till", "up until"),
    ("often",): ("frequently", "commonly"),
    ("many",): ("numerous", "several", "a lot of"),
    ("very",): ("extremely", "really"),
    ("who",): ("that",),
    ("in", "spite", "of"): ("despite",),
    ("despite",): ("in spite of",),
    ("about",): ("regarding", "concerning"),
    ("before",): ("prior to",),
    ("after",): ("following",),
    ("almost",): ("nearly",),
    ("within",): ("inside",),
}
_MAX_SYNONYM_WORDS = 3
# Vulgar lemmas a sense-agnostic pick would otherwise put into generated corpora.
_BLOCKED = frozenset(
    "shit crap fuck fucking piss ass arse cunt cock prick bitch bastard dick tit tits "
    "whore slut nigger nigga twat wanker bollocks pussy bugger faggot".split()
)


class SynonymChoice:
    """The replacements of word forms from one synonym source, cached per form.

    Parameters
    ----------
    synonyms : callable or mapping, optional
        ``synonyms(word) -> sequence of lemmas`` or a mapping from lower-case
        words to lemmas; default the WordNet lexicon, per part of speech.
    bases : callable, optional
        ``bases(word) -> base forms`` used to re-inflect synonyms.
    """

    def __init__(
        self,
        synonyms: SynonymSource | None = None,
        *,
        bases: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self._bases: Callable[[str], Sequence[str]] | None = bases
        self._pos_aware = synonyms is None and bases is None
        if synonyms is None:
            from spindetect.pairwise import lexicon

            self._lookup: Callable[[str], Sequence[str]] = lexicon.synonyms
        elif isinstance(synonyms, Mapping):
            table = synonyms
            self._lookup = lambda word: table.get(word, ())
        elif callable(synonyms):
            self._lookup = synonyms
        else:
            msg = f"synonyms must be a callable or a mapping, got {type(synonyms).__name__}"
            raise InvalidParameterError(msg)
        self.cache: dict[str, tuple[str, ...]] = {}

    def candidates(self, form: str) -> tuple[str, ...]:
        """Return the replacements the spinner may use for the lower-case word ``form``.

        Lemmas equal to the word (ignoring case, spaces and hyphens), lemmas of
        more than three words and lemmas with characters other than letters,
        spaces, hyphens and apostrophes are dropped. When ``form`` is a
        regularly inflected form (``battles``) of one of its base forms
        (``bases(form)``, or else of a lemma in the list), the synonyms are
        inflected the same way (``struggles``). With the default lexicon this
        is done per part of speech: a plural noun inflects the last word of a
        multiword synonym, a verb its first word (``goes through``).
        """
        cached = self.cache.get(form)
        if cached is not None:
            return cached
        out: list[str] = []
        seen: set[str] = {_squash(form)}
        for pos, lemmas, bases in self._groups(form):
            kind, stem = inflection(form, bases, pos)
            if stem is not None:
                seen.add(_squash(stem))
            for lemma in lemmas:
                words = lemma.split()
                if not words or len(words) > _MAX_SYNONYM_WORDS or not _usable(lemma):
                    continue
                key = _squash(lemma)
                if key in seen:
                    continue
                seen.add(key)
                if kind is None:
                    out.append(" ".join(words))
                else:
                    last = kind == "s" and pos != "v"
                    out.append(inflect_phrase(words, kind, last=last))
        result = tuple(out)
        self.cache[form] = result
        return result

    def _groups(self, form: str) -> list[tuple[str | None, Sequence[str], frozenset[str]]]:
        """Return ``(part of speech or None, lemmas, base forms)`` groups for ``form``."""
        if self._pos_aware:
            from spindetect.pairwise.lexicon import Lexicon

            lexicon = Lexicon.default()
            groups: list[tuple[str | None, Sequence[str], frozenset[str]]] = []
            for pos in ("n", "v", "a", "r"):
                lemmas = lexicon.synonyms(form, pos=pos)
                if lemmas:
                    bases = frozenset(b.replace("_", " ") for b in lexicon.morphy(form, pos))
                    groups.append((pos, lemmas, bases))
            return groups
        lemmas = tuple(self._lookup(form))
        if self._bases is not None:
            bases = frozenset(b.lower().replace("_", " ") for b in self._bases(form))
        else:
            bases = frozenset(lemma.lower() for lemma in lemmas)
        return [(None, lemmas, bases)]


def _squash(word: str) -> str:
    return word.lower().replace(" ", "").replace("-", "").replace("_", "")


def _usable(lemma: str) -> bool:
    return (
        lemma[0].isalpha()
        and all(ch.isalpha() or ch in " -'" for ch in lemma)
        and not any(word in _BLOCKED for word in lemma.lower().split())
    )
