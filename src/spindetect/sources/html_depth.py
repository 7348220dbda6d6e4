"""Nesting guards for HTML: estimate the tag depth of raw source, cap it before parsing.

Hostile pages nest elements tens of thousands deep. Two costs then grow with the
square of the depth: lexbor's tree construction when start tags of formatting
elements (``<a>``, ``<b>``, ...) meet a deep stack of open elements (the
adoption agency algorithm walks the stack: 40,000 ``<a href><b><i>`` take 2.4 s,
100,000 about 15 s), and resiliparse's ``main_content`` extraction (100,000
nested ``<div>`` take minutes). :func:`source_depth` estimates the depth of the
stack of open elements from the raw source in a few vectorised passes (about
40 ms per MB); :func:`cap_depth` rewrites a page whose estimate is over a limit,
dropping the start and end tags nested beyond it and keeping all text, much as
Blink caps its parser at 512 levels.

The estimate follows each tag name separately: a start tag pushes its name, an
end tag pops one open element of its name when there is one and is ignored
otherwise (so stray end tags cannot hide depth). Void elements, elements whose
end tag a sibling implies (``p``, ``li``, ``td``, ...) and raw-text elements
(``script``, ``style``, ...) never add depth; elements that cannot nest in
themselves (``a``, ``form``, headings) add at most one level each. Implied
closes the estimate does not model (``</div>`` closing an unclosed ``<span>``)
only make it larger; the parsed DOM is checked exactly afterwards
(:func:`spindetect.sources.html.extract`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["FLAT_TAGS", "SINGLE_TAGS", "cap_depth", "source_depth"]

#: Elements that never add a level: void elements, elements a sibling closes, and
#: raw-text elements (their text holds no tags, so dropping them could swallow the page).
FLAT_TAGS = frozenset(
    """
    area base br col embed hr img input keygen link meta param source track wbr
    p li dt dd td th tr option optgroup rb rp rt rtc colgroup caption thead tbody tfoot
    script style textarea title xmp iframe noembed noframes noscript plaintext template
    """.split()
)
#: Elements that never nest in themselves: a start tag closes the one open (HTML5 tree
#: construction), so each adds at most one level; :func:`cap_depth` keeps them all.
SINGLE_TAGS = frozenset("a nobr button form h1 h2 h3 h4 h5 h6 select".split())

# Where tag-like text is not tags: comments, scripts and styles (an unclosed one runs to the end).
_NOT_TAGS = re.compile(
    rb"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1|\Z)", re.DOTALL | re.IGNORECASE
)
_NAME_BYTES = 8  # names are compared on their first 8 bytes: "optgroup" is the longest


def _name_key(name: bytes) -> int:
    padded = name.lower()[:_NAME_BYTES].ljust(_NAME_BYTES, b"\0")
    return int(np.frombuffer(padded, dtype="<u8")[0])


_LETTER = np.zeros(256, dtype=bool)
_LETTER[list(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")] = True
_NAME_CHAR = _LETTER.copy()
_NAME_CHAR[list(b"0123456789-:")] = True
_FLAT_KEYS = np.array(sorted(_name_key(t.encode()) for t in FLAT_TAGS), dtype=np.uint64)
_SINGLE_KEYS = np.array(sorted(_name_key(t.encode()) for t in SINGLE_TAGS), dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class _Tags:
    """The tags that count for depth, in document order (arrays of equal length)."""

    data: np.ndarray  # the page as UTF-8 bytes
    begin: np.ndarray  # offset of each tag's "<"
    single: np.ndarray  # whether the tag's name is in SINGLE_TAGS
    after: np.ndarray  # estimated depth after the tag
    change: np.ndarray  # how much the tag changed the depth (+1, 0, -1)


def source_depth(html: str) -> int:
    """Estimate the deepest stack of open elements reached while parsing ``html``.

    Parameters
    ----------
    html : str
        The page source.

    Returns
    -------
    int
        The estimate: for each tag in order, the depth is the sum over tag names
        ``n`` of ``open(n)``, where ``open(n)`` grows by one at a start tag
        ``<n>`` and shrinks by one (never below zero) at an end tag ``</n>``;
        names in :data:`FLAT_TAGS` are left out, and ``open(n)`` of a name in
        :data:`SINGLE_TAGS` is 1 after its start tag, 0 after its end tag. The
        maximum over the tags is returned. Tag-like text inside comments,
        ``<script>`` and ``<style>`` is not counted.

    Notes
    -----
    Vectorised with numpy: the tags are grouped by the first 8 bytes of their
    name (lower-cased), and the per-name running counts with a floor at zero
    are ``s - minimum.accumulate(minimum(s, 0))`` per group, with ``s`` the
    running sum of +1/-1; the changes are put back in document order and summed.
    """
    tags = _scan(html)
    return int(tags.after.max(initial=0))


def cap_depth(html: str, max_depth: int) -> str:
    """Return ``html`` without the tags nested deeper than ``max_depth``.

    Parameters
    ----------
    html : str
        The page source.
    max_depth : int
        Deepest nesting kept, counted as in :func:`source_depth`.

    Returns
    -------
    str
        The source without each start tag that takes the estimated depth beyond
        ``max_depth`` and each end tag met while it is beyond (so the pairs go
        together). Text, comments and the tags of :data:`FLAT_TAGS` and
        :data:`SINGLE_TAGS` are kept, so the page reads the same, only flatter.

    Notes
    -----
    A tag runs from its ``<`` to the next ``>``, or to just before the next
    ``<`` (never into the next tag, so a dropped tag cannot take a
    ``</script>`` with it); a ``>`` inside a quoted attribute ends it early,
    the rest of the attributes then shows as text.
    """
    tags = _scan(html)
    before = tags.after - tags.change
    drop = ~tags.single & (
        ((tags.change > 0) & (tags.after > max_depth)) | ((tags.change < 0) & (before > max_depth))
    )
    if not drop.any():
        return html
    data = tags.data
    begin = tags.begin[drop]
    end = np.minimum(_next(data, ord(">"), begin) + 1, _next(data, ord("<"), begin + 1))
    size = data.size + 1
    edges = np.bincount(begin, minlength=size) - np.bincount(end, minlength=size)
    kept = np.cumsum(edges[:-1]) == 0
    return bytes(data[kept]).decode("utf-8", "surrogatepass")


def _next(data: np.ndarray, byte: int, at: np.ndarray) -> np.ndarray:
    """Offset of the first ``byte`` at or after each offset of ``at`` (``len(data)``: none)."""
    where: np.ndarray = np.r_[np.flatnonzero(data == byte), data.size]
    found: np.ndarray = where[np.searchsorted(where, at)]
    return found


def _scan(html: str) -> _Tags:
    raw = html.encode("utf-8", "surrogatepass")
    data = np.frombuffer(raw, dtype=np.uint8)
    lt = np.flatnonzero(data == ord("<"))
    spans = np.array([m.span() for m in _NOT_TAGS.finditer(raw)], dtype=np.int64).reshape(-1, 2)
    if spans.size:  # drop the "<" inside comments, scripts and styles
        at = np.searchsorted(spans[:, 0], lt, side="right") - 1
        inside = (at >= 0) & (lt > spans[np.maximum(at, 0), 0]) & (lt < spans[np.maximum(at, 0), 1])
        lt = lt[~inside]
    padded = np.zeros(data.size + _NAME_BYTES + 2, dtype=np.uint8)  # the zeros end every name
    padded[: data.size] = data
    close = padded[lt + 1] == ord("/")
    start = lt + 1 + close
    breaks = np.flatnonzero(~_NAME_CHAR[padded])
    length = breaks[np.searchsorted(breaks, start)] - start
    key = np.zeros(start.size, dtype=np.uint64)
    for k in range(_NAME_BYTES):  # the first 8 bytes of the name, lower-cased, little-endian
        byte = np.where(length > k, padded[start + k] | 0x20, 0).astype(np.uint64)
        key |= byte << np.uint64(8 * k)
    flat = np.isin(key, _FLAT_KEYS) & (length <= _NAME_BYTES)
    counted = _LETTER[padded[start]] & ~flat
    key = key[counted]
    step = np.where(close[counted], -1, 1).astype(np.int64)
    after, change = _depths(key, step)
    single = np.isin(key, _SINGLE_KEYS) & (length[counted] <= _NAME_BYTES)
    return _Tags(data, lt[counted], single, after, change)


def _depths(key: np.ndarray, step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Depth after each tag and the change it made, with one floored counter per name."""
    if key.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = np.argsort(key, kind="stable")
    grouped_key = key[order]
    grouped = step[order]
    first = np.r_[True, grouped_key[1:] != grouped_key[:-1]]
    group = np.cumsum(first) - 1
    running = np.cumsum(grouped)
    sizes = np.diff(np.r_[np.flatnonzero(first), grouped.size])
    running -= np.repeat(running[first] - grouped[first], sizes)
    # Per-group floor at zero; an offset per group keeps minimum.accumulate inside it.
    big = np.int64(grouped.size + 1)
    floor = np.minimum.accumulate(np.minimum(running, 0) - group * big) + group * big
    depth = running - floor
    single = np.isin(grouped_key, _SINGLE_KEYS)  # <a> closes an open <a>: open or not
    depth[single] = grouped[single] > 0
    change = np.diff(np.r_[0, depth])
    change[first] = depth[first]
    in_order = np.empty_like(change)
    in_order[order] = change
    return np.cumsum(in_order), in_order
