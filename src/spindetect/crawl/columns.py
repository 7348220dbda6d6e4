"""A column of optional strings in one buffer: the per-document metadata a scan keeps.

A scan keeps every document's id, title and URL until its families are
described. As Python objects each costs the string's object (49 bytes of header
plus its characters, for ASCII text) and a list slot (8 bytes); a 1M-document
crawl held ~290 MB of them through its memory peak. :class:`StringColumn`
stores the UTF-8 bytes of all items back to back with one end offset and one
None flag each, about ``len + 9`` bytes an item, and decodes an item when it is
read (ids and titles are read for the few documents in pairs and families).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import overload

__all__ = ["StringColumn"]


class StringColumn:
    """An append-only sequence of ``str`` or ``None`` stored as one UTF-8 buffer.

    Supports ``append``, ``len``, indexing (negative too), slicing (a list) and
    iteration, like the list it replaces. Strings round-trip exactly, lone
    surrogates included (``surrogatepass``).

    Parameters
    ----------
    items : iterable of str or None, optional
        Initial items.

    Examples
    --------
    >>> column = StringColumn(["a", None])
    >>> column.append("été")
    >>> list(column), column[-1], len(column)
    (['a', None, 'été'], 'été', 3)
    """

    __slots__ = ("_data", "_ends", "_none")

    def __init__(self, items: Iterable[str | None] = ()) -> None:
        self._data = bytearray()
        self._ends = array("q")
        self._none = bytearray()
        for item in items:
            self.append(item)

    def append(self, item: str | None) -> None:
        """Add ``item`` at the end."""
        if item is None:
            self._none.append(1)
        else:
            self._data += item.encode("utf-8", "surrogatepass")
            self._none.append(0)
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[str | None]: ...

    def __getitem__(self, index: int | slice) -> str | list[str | None] | None:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        n = len(self._ends)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(f"StringColumn index {index} out of range for {n} items")
        return self._item(i)

    def __eq__(self, other: object) -> bool:
        """Equal to a column or a list holding the same items."""
        if isinstance(other, StringColumn):
            return (self._data, self._ends, self._none) == (other._data, other._ends, other._none)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"StringColumn({list(self)!r})"

    def __iter__(self) -> Iterator[str | None]:
        for i in range(len(self._ends)):
            yield self._item(i)

    def _item(self, i: int) -> str | None:
        if self._none[i]:
            return None
        start = self._ends[i - 1] if i else 0
        return self._data[start : self._ends[i]].decode("utf-8", "surrogatepass")
