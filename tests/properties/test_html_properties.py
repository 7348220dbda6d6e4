"""Property tests of spindetect.html: extraction never fails and never leaks scripts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.sources.html import extract

_TAGS = ["div", "p", "a", "nav", "aside", "footer", "header", "span", "ul", "li", "script"]
_CLASSES = ["", "comment", "sidebar", "ad", "menu", "post", "reply", "has-sidebar", "x"]
_WORDS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """Random nested markup, some of it malformed (unclosed tags, stray brackets)."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 3 if depth < 3 else 1))
        if kind == 0:
            parts.append(draw(_WORDS).replace("<", " "))
        elif kind == 1:
            # Stray pieces never leave a tag open: "<?"/"<!" open a bogus comment and "<a"
            # directly before "<script" makes one tag named "a<script" (HTML5), either of
            # which turns a following <script> into text, legitimately.
            parts.append(draw(st.sampled_from(["< ", ">", "&amp;", "&#0;", "</p>", "<a>", '"'])))
        else:
            tag = draw(st.sampled_from(_TAGS))
            cls = draw(st.sampled_from(_CLASSES))
            href = ' href="/h?q=1"' if tag == "a" else ""
            inner = draw(fragments(depth + 1)) if tag != "script" else "SCRIPTLEAK()"
            close = draw(st.booleans())
            parts.append(f'<{tag} class="{cls}"{href}>{inner}' + (f"</{tag}>" if close else ""))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(fragments())
def test_extract_never_fails_and_labels_every_link(html: str) -> None:
    page = extract(html, url="https://example.org/dir/")
    assert "SCRIPTLEAK" not in page.text
    if "href=" not in html:
        assert page.links == ()  # (one unclosed <a> may become several: HTML5 parsing)
    for link in page.links:
        assert link.region in {"content", "boilerplate", "comment"}
        assert link.href == "https://example.org/h?q=1"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_extract_accepts_any_bytes(data: bytes) -> None:
    page = extract(data)
    assert isinstance(page.text, str)
    assert "\ud800" not in page.text
