"""The record a source yields: one :class:`Document` with its text, title, URL and links."""

from __future__ import annotations

from dataclasses import dataclass

from spindetect.sources.html import Link

__all__ = ["Document"]


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
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    links: tuple[Link, ...] = ()
    source: str = ""
