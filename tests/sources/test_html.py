"""Tests for spindetect.html: title fields, main text, charset handling, anchor regions."""

from __future__ import annotations

import pytest

from spindetect.sources.html import Link, Page, decode_html, extract

BLOG = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>  How to Grow Tomatoes
   | Garden Blog </title>
<meta property="og:title" content="How to  Grow Tomatoes">
<style>.secret-style { color: red; } STYLE_SHOULD_NOT_LEAK</style>
<script>var leaked = "SCRIPT_SHOULD_NOT_LEAK";</script>
</head>
<body class="post-template-default single comments-open has-sidebar">
<a class="skip-link" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
  <nav class="main-navigation"><ul>
    <li><a href="/">Home</a></li><li><a href="/about/">About</a></li>
  </ul></nav>
</header>
<div id="content" class="site-content">
<main id="main" class="site-main">
<article class="post">
  <h1 class="entry-title">Growing   Tomatoes at Home</h1>
  <div class="entry-content">
    <p>Tomatoes need full sun and regular watering to thrive in a home garden.
       Plant them after the last frost when the soil has warmed.</p>
    <p>Choose a sturdy variety and buy <a href="https://seeds.example.org/tomato">heirloom
       tomato seeds</a> from a trusted supplier. Stake the plants early so the stems hold.</p>
    <div class="ad-inline"><a href="https://ads.example.net/click?id=1">Sponsored: cheap
       fertiliser</a></div>
    <p>Feed the plants every two weeks with a balanced fertiliser, and see our
       <a href="../guides/pruning/">pruning guide</a> for more tips on pinching suckers.</p>
    <script>document.write("INLINE_SCRIPT_LEAK");</script>
  </div>
</article>
<div id="comments" class="comments-area">
  <ol class="comment-list">
    <li class="comment">
      <footer class="comment-meta">
        <a href="https://casino.example.com/" class="url">Best Casino</a></footer>
      <div class="comment-content"><p>Great post! Visit
        <a href="https://casino.example.com/bonus">online casino bonus</a> now.</p></div>
    </li>
  </ol>
</div>
</main>
<aside id="secondary" class="widget-area">
  <section class="widget widget_text"><h2>Our sponsors</h2>
    <a href="https://pills.example.com/">Cheap pills</a>
    <a href="https://loans.example.com/"><img src="x.png" alt="Fast loans"></a>
  </section>
  <div class="widget_recent_comments">
    <a href="/2023/older-post/#comment-5">Bob on Older post</a></div>
</aside>
</div>
<footer id="colophon" class="site-footer">
  <p>&copy; 2024 Garden Blog. <a href="/privacy/">Privacy</a></p></footer>
