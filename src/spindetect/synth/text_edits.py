"""Operations of the spinner on the text: edit slots, sentence order, rendering, mojibake.

An edit is ``(start, end, kind, index, text)`` over the original text (kinds
:data:`TITLE`, :data:`SUB`, :data:`INSERT`, in the order they apply at one
position); :func:`ordered_segments` cuts the text into ranges in output order after
adjacent-sentence swaps, and :func:`render` writes the edits over those
segments, recording where each substitution and insertion landed.
"""

from __future__ import annotations

import bisect
import random
import re

from spindetect.pairwise.substitutions import Substitution

__all__ = [
    "INSERT",
    "SUB",
    "TITLE",
    "inside",
    "match_case",
    "mojibake",
    "ordered_segments",
    "render",
    "sample",
]

_SENTENCE_BREAK = re.compile(r"[.!?\n]")
TITLE, SUB, INSERT = 0, 1, 2  # edit kinds, in the order they apply at one position


def inside(text: str, start: int, end: int) -> bool:
    """Return True if the gap ``text[start:end]`` between two words holds no sentence break."""
    if end - start == 1 and text[start] == " ":
        return True
    return _SENTENCE_BREAK.search(text, start, end) is None


def sample(rng: random.Random, items: list[int], k: int) -> list[int]:
    """Partial Fisher-Yates: ``k`` distinct items, using only ``rng.random()``."""
    pool = list(items)
    size = len(pool)
    for j in range(k):
        r = j + int(rng.random() * (size - j))
        pool[j], pool[r] = pool[r], pool[j]
    return pool[:k]


def ordered_segments(
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


def match_case(source: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation pattern of ``source``."""
    if len(source) > 1 and source.isupper():
        return replacement.upper()
    if source[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def mojibake(text: str, share: float, rng: random.Random) -> str:
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


def render(
    text: str,
    edits: list[tuple[int, int, int, int, str]],
    segments: list[tuple[int, int]],
    n_inserts: int,
    mojibake_share: float,
    seed: int,
) -> tuple[str, list[Substitution], list[tuple[int, int]]]:
    """Write the sorted ``edits`` over ``segments`` of ``text``.

    Returns the spun text, the substitutions (in the order of the original)
    and the ``(start, end)`` of each of the ``n_inserts`` insertions in it.
    """
    starts = [e[0] for e in edits]
    moji_rng = random.Random(f"spindetect.spin:{seed}:mojibake") if mojibake_share > 0 else None
    pieces: list[str] = []
    length = 0
    subs: list[Substitution] = []
    ins_spans: list[tuple[int, int]] = [(0, 0)] * n_inserts

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
                    gap = mojibake(gap, mojibake_share, moji_rng)
                pieces.append(gap)
                length += len(gap)
            pieces.append(new)
            if kind == SUB:
                subs.append(
                    Substitution(text[start:end], new, start, end, length, length + len(new))
                )
            elif kind == INSERT:
                ins_spans[index] = (length + 1, length + len(new))
            length += len(new)
            if end > pos:
                pos = end
        if b > pos:
            gap = text[pos:b]
            if moji_rng is not None and not gap.isascii():
                gap = mojibake(gap, mojibake_share, moji_rng)
            pieces.append(gap)
            length += len(gap)
    subs.sort(key=lambda s: s.start)
    return "".join(pieces), subs, ins_spans
