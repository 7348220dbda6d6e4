"""Where a crawl's texts wait for the later stages: in their input files, on disk, or in memory.

The pipeline keeps fingerprints in memory, not texts; the passage, template,
describe and explain stages read the texts they need back by document number.
A document read from a JSONL line or a text file is read back from there
(:class:`~spindetect.sources.document.TextOrigin`, one ``pread``); only texts
with no origin (HTML, WARC records, compressed inputs, in-memory documents
given as a stream) are copied to a temporary spool file.
"""

from __future__ import annotations

import math
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Literal, TypeVar

from spindetect.sources.document import Document, TextOrigin
from spindetect.sources.origin import OriginReader

__all__ = ["SequenceTexts", "TextSpool"]

_T = TypeVar("_T")
_Key = tuple[str, Literal["jsonl", "text"], str | None]  # path, form, encoding of origins
_SPOOL = -1  # the text is in the spool file
_ABSENT = -2  # the text is kept elsewhere: read back as ""


class TextSpool:
    """Texts read back by index: from their origins, else from a temporary spool file.

    Per document it keeps 20 bytes (where, offset, length); the spool file is
    only created for the first text without an origin.

    Use: pass the run's documents through :meth:`track`, then :meth:`add` the
    texts of each batch in the same order.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._spooled = 0  # bytes in the spool file
        self._where = array("i")  # _SPOOL, _ABSENT or a number in self._origins
        self._offsets = array("q")
        self._lengths = array("q")
        self._origins: list[_Key] = []
        self._numbers: dict[_Key, int] = {}
        self._pending: list[TextOrigin | None] = []
        self._reader = OriginReader()

    def track(self, documents: Iterable[_T]) -> Iterator[_T]:
        """Yield ``documents`` unchanged, noting the origin of each for :meth:`add`."""
        for doc in documents:
            origin = doc.origin if isinstance(doc, Document) else None
            if origin is not None:
                self._reader.note(origin.path)
            self._pending.append(origin)
            yield doc

    def add(self, texts: Sequence[str]) -> None:
        """Append texts; their indices follow the order of addition.

        The texts of tracked documents with an origin are not copied; the others
        are appended to the spool file.
        """
        origins = self._pending[: len(texts)]
        del self._pending[: len(texts)]
        origins += [None] * (len(texts) - len(origins))  # texts of untracked documents
        copies = []
        for text, origin in zip(texts, origins, strict=True):
            if origin is None:
                data = text.encode("utf-8", "surrogatepass")
                copies.append(data)
                self._where.append(_SPOOL)
                self._offsets.append(self._spooled)
                self._lengths.append(len(data))
                self._spooled += len(data)
            else:
                self._where.append(self._number(origin))
                self._offsets.append(origin.offset)
                self._lengths.append(origin.length)
        if copies:
            if self._file is None:
                self._file = tempfile.TemporaryFile()
            file = self._file
            file.seek(0, os.SEEK_END)
            file.write(b"".join(copies))

    def add_absent(self, count: int) -> None:
        """Append ``count`` documents whose text is kept elsewhere (read back as ``""``)."""
        self._where.extend([_ABSENT] * count)
        self._offsets.extend([0] * count)
        self._lengths.extend([0] * count)

    def __len__(self) -> int:
        """Return the number of texts added."""
        return len(self._where)

    def __getitem__(self, i: int) -> str:
        """Return text ``i``.

        Raises
        ------
        spindetect.CorruptInputError
            The input file the text is read back from changed during the run.
        """
        where, offset, length = self._where[i], self._offsets[i], self._lengths[i]
        if where == _ABSENT:
            return ""
        if where == _SPOOL:
            if not length or self._file is None:  # an empty text makes no file
                return ""
            self._file.seek(offset)
            return self._file.read(length).decode("utf-8", "surrogatepass")
        path, form, encoding = self._origins[where]
        return self._reader.read(TextOrigin(path, offset, length, form, encoding))

    def expected_total(self) -> int:
        """Estimate how many documents the run will hold, from the texts added so far.

        When every text so far was read from input files, the run is taken to
        read those files to their end at the bytes per document seen so far
        (+5 %), e.g. a whole JSONL file from its first batch: the fingerprint
        store is then sized once instead of grown by doubling. Otherwise (or
        when nothing was added) the count so far.
        """
        n = len(self._where)
        if n == 0 or any(w < 0 for w in self._where):
            return n
        seen = sum(self._lengths)
        paths = {self._origins[number][0] for number in set(self._where)}
        try:
            total = sum(os.stat(path).st_size for path in paths)
        except OSError:
            return n
        if seen <= 0:
            return n
        estimate = math.ceil(1.05 * n * total / seen)
        return max(n, min(estimate, total // 16))  # a JSONL record takes 16 bytes or more

    @property
    def spooled_bytes(self) -> int:
        """Bytes copied to the spool file (texts without an origin)."""
        return self._spooled

    def close(self) -> None:
        """Delete the spool file and close the input files."""
        if self._file is not None:
            self._file.close()
        self._reader.close()

    def _number(self, origin: TextOrigin) -> int:
        key = (origin.path, origin.form, origin.encoding)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._origins)
            self._origins.append(key)
        return number


class SequenceTexts:
    """The texts of documents the caller already holds in a sequence (nothing is copied).

    Same interface as :class:`TextSpool`, for a list of documents, strings or
    ``(id, text)`` tuples passed to a scan: texts are looked up, not spooled.
    """

    def __init__(self, documents: Sequence[Document | str | tuple[str, str]]) -> None:
        self._documents = documents

    def track(self, documents: Iterable[_T]) -> Iterator[_T]:
        """Return ``documents`` unchanged (the texts are in the sequence)."""
        return iter(documents)

    def add(self, texts: Sequence[str]) -> None:
        """Do nothing: the texts are in the sequence already."""

    def add_absent(self, count: int) -> None:
        """Do nothing: documents after the sequence read back as ``""``."""

    def __getitem__(self, i: int) -> str:
        """Return text ``i`` (``""`` past the end of the sequence)."""
        if i >= len(self._documents):
            return ""
        doc = self._documents[i]
        if isinstance(doc, Document):
            return doc.text
        return doc if isinstance(doc, str) else doc[1]

    def close(self) -> None:
        """Do nothing: the sequence belongs to the caller."""
