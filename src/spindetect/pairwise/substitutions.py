"""Reading an alignment: word substitutions, inserted phrases and rewrites.

Each non-equal block of an aligned sentence pair is classified:

* ``a[i:j] -> b[k:l]`` with both sides at most ``max_phrase`` tokens is a
  *substitution*: kept whole when the lexicon relates the two phrases
  (``connect -> get in touch``), else split into one-word swaps when both sides
  have the same length (``advantages -> benefits``), else a phrase swap;
* a block with one side empty is an *insertion* (only in b) or a *deletion*
  (only in a); a run of at least ``min_inserted`` tokens holding a content word
  is reported as an inserted phrase (the injected keyword of spam pages), while
  shorter runs are spinner filler (``actually``, ``pipes``);
* a block whose longer side exceeds the shorter by at least ``min_inserted``
  tokens and whose shorter side matches one end of the longer side is split
  into a substitution and an inserted phrase;
* anything larger is a *rewrite*: changed, but neither a swap nor an insertion.

Every substitution is a :class:`Substitution` (character spans in both texts)
carrying the lexicon's graded :class:`~spindetect.pairwise.lexicon.Relation`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spindetect.pairwise.alignment import Alignment, Block
from spindetect.pairwise.lexicon import RELATION_WEIGHTS, Relation, relation
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import Tokens

__all__ = ["Explanation", "Inserted", "Substitution", "Swap", "explain_blocks"]


@dataclass(frozen=True, slots=True)
class Substitution:
    """A word or phrase of one text replaced by another in the other text.

    The one record of a replacement, wherever it is found: made by the spinner
    (:func:`spindetect.synth.spinner.spin`, the ground truth), read from an
    alignment (:func:`explain_blocks`), or merged into the substitution map of
    :func:`spindetect.compare`.

    Attributes
    ----------
    original : str
        The replaced text. The spinner's ``source[start:end]``; in a comparison
        the word forms of that span (NFKC, case-folded) joined by single spaces.
    replacement : str
        The text it was replaced by, the same way (``spun[spun_start:spun_end]``).
    start, end : int
        Character span of the original in the first text (``a``, the source).
    spun_start, spun_end : int
        Character span of the replacement in the second text (``b``, the spun copy).
    relation : Relation or None, default=None
        How the lexicon relates the two (None where nobody asked: the spinner).
    count : int, default=1
        Occurrences of the same ``(original, replacement)`` pair: 1 for one
        occurrence; in a substitution map, all of them, the spans being those
        of the first.
    """

    original: str
    replacement: str
    start: int
    end: int
    spun_start: int
    spun_end: int
    relation: Relation | None = None
    count: int = 1

    @property
    def weight(self) -> float:
        """The lexicon weight of :attr:`relation` (``RELATION_WEIGHTS``; 0.0 for None)."""
        return 0.0 if self.relation is None else RELATION_WEIGHTS[self.relation]

    @property
    def a(self) -> str:
        """The original text (the name in :attr:`Comparison.substitutions` rows)."""
        return self.original

    @property
    def b(self) -> str:
        """The replacement text (the name in :attr:`Comparison.substitutions` rows)."""
        return self.replacement

    @property
    def a_text(self) -> str:
        """Former name of :attr:`original` (as a ``Swap``)."""
        return self.original

    @property
    def b_text(self) -> str:
        """Former name of :attr:`replacement` (as a ``Swap``)."""
        return self.replacement


#: Former name of :class:`Substitution` (one read from an alignment).
Swap = Substitution


@dataclass(frozen=True, slots=True)
class Inserted:
    """A phrase present in only one document (``side`` is 'a' or 'b'), as token range."""

    side: str
    first: int
    last: int
    text: str


@dataclass
class Explanation:
    """Everything read from the changed blocks of an alignment."""

    swaps: list[Substitution] = field(default_factory=list)
    inserted: list[Inserted] = field(default_factory=list)
    filler_tokens: int = 0
    rewritten_tokens: int = 0

    @property
    def single_word_swaps(self) -> list[Substitution]:
        """Swaps of exactly one word on each side (word forms hold no space)."""
        return [s for s in self.swaps if " " not in s.original and " " not in s.replacement]


def explain_blocks(
    alignment: Alignment,
    a: Tokens,
    b: Tokens,
    *,
    max_phrase: int = 4,
    min_inserted: int = 2,
) -> Explanation:
    """Classify the changed blocks of ``alignment`` (rules in the module doc)."""
    out = Explanation()
    for pair in alignment.pairs:
        blocks = pair.blocks
        for k, block in enumerate(blocks):
            if block.tag == "equal":
                continue
            if block.tag in ("insert", "delete") and _crossed(blocks, k):
                out.rewritten_tokens += max(
                    block.a_last - block.a_first, block.b_last - block.b_first
                )
                continue
            _classify(block, a, b, out, max_phrase, min_inserted)
    return out


def _crossed(blocks: tuple[Block, ...], k: int) -> bool:
    """Tell whether an insertion sits one equal token away from a change that offsets it.

    Ties in the longest common subsequence can split one substitution into an
    insertion on one side and, one shared word away, a block with extra tokens on
    the other side (``social standards and cultural`` / ``societal norms and
    social``); such runs are rewrites, not inserted phrases.
    """
    block = blocks[k]
    a_side = block.tag == "delete"
    for j in (k - 2, k + 2):
        if not 0 <= j < len(blocks):
            continue
        between, other = blocks[(j + k) // 2], blocks[j]
        if between.tag != "equal" or between.a_last - between.a_first != 1 or other.tag == "equal":
            continue
        excess = (other.b_last - other.b_first) - (other.a_last - other.a_first)
        if (excess if a_side else -excess) >= 1:
            return True
    return False


def _classify(
    block: Block, a: Tokens, b: Tokens, out: Explanation, max_phrase: int, min_inserted: int
) -> None:
    m = block.a_last - block.a_first
    n = block.b_last - block.b_first
    if m == 0 or n == 0:
        side, tokens, first, last = (
            ("b", b, block.b_first, block.b_last)
            if m == 0
            else ("a", a, block.a_first, block.a_last)
        )
        _insertion(side, tokens, first, last, out, min_inserted)
        return
    whole = (block.a_first, block.a_last), (block.b_first, block.b_last)
    if (
        max(m, n) <= max_phrase
        and max(m, n) > 1
        and relation(_text(a, whole[0]), _text(b, whole[1])) is not Relation.NONE
    ):
        _swap(a, b, whole[0], whole[1], out)  # a known phrase swap: connect/get in touch
        return
    if m == n and m <= max_phrase:
        for k in range(m):
            _swap(
                a,
                b,
                (block.a_first + k, block.a_first + k + 1),
                (block.b_first + k, block.b_first + k + 1),
                out,
            )
        return
    if (
        abs(m - n) >= min_inserted
        and min(m, n) <= max_phrase
        and _split_insertion(block, a, b, out, max_phrase, min_inserted)
    ):
        return
    if max(m, n) <= max_phrase:
        _swap(a, b, whole[0], whole[1], out)
        return
    out.rewritten_tokens += max(m, n)


def _split_insertion(
    block: Block, a: Tokens, b: Tokens, out: Explanation, max_phrase: int, min_inserted: int
) -> bool:
    """Split ``x -> y INSERTED`` (or ``INSERTED y``) when x relates to an end of the longer side."""
    m = block.a_last - block.a_first
    n = block.b_last - block.b_first
    if m < n:
        short, long_, side = (block.a_first, block.a_last), (block.b_first, block.b_last), "b"
        short_tokens, long_tokens = a, b
    else:
        short, long_, side = (block.b_first, block.b_last), (block.a_first, block.a_last), "a"
        short_tokens, long_tokens = b, a
    short_text = _text(short_tokens, short)
    for k in range(1, min(max_phrase, abs(m - n) + min(m, n) - min_inserted) + 1):
        for head in ((long_[0], long_[0] + k), (long_[1] - k, long_[1])):
            if relation(short_text, _text(long_tokens, head)) is Relation.NONE:
                continue
            rest = (head[1], long_[1]) if head[0] == long_[0] else (long_[0], head[0])
            pair = (short, head) if side == "b" else (head, short)
            _swap(a, b, pair[0], pair[1], out)
            _insertion(side, long_tokens, rest[0], rest[1], out, min_inserted)
            return True
    return False


def _text(tokens: Tokens, span: tuple[int, int]) -> str:
    return " ".join(tokens.forms[span[0] : span[1]])


def _swap(a: Tokens, b: Tokens, ra: tuple[int, int], rb: tuple[int, int], out: Explanation) -> None:
    a_text = _text(a, ra)
    b_text = _text(b, rb)
    start, end = a.char_span(*ra)
    spun_start, spun_end = b.char_span(*rb)
    out.swaps.append(
        Substitution(a_text, b_text, start, end, spun_start, spun_end, relation(a_text, b_text))
    )


def _insertion(
    side: str, tokens: Tokens, first: int, last: int, out: Explanation, min_inserted: int
) -> None:
    forms = tokens.forms[first:last]
    if last - first >= min_inserted and _has_content(forms):
        start, end = tokens.char_span(first, last)
        out.inserted.append(Inserted(side, first, last, tokens.text[start:end]))
    else:
        out.filler_tokens += last - first


def _has_content(forms: Iterable[str]) -> bool:
    return any(f not in STOPWORDS and not f.isdigit() for f in forms)
