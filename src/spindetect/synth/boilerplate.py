"""Same-site negatives: two independent articles under one site's boilerplate.

In a real crawl the hardest non-copies are pages of one site, whose extracted
text carries the same boilerplate (site name and navigation, cookie notice,
"related posts", author bio, share and newsletter lines, disclaimer,
copyright) around unrelated articles. :func:`generate_template_negatives`
makes such pairs (:class:`TemplateNegative`) with a chosen share of shared
boilerplate; see its docstring for the model.
"""

from __future__ import annotations

import itertools
import math
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.synth.articles import compose_article
from spindetect.synth.naming import foreign_title, keyword_phrase, site_name
from spindetect.synth.source import load_source
from spindetect.synth.streams import Streams, TopicStream, expected_items
from spindetect.text.tokens import WORD_PATTERN

__all__ = ["TemplateNegative", "generate_template_negatives"]

#: Navigation labels of a site header (a few are drawn per site).
_NAV_LABELS = (
    "Home",
    "About",
    "About Us",
    "Contact",
    "Blog",
    "Articles",
    "News",
    "Guides",
    "Resources",
    "Categories",
    "Topics",
    "Newsletter",
    "Subscribe",
    "Search",
    "Log in",
    "Sign up",
    "Shop",
    "Archive",
    "Tips",
    "FAQ",
    "Privacy Policy",
    "Terms of Use",
    "Advertise",
    "Write for Us",
)
_COOKIE_NOTICES = (
    "We use cookies to improve your experience on {site}. By continuing to browse this site "
    "you agree to our use of cookies. Accept | Settings",
    "This website uses cookies to personalise content and ads and to analyse our traffic. "
    "Read our cookie policy to learn more. Accept all | Reject",
    "{site} uses cookies and similar technologies. Some are essential, others help us "
    "understand how you use the site. Manage preferences | OK",
)
_DISCLAIMERS = (
    "Disclaimer: the information on {site} is for general information purposes only. While "
    "we keep it up to date and correct, we make no representations or warranties of any kind "
    "about its completeness, accuracy or reliability.",
    "The content of this website is provided as is, without warranty of any kind. Any "
    "reliance you place on such information is strictly at your own risk. {site} may earn a "
    "commission on purchases made through links on this page.",
    "All articles on {site} are written for educational purposes and do not constitute "
    "professional advice. Always seek the advice of a qualified expert with any questions "
    "you may have.",
)
_SHARE_LINES = (
    "Share this article: Facebook | Twitter | LinkedIn | Pinterest | Email",
    "Share: Facebook Twitter WhatsApp Email Print",
    "Did you find this useful? Share it with your friends: Facebook | X | Reddit",
)
_NEWSLETTER_LINES = (
    "Subscribe to our newsletter and get the latest articles on {a} delivered to your inbox "
    "every week. No spam, unsubscribe at any time.",
    "Join thousands of readers: sign up for the {site} newsletter for weekly tips on {a} and {b}.",
)
_RELATED_HEADINGS = ("Related posts", "You may also like", "Read next", "More from {site}")
_FIRST_NAMES = (
    "Anna",
    "James",
    "Maria",
    "David",
    "Sarah",
    "Michael",
    "Laura",
    "Daniel",
    "Emma",
    "Thomas",
    "Julia",
    "Peter",
    "Sofia",
    "Robert",
    "Claire",
    "Mark",
    "Helen",
    "Paul",
    "Nina",
    "Lucas",
)
_LAST_NAMES = (
    "Miller",
    "Novak",
    "Garcia",
    "Schmidt",
    "Brown",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Jensen",
    "Walsh",
    "Moreau",
    "Fischer",
    "Silva",
    "Taylor",
    "Berg",
    "Costa",
    "Lindqvist",
    "Reyes",
)
_ROLES = ("editor", "staff writer", "contributor", "senior writer", "founder", "researcher")


@dataclass(frozen=True, slots=True)
class TemplateNegative:
    """Two pages of one site: independent articles under the same boilerplate.

    Attributes
    ----------
    a, b : str
        The two pages (header block, article with its title, footer block).
    topic : str
        Topic of both articles and of the site's generated boilerplate.
    site : str
        Host name of the site.
    template : tuple of str
        The shared lines, in page order (header, quotation, footer): each is a
        whole line of both ``a`` and ``b``. Every other line belongs to one
        article only.
    quote : str or None
        The quotation line both articles carry, if any (also in ``template``).
    """

    a: str
    b: str
    topic: str
    site: str
    template: tuple[str, ...]
    quote: str | None = None


