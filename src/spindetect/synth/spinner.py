"""A deterministic article spinner that records its own ground truth.

The spinner imitates what commercial "article spinners" (SpinBot and the
like) do to a text, so that detectors can be tested on labelled spun copies:

* **word substitution**: a share ``rate`` of the content words (words that are
  not in :data:`spindetect.stopwords.STOPWORDS`, consist of letters only and
  have at least three of them) is replaced by a synonym. The choice is
  *sense-agnostic*: any lemma that
  shares a synset with any sense of the word may be taken, multiword synonyms
  included, which gives the odd choices real spinners make ("rear admiral" ->
  "back naval commander"). Capitalisation is kept and a simple suffix rule
  re-inflects the synonym (``battles`` -> ``struggles``);
* **phrase swaps** from a small project-owned table (:data:`PHRASE_TABLE`):
  ``as well as`` / ``in addition to``, ``lots of`` / ``numerous``, ``each
  other`` / ``one another``, ``however`` / ``but``, ... each taken with
  probability ``rate``;
* **sentence reordering**: two adjacent sentences of one paragraph swap places
  with probability ``reorder``;
* **spam decoration**: a replaced title line, keyword phrases injected in the
  middle of a sentence (``"... have discovered mental health hotlines their
  lives ..."``) and a bare link;
* **mojibake**: a share ``mojibake`` of the untouched non-ASCII characters is
  written as its UTF-8 bytes decoded as cp1252 (``’`` -> ``â€™``), and a
  no-break space gets the ``Â`` that SpinBot output carries (``February\\xa020``
  -> ``FebruaryÂ\\xa020``).

The number of substituted words is fixed, not drawn: with ``n`` content words,
``round(rate * n)`` of them are covered (phrase swaps count for the content
words they cover), chosen uniformly among the words that have a synonym, so
that the achieved rate

.. math::

    r = \\frac{\\#\\{\\text{content words inside a substitution}\\}}
             {\\#\\{\\text{content words}\\}}

equals the requested one whenever enough words have synonyms. Everything is a
function of ``seed`` (independent ``random.Random`` streams per step, seeded
from strings, which Python hashes with SHA-512), so a result is reproducible
across processes and Python versions.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.substitutions import Substitution
from spindetect.synth.text_edits import (
    INSERT,
    SUB,
    TITLE,
    inside,
    match_case,
    ordered_segments,
    render,
    sample,
)
from spindetect.synth.word_choice import PHRASE_TABLE, SynonymChoice, SynonymSource
from spindetect.text.sentences import split_sentences
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import WORD_PATTERN

__all__ = [
    "PHRASE_TABLE",
    "SpinResult",
    "Spinner",
    "Substitution",
    "SynonymSource",
    "spin",
]


@dataclass(frozen=True, slots=True)
class SpinResult:
    """The spun text and the ground truth of how it was made.

    Attributes
    ----------
    text : str
        The spun text.
    substitutions : tuple of Substitution
        Word and phrase replacements, in the order of the original text:
        ``original == source[start:end]`` and
        ``replacement == text[spun_start:spun_end]`` (``relation`` is None).
    inserted : tuple of str
        Injected keyword phrases and links, in the order they were requested.
    inserted_spans : tuple of (int, int)
        ``(start, end)`` of each inserted string in ``text`` (same order).
    title : str or None
        The replacement title line, if one was given.
    rate_requested : float
        The ``rate`` asked for.
    rate_achieved : float
        Content words covered by substitutions / content words (0.0 with none).
    content_words : int
        Number of content words in the spun part of the original.
    sentence_swaps : int
        Number of adjacent-sentence swaps made.
    """

    text: str
    substitutions: tuple[Substitution, ...]
    inserted: tuple[str, ...]
    inserted_spans: tuple[tuple[int, int], ...]
    title: str | None
    rate_requested: float
    rate_achieved: float
    content_words: int
    sentence_swaps: int


class Spinner:
    """An article spinner bound to one synonym source, with cached candidate lists.

    Parameters
    ----------
    synonyms : callable or mapping, optional
        ``synonyms(word) -> sequence of lemmas`` (multiword lemmas with spaces)
        or a mapping from lower-case words to lemmas. Default: the WordNet
        lexicon :func:`spindetect.lexicon.synonyms`, imported on first use.
    bases : callable, optional
        ``bases(word) -> base forms`` used to re-inflect synonyms; default
        WordNet's morphy with the default lexicon, else the lemma list itself.
    phrase_table : mapping, optional
        Token-tuple -> alternatives table for phrase swaps; default :data:`PHRASE_TABLE`.

    See Also
    --------
    spin : the one-call function form.
    """

    def __init__(
        self,
        synonyms: SynonymSource | None = None,
        *,
        bases: Callable[[str], Sequence[str]] | None = None,
        phrase_table: Mapping[tuple[str, ...], Sequence[str]] | None = None,
    ) -> None:
        self._choice = SynonymChoice(synonyms, bases=bases)
        self._phrases = dict(PHRASE_TABLE if phrase_table is None else phrase_table)
        self._max_phrase = max((len(k) for k in self._phrases), default=0)
        self._first_words = frozenset(k[0] for k in self._phrases)

    def candidates(self, form: str) -> tuple[str, ...]:
        """Return the replacements the spinner may use for the lower-case word ``form``.

        The rules (which lemmas are dropped, how synonyms are inflected) are
        those of :meth:`spindetect.synth.word_choice.SynonymChoice.candidates`.
        """
        return self._choice.candidates(form)

    def spin(
        self,
        text: str,
        *,
        rate: float = 0.3,
        seed: int = 0,
        phrase_swaps: bool = True,
        reorder: float = 0.0,
        title: str | None = None,
        inject: Sequence[str] = (),
        link: str | None = None,
        mojibake: float = 0.0,
    ) -> SpinResult:
        """Spin ``text``; see :func:`spin` for the parameters."""
        if not isinstance(text, str):
            msg = f"text must be a str, got {type(text).__name__}"
            raise InvalidParameterError(msg)
        rate = check_float("rate", rate, low=0.0, high=1.0)
        seed = check_int("seed", seed)
        reorder = check_float("reorder", reorder, low=0.0, high=1.0)
        mojibake = check_float("mojibake", mojibake, low=0.0, high=1.0)
        if title is not None and (not isinstance(title, str) or "\n" in title):
            msg = f"title must be a single-line str or None, got {title!r}"
            raise InvalidParameterError(msg)
        if isinstance(inject, str):
            inject = (inject,)
        inserts = [*inject, *(() if link is None else (link,))]
        for item in inserts:
            if not isinstance(item, str) or not item.strip() or "\n" in item:
                msg = f"inject and link must be non-empty single-line strings, got {item!r}"
                raise InvalidParameterError(msg)

        # an edit is (start, end, kind, index, text); sorted, they apply in order
        edits: list[tuple[int, int, int, int, str]] = []
        body_start = 0
        if title is not None:
            newline = text.find("\n")
            body_start = len(text) if newline < 0 else newline
            edits.append((0, body_start, TITLE, 0, title))

        spans = [m.span() for m in WORD_PATTERN.finditer(text, body_start)]
        if "\u2019" in text:
            forms = [text[s:e].lower().replace("\u2019", "'") for s, e in spans]
        else:
            forms = [text[s:e].lower() for s, e in spans]
        is_content = [f not in STOPWORDS and f.isalpha() and len(f) > 2 for f in forms]
        n_content = sum(is_content)
        used = [False] * len(spans)
        phrase_of = [-1] * len(spans)  # index of the phrase swap covering a token
        covered = 0

        # 1. phrase swaps (the words of a phrase are separated by one space)
        if phrase_swaps and rate > 0.0 and self._phrases:
            rng = random.Random(f"spindetect.spin:{seed}:phrases")
            first_words = self._first_words
            free = 0
            for i in [i for i, f in enumerate(forms) if f in first_words]:
                if i < free:
                    continue
                match = self._match_phrase(text, spans, forms, i)
                if match and rng.random() < rate:
                    alternatives = self._phrases[tuple(forms[i : i + match])]
                    choice = alternatives[int(rng.random() * len(alternatives))]
                    start, end = spans[i][0], spans[i + match - 1][1]
                    edits.append((start, end, SUB, 0, match_case(text[start:end], choice)))
                    for j in range(i, i + match):
                        used[j] = True
                        phrase_of[j] = i
                        covered += is_content[j]
                    free = i + match

        # 2. word substitutions: exactly round(rate * n) content words in all
        target = round(rate * n_content) - covered
        if target > 0:
            candidates = self._choice.candidates
            cache = self._choice.cache
            todo = {f for f, c in zip(forms, is_content, strict=False) if c and f not in cache}
            for form in todo:
                candidates(form)
            eligible = [
                i for i, form in enumerate(forms) if is_content[i] and not used[i] and cache[form]
            ]
            rng = random.Random(f"spindetect.spin:{seed}:words")
            chosen = sample(rng, eligible, min(target, len(eligible)))
            for i in sorted(chosen):
                options = candidates(forms[i])
                choice = options[int(rng.random() * len(options))]
                start, end = spans[i]
                edits.append((start, end, SUB, 0, match_case(text[start:end], choice)))
                used[i] = True
                covered += 1

        # 3. injected phrases and link, after a word that has a word of the same
        #    sentence on either side and is not inside a phrase swap
        if inserts:
            rng = random.Random(f"spindetect.spin:{seed}:inject")

            def slot_ok(i: int) -> bool:
                return (
                    inside(text, spans[i - 1][1], spans[i][0])
                    and inside(text, spans[i][1], spans[i + 1][0])
                    and (phrase_of[i] < 0 or phrase_of[i] != phrase_of[i + 1])
                )

            for k, item in enumerate(inserts):
                pos = len(text)
                # rejection sampling of a slot; a full scan if that keeps failing
                for _ in range(32):
                    if len(spans) < 3:
                        break
                    i = 1 + int(rng.random() * (len(spans) - 2))
                    if slot_ok(i):
                        pos = spans[i][1]
                        break
                else:
                    slots = [i for i in range(1, len(spans) - 1) if slot_ok(i)]
                    if slots:
                        pos = spans[slots[int(rng.random() * len(slots))]][1]
                edits.append((pos, pos, INSERT, k, " " + item.strip()))

        # 4. order of the output: adjacent sentences of one line may swap
        sentences: list[tuple[int, int]] = []
        if reorder > 0.0:
            sentences = [s for s in split_sentences(text) if s[1] > body_start]
        segments, swaps = ordered_segments(text, sentences, body_start, reorder, seed)

        # 5. render
        edits.sort()
        spun, subs, ins_spans = render(text, edits, segments, len(inserts), mojibake, seed)
        return SpinResult(
            text=spun,
            substitutions=tuple(subs),
            inserted=tuple(item.strip() for item in inserts),
            inserted_spans=tuple(ins_spans),
            title=title,
            rate_requested=rate,
            rate_achieved=covered / n_content if n_content else 0.0,
            content_words=n_content,
            sentence_swaps=swaps,
        )

    def _match_phrase(
        self,
        text: str,
        spans: list[tuple[int, int]],
        forms: list[str],
        i: int,
    ) -> int:
        """Return the length of the longest table phrase starting at token ``i`` (0: none)."""
        for n in range(min(self._max_phrase, len(spans) - i), 0, -1):
            if tuple(forms[i : i + n]) not in self._phrases:
                continue
            if all(text[spans[j - 1][1] : spans[j][0]] == " " for j in range(i + 1, i + n)):
                return n
        return 0


def spin(
    text: str,
    *,
    rate: float = 0.3,
    seed: int = 0,
    synonyms: SynonymSource | None = None,
    phrase_swaps: bool = True,
    reorder: float = 0.0,
    title: str | None = None,
    inject: Sequence[str] = (),
    link: str | None = None,
    mojibake: float = 0.0,
) -> SpinResult:
    """Spin ``text`` like an article spinner and return the text with its ground truth.

    Parameters
    ----------
    text : str
        The article. Its first line is its title.
    rate : float, default=0.3
        Share of content words to cover with substitutions, in [0, 1].
    seed : int, default=0
        Seed of every random choice; equal inputs give equal results.
    synonyms : callable or mapping, optional
        Synonym source, ``synonyms(word) -> lemmas``; default the WordNet lexicon.
    phrase_swaps : bool, default=True
        Also swap phrases of :data:`PHRASE_TABLE` (each with probability ``rate``).
    reorder : float, default=0.0
        Probability that a sentence swaps places with the next one of its line.
    title : str, optional
        Replace the first line by this title.
    inject : sequence of str, default=()
        Keyword phrases to insert in the middle of random sentences.
    link : str, optional
        A bare link (URL text) inserted the same way.
    mojibake : float, default=0.0
        Share of untouched non-ASCII characters written as UTF-8 read as cp1252.

    Returns
    -------
    SpinResult
        ``result.text`` and, for each substitution, spans in both texts.

    Raises
    ------
    InvalidParameterError
        If ``rate``, ``reorder`` or ``mojibake`` is outside [0, 1], ``seed`` is
        not an integer, or ``title``/``inject``/``link`` is not a one-line string.

    Examples
    --------
    >>> table = {"quick": ["fast"], "dog": ["hound"]}
    >>> result = spin("The quick dog sleeps.", rate=1.0, synonyms=table)
    >>> result.text, result.rate_achieved
    ('The fast hound sleeps.', 0.6666666666666666)
    >>> sub = result.substitutions[0]
    >>> result.text[sub.spun_start:sub.spun_end]
    'fast'
    """
    spinner = default_spinner() if synonyms is None else Spinner(synonyms)
    return spinner.spin(
        text,
        rate=rate,
        seed=seed,
        phrase_swaps=phrase_swaps,
        reorder=reorder,
        title=title,
        inject=inject,
        link=link,
        mojibake=mojibake,
    )


_DEFAULT: list[Spinner] = []


def default_spinner() -> Spinner:
    if not _DEFAULT:
        _DEFAULT.append(Spinner())
    return _DEFAULT[0]
