"""Reading a document's text again from its :class:`~spindetect.sources.document.TextOrigin`.

A JSONL line is parsed again with the reader's parser
(:func:`~spindetect.sources.jsonl_text.record_text`), a text file decoded again
with :func:`~spindetect.sources.textfile.decode_text` and the reader's encoding,
so the text read back equals the text first read. A file that changed since it
was first read (other size, modification time or inode) is refused with
:class:`~spindetect.exceptions.CorruptInputError` rather than read wrong.
"""

from __future__ import annotations

import os
from collections import OrderedDict

from spindetect.exceptions import CorruptInputError
from spindetect.sources.document import TextOrigin
from spindetect.sources.jsonl_text import record_text
from spindetect.sources.textfile import decode_text

__all__ = ["OriginReader"]

_Stamp = tuple[int, int, int]  # size, mtime_ns, inode


class OriginReader:
    """Read texts back from their origins, keeping the last few files open.

    Parameters
    ----------
    max_open : int, default=16
        Files kept open between reads (least recently used closed first).
    """

    def __init__(self, *, max_open: int = 16) -> None:
        self._max_open = max(1, max_open)
        self._open: OrderedDict[str, int] = OrderedDict()
        self._stamps: dict[str, _Stamp] = {}

    def note(self, path: str) -> None:
        """Remember the state of ``path`` as it is read (checked before each read back)."""
        if path not in self._stamps:
            try:
                self._stamps[path] = _stamp(os.stat(path))
            except OSError as exc:
                raise CorruptInputError(path, f"cannot access ({exc.strerror or exc})") from None

    def read(self, origin: TextOrigin) -> str:
        """Return the text at ``origin``.

        Raises
        ------
        CorruptInputError
            The file is gone, changed since it was noted, or no longer holds
            the record.
        """
        fd = self._fd(origin.path)
        try:
            data = os.pread(fd, origin.length, origin.offset)
        except OSError as exc:
            raise CorruptInputError(origin.path, f"cannot read ({exc.strerror or exc})") from None
        if len(data) != origin.length:
            raise CorruptInputError(origin.path, "shorter than when it was first read")
        if origin.form == "text":
            return decode_text(data, source=origin.path, encoding=origin.encoding)
        try:
            return record_text(data)
        except ValueError as exc:  # only if the file changed within the same size and time
            where = f"the line at byte {origin.offset:,}"
            raise CorruptInputError(origin.path, f"{where} changed ({exc})") from None

    def close(self) -> None:
        """Close the open files."""
        while self._open:
            os.close(self._open.popitem()[1])

    def _fd(self, path: str) -> int:
        fd = self._open.get(path)
        if fd is not None:
            self._open.move_to_end(path)
            return fd
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise CorruptInputError(path, f"cannot reopen ({exc.strerror or exc})") from None
        noted = self._stamps.get(path)
        if noted is not None and _stamp(os.fstat(fd)) != noted:
            os.close(fd)
            raise CorruptInputError(path, "changed while it was being scanned")
        self._open[path] = fd
        if len(self._open) > self._max_open:
            os.close(self._open.popitem(last=False)[1])
        return fd


def _stamp(st: os.stat_result) -> _Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ino)
