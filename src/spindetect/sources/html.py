"""HTML page -> title, ``og:title``, first ``<h1>``, main text and region-labelled anchors.

Parsing and main-text extraction use resiliparse (``HTMLTree`` and
``extract_plain_text(main_content=True)``). Anchors are collected by our own walk
over the DOM: every ``<a href>`` is kept and labelled with the region it sits in,
because link spam lives in comments, footers and sidebars as well as in the body.

Region rules, decided per anchor from the anchor itself and its ancestors
(``<html>`` and ``<body>`` excluded):

* an ancestor is a *comment section* when a token of its ``class`` or ``id`` is
  ``comment*``, ``reply``/``replies`` or ``respond``;
* an ancestor is *boilerplate* when its tag is ``nav``, ``header``, ``footer``,
  ``aside`` or ``form``, or a ``class``/``id`` token names a menu, sidebar, widget,
  ad, banner, breadcrumb, related/sponsored block and the like (:data:`BOILERPLATE_TOKENS`);
* a ``class``/``id`` token naming furniture outweighs a comment token on the same
  element (``widget_recent_comments`` is a widget), and a comment token outweighs
  a furniture tag (``<footer class="comment-meta">`` belongs to a comment);
* an anchor inside a comment section is ``"comment"``, unless a boilerplate
  ancestor encloses that comment section (a "recent comments" sidebar widget),
  in which case it is ``"boilerplate"``; boilerplate nested *inside* a comment
  (the ``<footer class="comment-meta">`` holding the commenter's link) stays
  ``"comment"``;
* otherwise an anchor with any boilerplate ancestor is ``"boilerplate"``, and
  every other anchor is ``"content"``.

Class and id values are split into tokens on ``-``, ``_``, ``:``, ``.`` and
lower-to-upper camelCase boundaries (the tokens joined count as one more token),
so ``site-footer``, ``widget_text`` and ``sideBar`` match while ``download`` or
``navy-blue`` do not. Values that describe page state rather than a region
(``has-sidebar``, ``no-sidebar``, ``comments-open``) are ignored.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urljoin

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding, map_encoding_to_html5
from resiliparse.parse.html import ElementNode, HTMLTree, Node

from spindetect._validation import check_int
from spindetect.sources.html_depth import cap_depth, source_depth
from spindetect.sources.jsonl_text import no_surrogates

__all__ = [
    "BOILERPLATE_TAGS",
    "BOILERPLATE_TOKENS",
    "COMMENT_TOKENS",
    "MAX_DEPTH",
    "MAX_LINKS",
    "Link",
    "Page",
    "Region",
    "decode_html",
    "extract",
]

Region = Literal["content", "boilerplate", "comment"]

#: Element nesting depth (``<html>`` is depth 1) above which :func:`extract` skips the
#: main-content heuristics and returns the whole visible text. resiliparse's
#: ``main_content`` costs about the sum of the element depths, so a hostile page of
#: 100,000 nested ``<div>`` takes minutes; under this limit a page costs at most
#: ~1.3 s per MB (measured: 1 MB of 250-deep chains), ~5 times a normal page. Browsers
#: cap parsing at 512 (Blink); real pages stay far below 100.
MAX_DEPTH = 256

#: Anchors kept per page (the first ones in document order). Each costs ~50 µs
#: (URL resolution, region labelling), so a page of 100,000 anchors would take 5 s;
#: real pages hold hundreds.
MAX_LINKS = 10_000

#: Tags whose descendants are page furniture.
BOILERPLATE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})

#: ``class``/``id`` tokens that mark page furniture.
BOILERPLATE_TOKENS = frozenset(
    """
    nav navbar navigation navi menu menubar submenu header masthead footer colophon
    sidebar widget widgets related sponsor sponsors sponsored banner banners
    breadcrumb breadcrumbs ad ads advert adverts advertisement adsbygoogle adslot promo
    share sharing social blogroll tagcloud pagination skip
    """.split()
)

#: ``class``/``id`` tokens (besides any token starting with ``comment``) that mark comments.
COMMENT_TOKENS = frozenset({"reply", "replies", "respond", "disqus"})

# First tokens and last tokens that make a class value describe state, not a region.
_STATE_FIRST = frozenset(
    {"has", "no", "with", "without", "is", "show", "hide", "enable", "disable"}
)
_STATE_LAST = frozenset({"open", "closed", "enabled", "disabled", "count"})

_NONE, _BOILER, _COMMENT = 0, 1, 2
_TOKEN_SPLIT = re.compile(r"[-_:.\s]+|(?<=[a-z])(?=[A-Z])")
_WS = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class Link:
    """One anchor of a page.

    Parameters
    ----------
    href : str
        The ``href`` attribute, resolved against the page URL (or ``<base href>``)
        when one is known, else as written (whitespace stripped).
    text : str
        The anchor text, whitespace-collapsed; the ``alt`` of an image inside the
        anchor, or the anchor's ``title``, when it has no text.
    region : {"content", "boilerplate", "comment"}
        Where on the page the anchor sits (module docstring gives the rules).
    """

    href: str
    text: str
    region: Region


@dataclass(frozen=True, slots=True)
class Page:
    """What :func:`extract` returns for one HTML document.

    Parameters
    ----------
    title : str or None
        The raw ``<title>``, whitespace-collapsed; None when absent or empty.
    og_title : str or None
        The ``<meta property="og:title">`` content, whitespace-collapsed.
    h1 : str or None
        The text of the first ``<h1>``, whitespace-collapsed.
    text : str
        The main text (boilerplate and comment sections removed); the whole
        visible text when the main-content heuristics keep nothing.
    links : tuple of Link
        Every ``<a href>`` in document order (the first :data:`MAX_LINKS`),
        labelled by region.
    too_deep : bool, default=False
        The page nests elements deeper than the ``max_depth`` of :func:`extract`:
        :attr:`text` is then the whole visible text (boilerplate included), since
        the main-content heuristics would take time quadratic in the depth.
    """

    title: str | None
    og_title: str | None
    h1: str | None
    text: str
    links: tuple[Link, ...]
    too_deep: bool = False

    def links_in(self, region: Region) -> tuple[Link, ...]:
        """Return the links of one region, in document order."""
        return tuple(link for link in self.links if link.region == region)


def extract(
    html: str | bytes,
    *,
    url: str | None = None,
    encoding: str | None = None,
    max_depth: int = MAX_DEPTH,
) -> Page:
    """Parse one HTML document into title fields, main text and labelled anchors.

    Parameters
    ----------
    html : str or bytes
        The document. Bytes are decoded by :func:`decode_html`.
    url : str or None, default=None
        The page's address; relative ``href`` values are resolved against it
        (or against ``<base href>``, itself resolved against ``url``).
    encoding : str or None, default=None
        For bytes input, the charset announced by the transport (the HTTP
        ``Content-Type``), used when the bytes carry no byte-order mark.
    max_depth : int, default=MAX_DEPTH
        Deepest element nesting (``<html>`` is 1) given the main-content
        heuristics; a deeper page gets its whole visible text and
        :attr:`Page.too_deep` set.

    Returns
    -------
    Page

    Raises
    ------
    TypeError
        If ``html`` is neither str nor bytes.
    InvalidParameterError
        If ``max_depth`` is not an integer >= 1.

    Notes
    -----
    ``<script>``, ``<style>``, ``<noscript>`` and hidden elements never reach
    :attr:`Page.text`. Comment sections are left out of the text as well
    (``extract_plain_text(..., comments=False)``); their anchors are still in
    :attr:`Page.links`, labelled ``"comment"``.

    Time is linear in the page size. Deeply nested pages are handled in two steps:
    a page with more than ``max_depth`` tags has its nesting estimated from the
    source (:func:`~spindetect.sources.html_depth.source_depth`, ~40 ms per MB);
    over ``4 * max_depth`` the tags beyond that depth are dropped before parsing
    (:func:`~spindetect.sources.html_depth.cap_depth`; text kept), since lexbor's
    tree construction is itself quadratic in the depth of unclosed formatting
    tags. The parsed DOM is then checked exactly with one CSS query
    (``html > * > ... > *``, ``max_depth`` levels). Either way the page gets its
    whole visible text and :attr:`Page.too_deep`: 100,000 nested ``<div>`` take
    about 0.2 s instead of minutes. The text of such a page is extracted without
    formatting (the indentation of lists nested thousands deep would multiply
    it); so is any text more than twice as long as its source. At most
    :data:`MAX_LINKS` anchors are kept. A malformed ``url``, ``<base href>`` or
    ``href`` (``http://[::1/``) is kept as written, never an error. Lone surrogates
    in a str ``html`` or ``url`` become U+FFFD, as a UTF-8 decoder would make them.
    """
    max_depth = check_int("max_depth", max_depth, low=1)
    if isinstance(html, (bytes, bytearray, memoryview)):
        html = decode_html(bytes(html), encoding=encoding)
    elif not isinstance(html, str):
        raise TypeError(f"html must be str or bytes, got {type(html).__name__}")
    html = no_surrogates(html)  # a lone surrogate (valid in str) cannot be parsed as UTF-8
    url = None if url is None else no_surrogates(url)
    too_deep = False
    if html.count("<") > max_depth and source_depth(html) > 4 * max_depth:
        html = cap_depth(html, 4 * max_depth)  # else parsing alone is quadratic
        too_deep = True
    tree = HTMLTree.parse(html)
    if not too_deep and html.count("<") + 2 > max_depth:
        too_deep = _deeper_than(tree, max_depth)
    if too_deep:  # whole text, unformatted: nested lists would indent each line by depth
        text = extract_plain_text(
            tree, main_content=False, comments=False, preserve_formatting=False
        )
    else:
        text = extract_plain_text(tree, main_content=True, comments=False)
        if not text.strip():
            text = extract_plain_text(tree, main_content=False, comments=False)
        if len(text) > 2 * len(html) + 1024:  # lists nested hundreds deep: drop the indents
            text = extract_plain_text(
                tree, main_content=False, comments=False, preserve_formatting=False
            )
    return Page(
        title=_collapse(tree.title),
        og_title=_og_title(tree),
        h1=_first_h1(tree),
        text=text.strip(),
        links=_links(tree, url),
        too_deep=too_deep,
    )


def _deeper_than(tree: HTMLTree, max_depth: int) -> bool:
    """Whether some element sits deeper than ``max_depth`` (``<html>`` at depth 1).

    One lexbor CSS query: matching right to left, it climbs at most
    ``max_depth`` parents per element and stops at the first match.
    """
    root = tree.document
    return root is not None and root.query_selector(_depth_selector(max_depth)) is not None


@lru_cache(maxsize=8)
def _depth_selector(max_depth: int) -> str:
    """``html > * > ... > *`` with ``max_depth`` stars: matches elements at depth max_depth + 1."""
    return "html" + " > *" * max_depth


def decode_html(data: bytes, *, encoding: str | None = None) -> str:
    """Decode HTML bytes, never failing.

    The charset is chosen as browsers do, in this order: a byte-order mark; the
    transport's ``encoding``; a ``<meta charset>`` or ``http-equiv`` declaration
    in the first 1024 bytes; UTF-8 if the bytes are valid UTF-8; else a guess by
    ``uchardet``. Labels are mapped to their WHATWG encodings (``iso-8859-1`` is
    read as ``windows-1252``). Bytes invalid in the chosen encoding become
    U+FFFD.

    Parameters
    ----------
    data : bytes
        The raw document.
    encoding : str or None, default=None
        The transport's charset, if any.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    label = _html5_label(encoding) if encoding else None
    if label is None:
        match = _META_CHARSET.search(data, 0, 1024)
        if match is not None:
            label = _html5_label(match.group(1).decode("ascii", errors="replace"))
            if label is not None and label.startswith("utf-16"):
                label = "utf-8"  # an ASCII-readable meta cannot be UTF-16 (WHATWG)
    if label is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            label = detect_encoding(data) or "utf-8"
    try:
        return data.decode(label, errors="replace")
    except LookupError:  # a WHATWG name Python lacks
        return str(bytes_to_str(data, "utf-8", errors="replace"))


def _html5_label(label: str) -> str | None:
    mapped = map_encoding_to_html5(label.strip())
    if not mapped:
        return None
    try:
        codecs.lookup(mapped)
    except LookupError:
        return None
    return str(mapped)


def _collapse(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def _og_title(tree: HTMLTree) -> str | None:
    root = tree.head or tree.document
    if root is None:
        return None
    meta = root.query_selector('meta[property="og:title"], meta[name="og:title"]')
    return None if meta is None else _collapse(meta.get_attribute("content"))


def _first_h1(tree: HTMLTree) -> str | None:
    root = tree.body or tree.document
    node = None if root is None else root.query_selector("h1")
    return None if node is None else _collapse(node.text)


def _links(tree: HTMLTree, url: str | None) -> tuple[Link, ...]:
    body = tree.body
    if body is None:
        return ()
    base = url
    base_node = tree.head.query_selector("base[href]") if tree.head is not None else None
    if base_node is not None:
        base_href = (base_node.get_attribute("href") or "").strip()
        if base_href:
            try:
                base = urljoin(url, base_href) if url else base_href
            except ValueError:  # a malformed <base href>: resolve against the page URL only
                base = url
    memo: dict[Node, int] = {}
    links = []
    anchors = body.query_selector_all("a[href]")
    for i in range(min(len(anchors), MAX_LINKS)):
        anchor = anchors.item(i)  # not anchors[i]: that builds every wrapper in the list
        if anchor is None:
            continue
        href = (anchor.get_attribute("href") or "").strip()
        if base and not (href.startswith(("http://", "https://")) and "/." not in href):
            try:
                href = urljoin(base, href)
            except ValueError:  # e.g. a malformed IPv6 host; keep the href as written
                pass
        links.append(Link(href=href, text=_anchor_text(anchor), region=_region(anchor, memo)))
    return tuple(links)


def _anchor_text(anchor: ElementNode) -> str:
    text = _collapse(anchor.text)
    if text:
        return text
    img = anchor.query_selector("img[alt]")
    if img is not None:
        alt = _collapse(img.get_attribute("alt"))
        if alt:
            return alt
    return _collapse(anchor.get_attribute("title")) or ""


# Region state of an element, accumulated from <body> down: bit flags.
_SEEN_BOILER, _BOILER_THEN_COMMENT, _SEEN_COMMENT = 1, 2, 4
_STOP_TAGS = frozenset({"body", "html", "#document"})


def _region(anchor: ElementNode, memo: dict[Node, int]) -> Region:
    """Label one anchor from the signals of itself and its ancestors.

    The state of an element is its parent's state updated with its own signal,
    so it is computed once per element (``memo``) and shared by every anchor
    below it. A boilerplate element with a comment section below it (on the
    way to the anchor) makes the anchor boilerplate; otherwise any comment
    section makes it a comment, any boilerplate element boilerplate.
    """
    chain: list[ElementNode] = []
    node: Node | None = anchor  # the anchor's own class counts too: <a class="skip-link">
    state = 0
    while node is not None:
        known = memo.get(node)
        if known is not None:
            state = known
            break
        if not isinstance(node, ElementNode) or node.tag in _STOP_TAGS:
            break
        chain.append(node)
        node = node.parent
    for element in reversed(chain):
        signal = _signal(element)
        if signal == _BOILER:
            state |= _SEEN_BOILER
        elif signal == _COMMENT:
            state |= _SEEN_COMMENT | (_BOILER_THEN_COMMENT if state & _SEEN_BOILER else 0)
        memo[element] = state
    if state & _BOILER_THEN_COMMENT:
        return "boilerplate"  # a comment list inside a widget, sidebar, ...
    if state & _SEEN_COMMENT:
        return "comment"  # boilerplate nested inside a comment stays comment
    return "boilerplate" if state & _SEEN_BOILER else "content"


def _signal(node: ElementNode) -> int:
    """Return the region signal of one element: tag, then class and id tokens."""
    cls = node.get_attribute("class")
    ident = node.get_attribute("id")
    signal = _names_signal(f"{cls or ''} {ident or ''}") if cls or ident else _NONE
    if signal == _NONE and node.tag in BOILERPLATE_TAGS:
        return _BOILER
    return signal


@lru_cache(maxsize=4096)
def _names_signal(names: str) -> int:
    """Signal of whitespace-separated class/id names (pages repeat them: cached)."""
    comment = boiler = False
    for name in names.split():
        tokens = [t.lower() for t in _TOKEN_SPLIT.split(name) if t]
        if not tokens or tokens[0] in _STATE_FIRST or tokens[-1] in _STATE_LAST:
            continue
        if len(tokens) > 1:
            tokens.append("".join(tokens))  # "side-bar", "sideBar" -> "sidebar"
        for token in tokens:
            if token.startswith("comment") or token in COMMENT_TOKENS:
                comment = True
            elif token in BOILERPLATE_TOKENS:
                boiler = True
    if boiler:  # a class/id naming furniture wins: "widget_recent_comments" is a widget
        return _BOILER
    if comment:  # over a furniture tag: <footer class="comment-meta"> is part of a comment
        return _COMMENT
    return _NONE