def generate_template_negatives(
    n: int,
    *,
    seed: int = 0,
    doc_words: int = 500,
    template_share: tuple[float, float] = (0.1, 0.4),
    quote_rate: float = 0.5,
    source_path: str | os.PathLike[str] | None = None,
) -> list[TemplateNegative]:
    r"""Generate ``n`` same-site non-copy pairs: two independent articles under one template.

    What it models: in a real crawl the hardest non-copies are pages of one
    site, whose extracted text carries the same boilerplate (site name and
    navigation, cookie notice, "related posts", author bio, share and
    newsletter lines, disclaimer, copyright) around unrelated articles, and
    pages quoting the same short passage. They share long verbatim runs, so
    measures of the whole text (shingle Jaccard, TF-IDF cosine) rise with the
    boilerplate's share although no article is copied; :func:`generate_negatives`
    (two articles sharing no text) cannot show that.

    Each pair draws a topic, a site and a boilerplate share
    ``s ~ U(template_share)``. The two articles are generated as by
    :func:`generate_negatives`, about ``(1 - s) * doc_words`` words each. The
    template has ``T`` words (:data:`spindetect.text.tokens.WORD_PATTERN` words),

    .. math:: T = \operatorname{round}\left(\frac{s}{1 - s} \bar b\right),

    with :math:`\bar b` the mean word count of the two articles, clamped to
    ``[lo / (1 - lo) * max(b), hi / (1 - hi) * min(b)]`` when that interval is
    not empty, so that each page's share ``T / (T + b_i)`` lies in
    ``template_share`` (it can miss a very narrow range when the two
    articles' lengths differ). It is filled in a fixed priority -- site name,
    navigation, copyright line, with probability ``quote_rate`` a quotation (a
    generated sentence of the topic with an author, as its own paragraph at
    independent positions of both articles), then, in a per-site order, cookie
    notice, share line, related-post titles, author bio, newsletter line,
    disclaimer, and finally generated "about the site" sentences -- and the
    last piece is cut to the exact word count. Fixed phrases (navigation
    labels, notices) come from small built-in lists; every other word is
    generated from the topic's Markov chain, in the same run as the articles,
    so no sentence or 8-token run of the template occurs in an article.

    Parameters
    ----------
    n : int
        Number of pairs.
    seed : int, default=0
        Seed of every random choice (own random streams: no other generator's
        output depends on this function).
    doc_words : int, default=500
        Approximate words of each page, boilerplate included.
    template_share : (float, float), default=(0.1, 0.4)
        Range of the share of each page's words that is shared boilerplate;
        ``0 <= lo <= hi <= 0.9``.
    quote_rate : float, default=0.5
        Probability that the two articles also quote the same passage.
    source_path : path, optional
        The text source (default: the repository's).

    Returns
    -------
    list of TemplateNegative
    """
    check_int("n", n, low=0)
    check_int("seed", seed)
    check_int("doc_words", doc_words, low=1)
    lo, hi = _check_share(template_share)
    quote_rate = check_float("quote_rate", quote_rate, low=0.0, high=1.0)
    src = load_source(source_path)
    streams = Streams(
        src, f"spindetect.corpus:{seed}:template-negatives", items=expected_items(3 * n, doc_words)
    )
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:template-negative:{k}")
        topic = src.topics[int(rng.random() * len(src.topics))]
        out.append(_template_pair(streams(topic), rng, topic, doc_words, lo, hi, quote_rate))
    return out


def _check_share(share: Sequence[float]) -> tuple[float, float]:
    """Validate a ``(low, high)`` share range within [0, 0.9]."""
    if isinstance(share, (str, bytes)) or not isinstance(share, Sequence) or len(share) != 2:
        raise InvalidParameterError(
            f"template_share must be a pair (low, high) of numbers, got {share!r}"
        )
    lo = check_float("template_share", share[0], low=0.0, high=0.9)
    hi = check_float("template_share", share[1], low=0.0, high=0.9)
    if lo > hi:
        raise InvalidParameterError(
            f"template_share must be a range (low, high) with low <= high, got {share!r}"
        )
    return lo, hi


def _word_count(text: str) -> int:
    return len(WORD_PATTERN.findall(text))


def _cut_words(text: str, words: int) -> str:
    """Return ``text`` up to the end of its ``words``-th word (``""`` for 0)."""
    if words <= 0:
        return ""
    end = 0
    for count, match in enumerate(WORD_PATTERN.finditer(text), 1):
        end = match.end()
        if count == words:
            break
    return text[:end]


