"""The record a source yields: one :class:`Document` with its text, title, URL and links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spindetect.sources.html import Link

__all__ = ["Document", "TextOrigin"]


@dataclass(frozen=True, slots=True)
class TextOrigin:
    """Where a document's text can be read again: a byte range of a file and its form.

    A scan keeps fingerprints, not texts; the few documents its later stages
    need (candidate pairs, family members) are read back from their origin
    (:func:`spindetect.sources.origin.read_origin`) instead of from a copy of
    every text on disk.

    Parameters
    ----------
    path : str
        The file (uncompressed; compressed inputs give no origin).
    offset : int
        Byte offset of the range in the file.
    length : int
        Byte length of the range.
    form : {"jsonl", "text"}
        ``"jsonl"``: the range is one JSONL line and the text is its ``text``
        field; ``"text"``: the range is a whole text file, decoded as the
        reader decoded it.
    encoding : str or None, default=None
        For ``"text"``: the encoding the reader was given for files that are
        not UTF-8 (None: byte-order mark, else strict UTF-8).
    """

    path: str
    offset: int
    length: int
    form: Literal["jsonl", "text"]
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One document read from a crawl input.

    Parameters
    ----------
    id : str
        Unique within one :func:`iter_documents` run (see there for the rules).
    text : str
        The document text (for HTML, the extracted main text).
    title : str or None, default=None
        The JSONL ``title``, or for HTML the ``<title>``, else ``og:title``, else
        the first ``<h1>``.
    url : str or None, default=None
        The JSONL ``url`` or the WARC target URI.
    links : tuple of Link, default=()
        The anchors of an HTML document, labelled by region.
    source : str, default=""
        The file the document came from.
    origin : TextOrigin or None, default=None
        Where ``text`` can be read again (JSONL lines and text files); None when
        it cannot (HTML, WARC records, compressed files, documents made in memory).
        Not compared: two documents with the same fields are equal wherever read.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    links: tuple[Link, ...] = ()
    source: str = ""
    origin: TextOrigin | None = field(default=None, compare=False)
