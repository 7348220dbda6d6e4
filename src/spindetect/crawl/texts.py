"""Where a crawl's texts wait for the describe stage: on disk, or in the caller's sequence.

The pipeline keeps fingerprints in memory, not texts; the family description
and explanation read the members' texts back by document number.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence

from spindetect.sources.document import Document

__all__ = ["SequenceTexts", "TextSpool"]


class TextSpool:
    """Texts on disk, read back by index (bounded memory for large crawls)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._offsets = [0]

    def add(self, texts: Sequence[str]) -> None:
        """Append texts; their indices follow the order of addition."""
        data = [t.encode("utf-8", "surrogatepass") for t in texts]
        self._file.seek(0, os.SEEK_END)
        self._file.write(b"".join(data))
        for d in data:
            self._offsets.append(self._offsets[-1] + len(d))

    def add_absent(self, count: int) -> None:
        """Append ``count`` documents whose text is kept elsewhere (read back as ``""``)."""
        self._offsets.extend([self._offsets[-1]] * count)

    def __getitem__(self, i: int) -> str:
        """Return text ``i``."""
        self._file.seek(self._offsets[i])
        return self._file.read(self._offsets[i + 1] - self._offsets[i]).decode(
            "utf-8", "surrogatepass"
        )

    def close(self) -> None:
        """Delete the temporary file."""
        self._file.close()


class SequenceTexts:
    """The texts of documents the caller already holds in a sequence (nothing is copied).

    Same interface as :class:`TextSpool`, for a list of documents, strings or
    ``(id, text)`` tuples passed to a scan: texts are looked up, not spooled.
    """

    def __init__(self, documents: Sequence[Document | str | tuple[str, str]]) -> None:
        self._documents = documents

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