</body>
</html>
"""
URL = "https://blog.example.com/2024/tomatoes/"


@pytest.fixture(scope="module")
def blog() -> Page:
    return extract(BLOG, url=URL)


def _by_text(page: Page) -> dict[str, Link]:
    return {link.text: link for link in page.links}


def test_title_fields_are_whitespace_collapsed(blog: Page) -> None:
    assert blog.title == "How to Grow Tomatoes | Garden Blog"
    assert blog.og_title == "How to Grow Tomatoes"
    assert blog.h1 == "Growing Tomatoes at Home"


def test_main_text_keeps_article_and_drops_furniture(blog: Page) -> None:
    assert "Tomatoes need full sun" in blog.text
    assert "pinching suckers" in blog.text
    assert "heirloom tomato seeds" in blog.text  # anchor text stays in the sentence
    for furniture in ("About", "Cheap pills", "Privacy", "Best Casino", "online casino", "Bob"):
        assert furniture not in blog.text, furniture


@pytest.mark.parametrize(
    "leak", ["SCRIPT_SHOULD_NOT_LEAK", "INLINE_SCRIPT_LEAK", "STYLE_SHOULD_NOT_LEAK", "secret"]
)
def test_script_and_style_never_reach_text(blog: Page, leak: str) -> None:
    assert leak not in blog.text


def test_every_anchor_is_kept_in_document_order(blog: Page) -> None:
    texts = [link.text for link in blog.links]
    assert texts == [
        "Skip to content",
        "Home",
        "About",
        "heirloom tomato seeds",
        "Sponsored: cheap fertiliser",
        "pruning guide",
        "Best Casino",
        "online casino bonus",
        "Cheap pills",
        "Fast loans",
        "Bob on Older post",
        "Privacy",
    ]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("heirloom tomato seeds", "content"),  # in-article keyword link
        ("pruning guide", "content"),
        ("Skip to content", "boilerplate"),  # the anchor's own class
        ("Home", "boilerplate"),  # <nav> inside <header>
        ("About", "boilerplate"),
        ("Sponsored: cheap fertiliser", "boilerplate"),  # class "ad-inline"
        ("Best Casino", "comment"),  # <footer class="comment-meta"> inside a comment
        ("online casino bonus", "comment"),  # spam link in the comment body
        ("Cheap pills", "boilerplate"),  # sidebar sponsored widget
        ("Fast loans", "boilerplate"),  # image link: text from alt
        ("Bob on Older post", "boilerplate"),  # "recent comments" widget is a widget
        ("Privacy", "boilerplate"),  # footer
    ],
)
def test_region_labels(blog: Page, text: str, region: str) -> None:
    assert _by_text(blog)[text].region == region


def test_state_classes_on_body_do_not_label_everything(blog: Page) -> None:
    # <body class="comments-open has-sidebar"> must not turn content links into
    # comment or boilerplate links.
    assert len(blog.links_in("content")) == 2


def test_hrefs_are_resolved_against_url(blog: Page) -> None:
    links = _by_text(blog)
    assert links["Home"].href == "https://blog.example.com/"
    assert links["pruning guide"].href == "https://blog.example.com/2024/guides/pruning/"
    assert links["Skip to content"].href == URL + "#content"
    assert links["heirloom tomato seeds"].href == "https://seeds.example.org/tomato"


def test_hrefs_kept_as_written_without_url() -> None:
    page = extract('<p>see <a href=" ../x.html ">x</a></p>')
    assert page.links == (Link(href="../x.html", text="x", region="content"),)


def test_base_href_wins_over_url() -> None:
    html = '<head><base href="/sub/"></head><body><p><a href="a.html">a</a></p></body>'
    page = extract(html, url="https://h.example/dir/page.html")
    assert page.links[0].href == "https://h.example/sub/a.html"


def test_anchors_without_href_are_not_links() -> None:
    page = extract('<p><a name="top">top</a> <a href="/x">x</a> text here</p>')
    assert [link.text for link in page.links] == ["x"]


@pytest.mark.parametrize(
    ("cls", "region"),
    [
        ("sidebar", "boilerplate"),
        ("sideBar", "boilerplate"),  # camelCase splits
        ("related-posts", "boilerplate"),
        ("breadcrumbs", "boilerplate"),
        ("ads", "boilerplate"),
        ("sponsored-links", "boilerplate"),
        ("banner top", "boilerplate"),
        ("menu-primary", "boilerplate"),
        ("side-bar", "boilerplate"),
        ("commentlist", "comment"),
        ("reply-body", "comment"),
        ("respond", "comment"),
        ("download", "content"),  # "ad" is a token, not a substring
        ("loaded-content", "content"),
        ("navy-blue", "content"),
        ("has-sidebar", "content"),  # state, not region
        ("comments-closed", "content"),
    ],
)
def test_class_tokens(cls: str, region: str) -> None:
    html = f'<div class="{cls}"><p>Some words <a href="/x">x</a> here.</p></div>'
    assert extract(html).links[0].region == region


@pytest.mark.parametrize("tag", ["nav", "header", "footer", "aside", "form"])
def test_furniture_tags(tag: str) -> None:
    html = f'<{tag}><a href="/x">x</a></{tag}><p>Main text of the page is here.</p>'
    assert extract(html).links[0].region == "boilerplate"


def test_id_attribute_counts_like_class() -> None:
    page = extract('<div id="disqus_thread"><a href="/u">u</a></div><p>Body text.</p>')
    assert page.links[0].region == "comment"


def test_missing_title_fields_are_none() -> None:
    page = extract("<p>Only a paragraph of text without any title.</p>")
    assert (page.title, page.og_title, page.h1) == (None, None, None)
    assert page.text == "Only a paragraph of text without any title."


def test_text_falls_back_to_all_visible_text() -> None:
    # A page whose only text sits in a list: main-content heuristics may drop it.
    page = extract("<html><body><ul><li>alpha beta</li></ul></body></html>")
    assert "alpha beta" in page.text


def test_empty_document() -> None:
    page = extract("")
    assert page == Page(title=None, og_title=None, h1=None, text="", links=())


def test_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="html must be str or bytes"):
        extract(12)  # type: ignore[arg-type]


# -- charsets -------------------------------------------------------------------------------


def test_bytes_with_meta_charset() -> None:
    html = '<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head></html>'
    page = extract(html.encode("cp1252"))
    assert page.title == "Café"


def test_bytes_with_http_equiv_charset() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "<title>na\xefve</title>"
    )
    assert extract(html.encode("latin-1")).title == "naïve"


def test_transport_charset_wins_over_meta() -> None:
    html = '<meta charset="utf-8"><title>\u00fcber</title>'.encode("cp1252")
    assert extract(html, encoding="windows-1252").title == "über"


def test_utf8_bytes_without_declaration() -> None:
    title = "Z\u00fcrich \u2013 K\u00f6ln"
    assert extract(f"<title>{title}</title>".encode()).title == title


def test_bom_decides() -> None:
    data = b"\xef\xbb\xbf" + '<meta charset="latin-1"><title>\u00e9t\u00e9</title>'.encode()
    assert extract(data).title == "été"


def test_invalid_bytes_are_replaced_not_fatal() -> None:
    data = b'<meta charset="utf-8"><title>bad \xff\xfe byte</title>'
    assert decode_html(data).count("\ufffd") == 2
    assert extract(data).title == "bad \ufffd\ufffd byte"


def test_undeclared_legacy_encoding_is_detected() -> None:
    text = "Größere Äpfel schmecken süßer als kleine, öfter gegessen. " * 4
    html = f"<html><body><p>{text}</p></body></html>".encode("cp1252")
    assert "Größere Äpfel" in extract(html).text


def test_unknown_meta_charset_falls_back() -> None:
    data = '<meta charset="x-no-such-thing"><title>caf\u00e9</title>'.encode()
    assert extract(data).title == "café"
