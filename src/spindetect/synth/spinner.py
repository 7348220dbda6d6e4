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

import bisect
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.substitutions import Substitution
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
_MAX_PHRASE = max(len(key) for key in PHRASE_TABLE)

# (suffix, base ending, inflection kind), longest suffixes first, as in WordNet's morphy.
_SUFFIX_RULES = (
    ("ches", "ch", "s"),
    ("shes", "sh", "s"),
    ("ies", "y", "s"),
    ("ses", "s", "s"),
    ("xes", "x", "s"),
    ("zes", "z", "s"),
    ("ying", "ie", "ing"),
    ("ing", "e", "ing"),
    ("ing", "", "ing"),
    ("ied", "y", "ed"),
    ("es", "e", "s"),
    ("ed", "e", "ed"),
    ("ed", "", "ed"),
    ("es", "", "s"),
    ("s", "", "s"),
)
# Common irregular verbs: base, -s form when irregular (else "-"), past.
_IRREGULAR_TEXT = """
be is was  have has had  do does did  go goes went  say - said  get - got  make - made
know - knew  think - thought  take - took  see - saw  come - came  give - gave  find - found
tell - told  feel - felt  become - became  leave - left  put - put  mean - meant  keep - kept
let - let  begin - began  hold - held  bring - brought  write - wrote  stand - stood
hear - heard  run - ran  pay - paid  meet - met  lead - led  understand - understood
set - set  speak - spoke  sit - sat  lose - lost  build - built  send - sent  spend - spent
fall - fell  grow - grew  win - won  buy - bought  rise - rose  drive - drove  break - broke
choose - chose  eat - ate  draw - drew  throw - threw  fly - flew  wear - wore  bear - bore
tear - tore  swim - swam  sing - sang  drink - drank  ring - rang  shoot - shot  hang - hung
strike - struck  stick - stuck  feed - fed  sleep - slept  light - lit  forget - forgot
bite - bit  hide - hid  shake - shook  ride - rode  steal - stole  freeze - froze
wake - woke  dig - dug  deal - dealt  bend - bent  lend - lent  cut - cut  hit - hit
lay - laid  catch - caught  teach - taught  seek - sought  fight - fought  sell - sold
weep - wept  creep - crept  sweep - swept  bleed - bled  breed - bred  flee - fled
spin - spun  swing - swung  sting - stung  slide - slid  shine - shone  tread - trod
undergo undergoes underwent  overcome - overcame  withdraw - withdrew  forgive - forgave
quit - quit  shut - shut  spread - spread  cost - cost  hurt - hurt  split - split
burst - burst  cast - cast  upset - upset  shed - shed  thrust - thrust  broadcast - broadcast
"""
_IRREGULAR: dict[str, tuple[str, str]] = {}
_IRREGULAR_BASE: dict[str, tuple[str, str]] = {}  # inflected form -> (base, kind)
_words = _IRREGULAR_TEXT.split()
for _i in range(0, len(_words), 3):
    _base, _third, _past = _words[_i : _i + 3]
    _IRREGULAR[_base] = (_third, _past)
    _IRREGULAR_BASE.setdefault(_past, (_base, "ed"))
    if _third != "-":
        _IRREGULAR_BASE.setdefault(_third, (_base, "s"))