def _template_pair(
    chain: TopicStream,
    rng: random.Random,
    topic: str,
    doc_words: int,
    lo: float,
    hi: float,
    quote_rate: float,
) -> TemplateNegative:
    """Make one :class:`TemplateNegative` (see :func:`generate_template_negatives`)."""
    share = lo + (hi - lo) * rng.random()
    body_words = max(1, round(doc_words * (1.0 - share)))
    article_a, _ = compose_article(chain, rng, body_words)
    article_b, _ = compose_article(chain, rng, body_words)
    b_a, b_b = _word_count(article_a), _word_count(article_b)
    target = round(share / (1.0 - share) * (b_a + b_b) / 2)
    low = math.ceil(lo / (1.0 - lo) * max(b_a, b_b) - 1e-9)
    high = math.floor(hi / (1.0 - hi) * min(b_a, b_b) + 1e-9)
    if low <= high:
        target = min(max(target, low), high)

    site = site_name(chain, rng)
    name = " ".join(w.capitalize() for w in site.removesuffix(".example").split("-"))
    vocabulary = [w for w in chain.vocabulary if w.isalpha() and 4 <= len(w) <= 12]
    cats = (
        [vocabulary[int(rng.random() * len(vocabulary))].capitalize() for _ in range(2)]
        if vocabulary
        else ["Topics", "More"]
    )
    person = (
        f"{_FIRST_NAMES[int(rng.random() * len(_FIRST_NAMES))]} "
        f"{_LAST_NAMES[int(rng.random() * len(_LAST_NAMES))]}"
    )
    labels = list(_NAV_LABELS)
    rng.shuffle(labels)
    nav = " | ".join(
        [
            "Home",
            *cats[: 1 + int(rng.random() * 2)],
            *[w for w in labels[: 3 + int(rng.random() * 4)] if w != "Home"],
        ]
    )
    year = 2015 + int(rng.random() * 10)
    fill = {"site": name, "a": cats[0].lower(), "b": cats[-1].lower()}

    def related() -> list[str]:
        heading = _RELATED_HEADINGS[int(rng.random() * len(_RELATED_HEADINGS))]
        return [
            heading.format(**fill),
            *(foreign_title(chain, rng) for _ in range(3 + int(rng.random() * 4))),
        ]

    def bio() -> list[str]:
        role = _ROLES[int(rng.random() * len(_ROLES))]
        return [
            f"About the author: {person} is {'an' if role[0] in 'aeiou' else 'a'} {role} "
            f"at {name}. " + chain.sentence()
        ]

    def pick(options: Sequence[str]) -> Callable[[], list[str]]:
        return lambda: [options[int(rng.random() * len(options))].format(**fill)]

    # (slot, make lines): "top" lines open the page, "quote" goes into both articles,
    # "bottom" lines close it; filled in this priority until the word budget is spent.
    pieces: list[tuple[str, Callable[[], list[str]]]] = [
        ("top", lambda: [f"{name} | " + keyword_phrase(chain, rng).title()]),
        ("top", lambda: [nav]),
        (
            "copyright",
            lambda: [
                f"\u00a9 {year} {name}. All rights reserved. "
                "Privacy Policy | Terms of Use | Contact"
            ],
        ),
    ]
    if rng.random() < quote_rate:
        pieces.append(("quote", lambda: [f"\u201c{chain.sentence()}\u201d \u2014 {person}"]))
    optional: list[tuple[str, Callable[[], list[str]]]] = [
        ("top" if rng.random() < 0.5 else "bottom", pick(_COOKIE_NOTICES)),
        ("bottom", pick(_SHARE_LINES)),
        ("bottom", related),
        ("bottom", bio),
        ("bottom", pick(_NEWSLETTER_LINES)),
        ("bottom", pick(_DISCLAIMERS)),
    ]
    rng.shuffle(optional)
    pieces += optional

    placed: dict[str, list[str]] = {"top": [], "quote": [], "bottom": [], "copyright": []}
    left = target
    about: list[str] = []
    for slot, make in itertools.chain(pieces, itertools.repeat(("about", lambda: []))):
        if left <= 0:
            break
        if slot == "about":  # generated sentences about the site, as much as needed
            line = _cut_words(chain.sentence(), left)
            if not line:
                break
            about.append(line)
            left -= _word_count(line)
            continue
        for line in make():
            line = _cut_words(line, left)
            if line:
                placed[slot].append(line)
                left -= _word_count(line)
    bottom = placed["bottom"] + ([" ".join(about)] if about else []) + placed["copyright"]
    quote = placed["quote"][0] if placed["quote"] else None

    def page(article: str) -> str:
        if quote is not None:
            head, _, body = article.partition("\n\n")
            paragraphs = body.rstrip("\n").split("\n\n")
            at = 1 + int(rng.random() * len(paragraphs))
            paragraphs.insert(min(at, len(paragraphs)), quote)
            article = head + "\n\n" + "\n\n".join(paragraphs)
        parts = ["\n".join(placed["top"]), article.rstrip("\n"), "\n".join(bottom)]
        return "\n\n".join(p for p in parts if p) + "\n"

    template = tuple(placed["top"] + ([quote] if quote is not None else []) + bottom)
    return TemplateNegative(page(article_a), page(article_b), topic, site, template, quote)
