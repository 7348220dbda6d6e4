"""Self-contained HTML reports of a scan and of a comparison, for moderators.

The pages are rendered with jinja2 from the package templates
(``spindetect/render/templates/*.html.j2``, read with :mod:`importlib.resources`) with
**autoescape on for every template**: crawled text is hostile, so every title,
phrase, id and address from the inputs reaches the page as escaped text. Markup
is built only around text escaped first (``Markup("<del>%s</del>") % piece``), and
characters that would act rather than show (controls, bidi overrides, lone
surrogates) are spelled out first (:func:`visible`, the environment's ``finalize``).

Each page stands alone: inline CSS, no scripts, no external resources, and a
Content-Security-Policy ``default-src 'none'; style-src 'unsafe-inline'`` so
that nothing in it can load or run. Links found in documents are shown as text
and are not clickable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

from spindetect._validation import check_int
from spindetect.exceptions import InvalidParameterError

if TYPE_CHECKING:
    import jinja2

    from spindetect.crawl.records import ClusterRecord, PairRecord, ScanResult
    from spindetect.pairwise.comparison import Comparison, Passage

__all__ = ["compare_command", "render_compare_html", "render_scan_html", "report_pairs"]

# Skip-log categories that note a kept document (a renamed id, a deep page read as
# whole text): shown as their own rows, not among the skipped inputs.
_KEPT_NOTES = ("duplicate-id", "deep-html")

# Inserted phrases shown per member and distinct titles per family (the JSONL has them all).
_MAX_PHRASES = 3
_MAX_TITLES = 20
# Families per group of the families list and of the blocks. Only the first group is laid
# out when the page opens; the others wait in closed <details> (parsed, not laid out).
_PAGE = 100

_PAIR_STYLE = {
    "swap": ("del", "swap", "ins", "swap"),
    "insert": (None, None, "ins", "insert"),
    "delete": ("del", "delete", None, None),
    "rewrite": ("mark", "rewrite", "mark", "rewrite"),
}


def render_scan_html(
    result: ScanResult,
    *,
    title: str = "spindetect scan report",
    urls: Mapping[str, str | None] | None = None,
    max_families: int = 1000,
    max_members: int = 200,
    max_pairs: int = 20,
    max_rows: int = 8_000,
    max_partial: int = 500,
    max_spun: int = 50,
    pair_links: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """Return the HTML page of a scan: summary, families list, one block per family.

    The families list ranks the families (largest first, as the scan numbers them) and
    names each by its representative: its title (or, without one, its id), its id and
    its URL when known. A family block lists its members (the representative first,
    each with its closest member), its links and template text, and its strongest
    pairs; a large family is summarised, not listed in full: at most ``max_members``
    member rows (the other ids follow as a compact list, and its distinct titles as a
    table) and ``max_pairs`` pair rows with the verdict counts and the confidence range
    of all the ``n (n - 1) / 2`` pairs it may hold. The page's cost is bounded whatever
    the families: member and pair rows of all blocks together stop at ``max_rows``; the
    families after that (smaller ones, by rank) get a short block, their member ids as
    one line and their pair counts. A browser then opens the report of a 100,000-document
    crawl in about a second (``benchmarks/bench_report_browser.py``).

    Parameters
    ----------
    result : ScanResult
        What :func:`spindetect.scan.scan` returned.
    title : str, default="spindetect scan report"
        Page title and heading.
    urls : mapping of str to str or None, optional
        URL of each document id, shown beside the representative and the members (a WARC
        record's id is its URL already); default: the families' own (``ClusterRecord.urls``).
    max_families : int, default=1000
        Families described (the largest first); the page says how many are left out.
    max_members : int, default=200
        Member rows per family; further members are listed by id only.
    max_pairs : int, default=20
        Pair rows per family (highest confidence first).
    max_rows : int, default=8000
        Member and pair rows of all family blocks together; the families past it are
        described in short.
    max_partial : int, default=500
        Partial-copy pairs listed.
    max_spun : int, default=50
        Documents of highest spun score listed (when the scan inspected them).
    pair_links : mapping of (str, str) to str, optional
        Address of the side-by-side compare page of pairs ``(a, b)``, relative to the
        report (:func:`spindetect.render.pair_pages.write_pair_pages` writes them); a
        listed pair without one shows the ``spindetect compare`` command that opens it.

    Returns
    -------
    str
        A complete HTML document.

    Raises
    ------
    InvalidParameterError
        When a ``max_*`` option is not a non-negative integer, or ``urls`` or
        ``pair_links`` not a mapping.
    """
    _check_limits(
        max_families=max_families,
        max_members=max_members,
        max_pairs=max_pairs,
        max_rows=max_rows,
        max_partial=max_partial,
        max_spun=max_spun,
    )
    if urls is not None and not isinstance(urls, Mapping):
        raise InvalidParameterError(
            f"urls must be a mapping of id to URL or None, got {urls!r:.60}"
        )
    url_of = (
        dict(urls)
        if urls is not None
        else {m: u for c in result.clusters for m, u in c.urls.items()}
    )
    links = _check_links(pair_links)
    summary = result.summary
    plan, partial = _plan(result, max_families, max_members, max_pairs, max_rows)
    member_family = {m: c.id for c, _, _ in plan for m in c.members}
    families: list[dict[str, Any]] = []
    for c, pairs, full in plan:
        family = _family(c, pairs, url_of, max_members=max_members, max_pairs=max_pairs, full=full)
        families.append({**family, "rank": len(families) + 1})
    skipped = summary.get("skipped") or {}
    records = list(skipped.get("records", []))
    records = [r for r in records if r.get("category") not in _KEPT_NOTES]
    seconds = (summary.get("seconds") or {}).get("total")
    return _template("scan.html.j2").render(
        title=title,
        version=_version(),
        s=_Summary(summary),
        n_copy_pairs=sum((summary.get("pairs") or {}).values()),
        skipped_counts=[
            (k, v) for k, v in (skipped.get("counts") or {}).items() if k not in _KEPT_NOTES
        ],
        duplicates=skipped.get("duplicates", 0),
        deep_pages=skipped.get("deep_pages", 0),
        seconds=seconds,
        families=families,
        page_size=_PAGE,
        hidden_families=len(result.clusters) - len(plan),
        pair_links=links,
        member_family=member_family,
        partial=partial[:max_partial],
        spun=result.most_spun(max_spun),
        inspected=bool(result.documents),
        hidden_partial=max(len(partial) - max_partial, 0),
        skipped_records=records[:100],
        hidden_skipped=max(int(skipped.get("skipped", 0)) - min(len(records), 100), 0),
    )


def report_pairs(
    result: ScanResult,
    *,
    max_families: int = 1000,
    max_members: int = 200,
    max_pairs: int = 20,
    max_rows: int = 8_000,
    max_partial: int = 500,
) -> list[tuple[ClusterRecord | None, list[PairRecord]]]:
    """Return the pair rows :func:`render_scan_html` lists, in page order.

    One entry per family block with pair rows (its strongest pairs first), then one
    ``(None, pairs)`` for the partial copies; the options are those of
    :func:`render_scan_html` and must be the same to describe the same page.

    Parameters
    ----------
    result : ScanResult
        What :func:`spindetect.scan.scan` returned.
    max_families, max_members, max_pairs, max_rows, max_partial : int
        As in :func:`render_scan_html`.

    Returns
    -------
    list of (ClusterRecord or None, list of PairRecord)
    """
    _check_limits(
        max_families=max_families,
        max_members=max_members,
        max_pairs=max_pairs,
        max_rows=max_rows,
        max_partial=max_partial,
    )
    plan, partial = _plan(result, max_families, max_members, max_pairs, max_rows)
    rows: list[tuple[ClusterRecord | None, list[PairRecord]]] = [
        (c, _strongest(pairs)[:max_pairs]) for c, pairs, full in plan if full and pairs
    ]
    if partial and max_partial:
        rows.append((None, partial[:max_partial]))
    return [(c, pairs) for c, pairs in rows if pairs]


def _check_limits(**limits: int) -> None:
    """Check that each ``max_*`` option is a non-negative integer (its name in the message)."""
    for name, value in limits.items():
        check_int(name, value, low=0)


def _plan(
    result: ScanResult, max_families: int, max_members: int, max_pairs: int, max_rows: int
) -> tuple[list[tuple[ClusterRecord, list[PairRecord], bool]], list[PairRecord]]:
    """Lay the page out under its row budget.

    Returns the families shown (with all their pairs and whether their block is full)
    and the partial pairs, strongest first.
    """
    by_cluster: dict[str | None, list[PairRecord]] = defaultdict(list)
    for pair in result.pairs:
        by_cluster[pair.cluster if pair.verdict != "partial" else None].append(pair)
    plan = []
    rows = max_rows
    for c in result.clusters[:max_families]:
        pairs = by_cluster.get(c.id, [])
        need = min(c.size, max_members) + min(len(pairs), max_pairs)
        full = need <= rows
        rows -= need if full else 0
        plan.append((c, pairs, full))
    return plan, _strongest(by_cluster.get(None, []))


def _strongest(pairs: list[PairRecord]) -> list[PairRecord]:
    """Return the pairs by confidence, highest first (ties in scan order)."""
    return sorted(pairs, key=lambda p: -p.confidence)


def _check_links(links: Mapping[tuple[str, str], str] | None) -> dict[tuple[str, str], str]:
    if links is None:
        return {}
    if not isinstance(links, Mapping):
        raise InvalidParameterError(
            f"pair_links must be a mapping of (a, b) to an address or None, got {links!r:.60}"
        )
    return dict(links)


def compare_command(a: str, b: str) -> str:
    """Return the shell command that opens pair ``(a, b)`` side by side.

    The ids are quoted for a POSIX shell (:func:`shlex.quote`) after ``--``, so an id
    such as ``$(rm -rf ~)`` or ``--help`` stays an argument. The ids of text files are
    their paths; a JSONL or WARC record's text must be saved to a file first.

    Examples
    --------
    >>> compare_command("a.txt", "my file.txt")
    "spindetect compare --html pair.html -- a.txt 'my file.txt'"
    """
    import shlex

    return f"spindetect compare --html pair.html -- {shlex.quote(a)} {shlex.quote(b)}"


def _family(
    c: ClusterRecord,
    pairs: list[PairRecord],
    url_of: Mapping[str, str | None],
    *,
    max_members: int,
    max_pairs: int,
    full: bool = True,
) -> dict[str, Any]:
    """Return what the page shows of one family (members, titles, strongest pairs).

    With ``full`` False, no member or pair rows: the member ids as one line of text.
    """
    if not full:
        max_members = max_pairs = 0
    closest: dict[str, tuple[float, str, str]] = {}  # member -> (confidence, other, verdict)
    for p in pairs:
        for one, other in ((p.a, p.b), (p.b, p.a)):
            if one not in closest or p.confidence > closest[one][0]:
                closest[one] = (p.confidence, other, p.verdict)
    mismatch = set(c.title_mismatch)
    order = sorted(c.members, key=lambda m: m != c.representative)
    members = [
        {
            "id": m,
            "title": c.titles.get(m),
            "url": url_of.get(m),
            "representative": m == c.representative,
            "mismatch": m in mismatch,
            "inserted": c.inserted.get(m, [])[:_MAX_PHRASES],
            "more_inserted": max(len(c.inserted.get(m, [])) - _MAX_PHRASES, 0),
            "closest": closest.get(m),
        }
        for m in order[:max_members]
    ]
    titles = Counter(t for t in c.titles.values() if t)
    strongest = _strongest(pairs)
    confidences = sorted(p.confidence for p in pairs)
    rep_title = c.titles.get(c.representative)
    return {
        "c": c,
        "name": rep_title or c.representative,
        "rep_title": rep_title,
        "rep_url": url_of.get(c.representative),
        "members": members,
        "full": full,
        "more_members": ", ".join(order[max_members:]),
        "n_more_members": max(len(order) - max_members, 0),
        "distinct_titles": len(titles),
        "titles": titles.most_common(_MAX_TITLES),
        "more_titles": max(len(titles) - _MAX_TITLES, 0),
        "pairs": strongest[:max_pairs],
        "n_pairs": len(pairs),
        "hidden_pairs": max(len(pairs) - max_pairs, 0),
        "confidence": (confidences[0], confidences[len(confidences) // 2], confidences[-1])
        if confidences
        else None,
    }


def render_compare_html(
    result: Comparison,
    *,
    names: tuple[str, str] = ("a", "b"),
    title: str = "spindetect comparison",
    scan_pair: PairRecord | None = None,
    back: str | None = None,
) -> str:
    """Return the HTML page of a comparison: verdict, scores, titles, substitutions, passages.

    Aligned passages are shown side by side; inside them a swapped run is
    ``<del class="swap">`` in a and ``<ins class="swap">`` in b, a run present on
    one side only is ``<del class="delete">``/``<ins class="insert">``, and a
    rewritten run is ``<mark class="rewrite">`` on both sides.

    Parameters
    ----------
    result : Comparison
        What :func:`spindetect.compare.compare` returned.
    names : tuple of str, default=("a", "b")
        Labels of the two documents (file names).
    title : str, default="spindetect comparison"
        Page title and heading.
    scan_pair : PairRecord, optional
        The scan's record of this pair (a scan report's pair page): its verdict,
        confidence and family are shown above the comparison's own.
    back : str, optional
        Address of the scan report (relative), linked as "back to the scan report".

    Returns
    -------
    str
        A complete HTML document.
    """
    passages = [
        {
            "kind": p.kind,
            "a": _highlight(result.text_a, p, "a"),
            "b": _highlight(result.text_b, p, "b"),
        }
        for p in result.passages
    ]
    titles = [(side, t) for side in ("a", "b") if (t := result.titles.get(side)) is not None]
    return _template("compare.html.j2").render(
        title=title,
        version=_version(),
        r=result,
        names=(str(names[0]), str(names[1])),
        stats=dict(result.stats),
        titles=titles,
        passages=passages,
        scan_pair=scan_pair,
        back=back,
    )


def _highlight(text: str, passage: Passage, side: str) -> Any:
    """Escape the passage text of ``side`` and wrap its changed runs in del/ins/mark tags."""
    from markupsafe import Markup, escape

    start, end = passage.a if side == "a" else passage.b
    spans = []
    for change in passage.changes:
        s, e = change.a if side == "a" else change.b
        style = _PAIR_STYLE.get(change.kind, ("mark", "rewrite", "mark", "rewrite"))
        tag, cls = (style[0], style[1]) if side == "a" else (style[2], style[3])
        if tag is not None and e > s:
            spans.append((max(s, start), min(e, end), tag, cls))
    out = Markup()
    cursor = start
    for s, e, tag, cls in sorted(spans):
        if s < cursor or e <= s:  # overlapping or outside the passage: leave as plain text
            continue
        out += escape(visible(text[cursor:s]))
        out += Markup(f'<{tag} class="{cls}">%s</{tag}>') % visible(text[s:e])
        cursor = e
    out += escape(visible(text[cursor:end]))
    return out


def _visible_table() -> dict[int, str]:
    """Code points :func:`visible` spells out: C0/C1 controls, bidi overrides, surrogates."""
    table = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
    del table[0x09], table[0x0A]  # tab and newline are layout, not hostile
    for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xD800, 0xE000)]:
        table[c] = f"\\u{c:04x}"
    return table


_VISIBLE = _visible_table()


def visible(text: str) -> str:
    """Spell out the characters of ``text`` that would act instead of showing.

    Control characters (C0 but tab and newline, DEL, C1) become ``\\xNN``; bidi
    embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates
    become ``\\uNNNN``. A hostile id can then neither reorder the text around it nor
    send a terminal escape, and the page always encodes as UTF-8. Every value a template
    shows passes through it (the jinja environment's ``finalize``) before escaping.

    Parameters
    ----------
    text : str
        Text from the inputs.

    Returns
    -------
    str
        The same text with those characters written as escapes.

    Examples
    --------
    >>> visible("a\\u202egnp.exe\\x1b[2J")
    'a\\\\u202egnp.exe\\\\x1b[2J'
    """
    return text.translate(_VISIBLE)


def _finalize(value: Any) -> Any:
    """Jinja ``finalize``: plain strings are made :func:`visible`; markup is left alone."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


class _Summary(dict[str, Any]):
    """The summary mapping with defaults for keys an older or partial summary may lack."""

    _DEFAULTS: ClassVar[dict[str, Any]] = {
        "documents": 0,
        "candidates": 0,
        "pairs": {},
        "clusters": 0,
        "clustered_documents": 0,
        "largest_cluster": 0,
        "spun_documents": 0,
    }

    def __init__(self, summary: dict[str, Any]) -> None:
        super().__init__({**self._DEFAULTS, **summary})


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    folder = resources.files("spindetect.render") / "templates"

    def load(name: str) -> str | None:
        item = folder / name
        return item.read_text(encoding="utf-8") if item.is_file() else None

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=jinja2.select_autoescape(default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["num"] = _number
    env.globals["compare_command"] = compare_command
    return env


def _number(value: Any) -> str:
    """Integers with thousands separators (``12,345``); anything else as text."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


def _version() -> str:
    from spindetect import __version__

    return str(__version__)