del _words, _i, _base, _third, _past
_VOWELS = frozenset("aeiou")
_MAX_SYNONYM_WORDS = 3
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
# Vulgar lemmas a sense-agnostic pick would otherwise put into generated corpora.
_BLOCKED = frozenset(
    "shit crap fuck fucking piss ass arse cunt cock prick bitch bastard dick tit tits "
    "whore slut nigger nigga twat wanker bollocks pussy bugger faggot".split()
)
_NO_INFLECTION = frozenset({"a", "r"})
_STRESSED_ENDINGS = ("mit", "pel", "fer", "cur", "gin", "bet", "pet", "trol", "pan", "quip")
_TITLE, _SUB, _INSERT = 0, 1, 2  # edit kinds, in the order they apply at one position


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
        self._phrases = dict(PHRASE_TABLE if phrase_table is None else phrase_table)
        self._max_phrase = max((len(k) for k in self._phrases), default=0)
        self._first_words = frozenset(k[0] for k in self._phrases)
        self._cache: dict[str, tuple[str, ...]] = {}

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
        cached = self._cache.get(form)
        if cached is not None:
            return cached
        out: list[str] = []
        seen: set[str] = {_squash(form)}
        for pos, lemmas, bases in self._groups(form):
            kind, stem = _inflection(form, bases, pos)
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
                    out.append(_inflect_phrase(words, kind, last=last))
        result = tuple(out)
        self._cache[form] = result
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
            edits.append((0, body_start, _TITLE, 0, title))

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
                    edits.append((start, end, _SUB, 0, _match_case(text[start:end], choice)))
                    for j in range(i, i + match):
                        used[j] = True
                        phrase_of[j] = i
                        covered += is_content[j]
                    free = i + match

        # 2. word substitutions: exactly round(rate * n) content words in all
        target = round(rate * n_content) - covered
        if target > 0:
            candidates = self.candidates
            cache = self._cache
            todo = {f for f, c in zip(forms, is_content, strict=False) if c and f not in cache}
            for form in todo:
                candidates(form)
            eligible = [
                i for i, form in enumerate(forms) if is_content[i] and not used[i] and cache[form]
            ]
            rng = random.Random(f"spindetect.spin:{seed}:words")
            chosen = _sample(rng, eligible, min(target, len(eligible)))
            for i in sorted(chosen):
                options = candidates(forms[i])
                choice = options[int(rng.random() * len(options))]
                start, end = spans[i]
                edits.append((start, end, _SUB, 0, _match_case(text[start:end], choice)))
                used[i] = True
                covered += 1

        # 3. injected phrases and link, after a word that has a word of the same
        #    sentence on either side and is not inside a phrase swap
        if inserts:
            rng = random.Random(f"spindetect.spin:{seed}:inject")

            def slot_ok(i: int) -> bool:
                return (
                    _inside(text, spans[i - 1][1], spans[i][0])
                    and _inside(text, spans[i][1], spans[i + 1][0])
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
                edits.append((pos, pos, _INSERT, k, " " + item.strip()))

        # 4. order of the output: adjacent sentences of one line may swap
        sentences: list[tuple[int, int]] = []
        if reorder > 0.0:
            sentences = [s for s in split_sentences(text) if s[1] > body_start]
        segments, swaps = _segments(text, sentences, body_start, reorder, seed)

        # 5. render
        edits.sort()
        starts = [e[0] for e in edits]
        moji_rng = random.Random(f"spindetect.spin:{seed}:mojibake") if mojibake > 0 else None
        pieces: list[str] = []
        length = 0
        subs: list[Substitution] = []
        ins_spans: list[tuple[int, int]] = [(0, 0)] * len(inserts)

        last = len(segments) - 1
        for number, (a, b) in enumerate(segments):
            pos = a
            lo = bisect.bisect_left(starts, a)
            # the last segment also takes the insertions appended at the very end
            hi = len(edits) if number == last else bisect.bisect_left(starts, b)
            for start, end, kind, index, new in edits[lo:hi]:
                if start > pos:
                    gap = text[pos:start]
                    if moji_rng is not None and not gap.isascii():
                        gap = _mojibake(gap, mojibake, moji_rng)
                    pieces.append(gap)
                    length += len(gap)
                pieces.append(new)
                if kind == _SUB:
                    subs.append(
                        Substitution(text[start:end], new, start, end, length, length + len(new))
                    )
                elif kind == _INSERT:
                    ins_spans[index] = (length + 1, length + len(new))
                length += len(new)
                if end > pos:
                    pos = end
            if b > pos:
                gap = text[pos:b]
                if moji_rng is not None and not gap.isascii():
                    gap = _mojibake(gap, mojibake, moji_rng)
                pieces.append(gap)
                length += len(gap)
        subs.sort(key=lambda s: s.start)
        return SpinResult(
            text="".join(pieces),
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


def _inside(text: str, start: int, end: int) -> bool:
    """Return True if the gap ``text[start:end]`` between two words holds no sentence break."""
    if end - start == 1 and text[start] == " ":
        return True
    return _SENTENCE_BREAK.search(text, start, end) is None


def _sample(rng: random.Random, items: list[int], k: int) -> list[int]:
    """Partial Fisher-Yates: ``k`` distinct items, using only ``rng.random()``."""
    pool = list(items)
    size = len(pool)
    for j in range(k):
        r = j + int(rng.random() * (size - j))
        pool[j], pool[r] = pool[r], pool[j]
    return pool[:k]


def _segments(
    text: str, sentences: list[tuple[int, int]], body_start: int, reorder: float, seed: int
) -> tuple[list[tuple[int, int]], int]:
    """Cut ``text`` into ranges covering it once, in output order, after sentence swaps."""
    segments: list[tuple[int, int]] = []
    if body_start > 0:
        segments.append((0, body_start))
    pos = body_start
    swaps = 0
    rng = random.Random(f"spindetect.spin:{seed}:reorder") if reorder > 0 else None
    j = 0
    while j < len(sentences):
        s, e = sentences[j]
        s = max(s, body_start)
        if rng is not None and j + 1 < len(sentences):
            s2, e2 = sentences[j + 1]
            if "\n" not in text[e:s2] and rng.random() < reorder:
                segments += [(pos, s), (s2, e2), (e, s2), (s, e)]
                pos = e2
                swaps += 1
                j += 2
                continue
        segments.append((pos, e))
        pos = e
        j += 1
    segments.append((pos, len(text)))
    return [seg for seg in segments if seg[1] > seg[0] or seg[1] == len(text)], swaps


def _squash(word: str) -> str:
    return word.lower().replace(" ", "").replace("-", "").replace("_", "")


def _usable(lemma: str) -> bool:
    return (
        lemma[0].isalpha()
        and all(ch.isalpha() or ch in " -'" for ch in lemma)
        and not any(word in _BLOCKED for word in lemma.lower().split())
    )


def _inflection(form: str, bases: frozenset[str], pos: str | None) -> tuple[str | None, str | None]:
    """Return ``(inflection, base)`` of ``form`` over one of ``bases``, or ``(None, None)``.

    The inflection is ``"s"``, ``"ed"`` or ``"ing"``.
    """
    if form in bases or pos in _NO_INFLECTION:
        return None, None
    irregular = _IRREGULAR_BASE.get(form)
    if irregular is not None and irregular[0] in bases and pos != "n":
        return irregular[1], irregular[0]
    for suffix, ending, kind in _SUFFIX_RULES:
        if pos == "n" and kind != "s":
            continue
        if form.endswith(suffix) and len(form) > len(suffix) + 1:
            stem = form[: -len(suffix)] + ending
            if stem in bases:
                return kind, stem
            if kind != "s" and not ending and len(stem) > 2 and stem[-1] == stem[-2]:
                if stem[:-1] in bases:  # stopped -> stop
                    return kind, stem[:-1]
    return None, None


def _inflect_phrase(words: list[str], kind: str, *, last: bool) -> str:
    """Inflect the last (noun plural) or the first word (verb forms) of a lemma."""
    index = len(words) - 1 if last else 0
    words = list(words)
    words[index] = _inflect(words[index], kind)
    return " ".join(words)


def _inflect(word: str, kind: str) -> str:
    """Add a regular English suffix (no irregular forms, no consonant doubling)."""
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        if kind == "ed":
            return irregular[1]
        if kind == "s" and irregular[0] != "-":
            return irregular[0]
    consonant_y = len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS
    if kind == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        return word[:-1] + "ies" if consonant_y else word + "s"
    if word.endswith("ie") and kind == "ing":
        return word[:-2] + "ying"
    if word.endswith("e"):
        if kind == "ed":
            return word + "d"
        if word.endswith(("ee", "ye", "oe")) or len(word) < 3:
            return word + "ing"
        return word[:-1] + "ing"
    if consonant_y and kind == "ed":
        return word[:-1] + "ied"
    if _doubles(word):
        word += word[-1]
    return word + kind


def _doubles(word: str) -> bool:
    """Whether a final consonant doubles before -ed/-ing (``stop``, ``permit``; not ``visit``)."""
    cvc = (
        len(word) >= 3
        and word[-1] not in _VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )
    return cvc and (len(word) <= 4 or word.endswith(_STRESSED_ENDINGS))


def _match_case(source: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation pattern of ``source``."""
    if len(source) > 1 and source.isupper():
        return replacement.upper()
    if source[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _mojibake(text: str, share: float, rng: random.Random) -> str:
    """Write a share of the non-ASCII characters as UTF-8 bytes decoded as cp1252."""
    out = []
    for ch in text:
        if ch.isascii() or rng.random() >= share:
            out.append(ch)
        elif ch == "\u00a0":
            out.append("\u00c2\u00a0")
        else:
            out.append("".join(_cp1252(byte) for byte in ch.encode("utf-8")))
    return "".join(out)


def _cp1252(byte: int) -> str:
    """Decode one byte as Windows-1252, falling back to Latin-1 for its 5 unassigned bytes."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)
