"""Self-contained HTML reports of a scan and of a comparison, for moderators.

The pages are rendered with jinja2 from the package templates
(``spindetect/render/templates/*.html.j2``, read with :mod:`importlib.resources`) with
**autoescape on for every template**: crawled text is hostile, so every title,
phrase, id and address from the inputs reaches the page as escaped text. Markup
is built only around text escaped first (``Markup("<del>%s</del>") % piece``).

Each page stands alone: inline CSS, no scripts, no external resources, and a
Content-Security-Policy ``default-src 'none'; style-src 'unsafe-inline'`` so
that nothing in it can load or run. Links found in documents are shown as text
and are not clickable.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

from spindetect._validation import check_int

if TYPE_CHECKING:
    import jinja2

    from spindetect.crawl.records import PairRecord, ScanResult
    from spindetect.pairwise.comparison import Comparison, Passage

__all__ = ["render_compare_html", "render_scan_html"]

# Skip-log categories that note a kept document (a renamed id, a deep page read as
# whole text): shown as their own rows, not among the skipped inputs.
_KEPT_NOTES = ("duplicate-id", "deep-html")

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
    max_families: int = 1000,
    max_partial: int = 500,
    max_spun: int = 50,
) -> str:
    """Return the HTML page of a scan: summary, families table, one block per family.

    Parameters
    ----------
    result : ScanResult
        What :func:`spindetect.scan.scan` returned.
    title : str, default="spindetect scan report"
        Page title and heading.
    max_families : int, default=1000
        Families described (the largest first); the page says how many are left out.
    max_partial : int, default=500
        Partial-copy pairs listed.
    max_spun : int, default=50
        Documents of highest spun score listed (when the scan inspected them).

    Returns
    -------
    str
        A complete HTML document.
    """
    check_int("max_families", max_families, low=0)
    check_int("max_partial", max_partial, low=0)
    check_int("max_spun", max_spun, low=0)
    summary = result.summary
    by_cluster: dict[str | None, list[PairRecord]] = defaultdict(list)
    for pair in result.pairs:
        by_cluster[pair.cluster if pair.verdict != "partial" else None].append(pair)
    shown = result.clusters[:max_families]
    member_family = {m: c.id for c in shown for m in c.members}
    families = []
    for c in shown:
        mismatch = set(c.title_mismatch)
        members = [
            {
                "id": m,
                "title": c.titles.get(m),
                "representative": m == c.representative,
                "mismatch": m in mismatch,
                "inserted": c.inserted.get(m, []),
            }
            for m in sorted(c.members, key=lambda m: m != c.representative)
        ]
        families.append(
            {
                "c": c,
                "members": members,
                "distinct_titles": len({t for t in c.titles.values() if t}),
                "pairs": sorted(by_cluster.get(c.id, []), key=lambda p: -p.confidence),
            }
        )
    partial = sorted(by_cluster.get(None, []), key=lambda p: -p.confidence)
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
        hidden_families=len(result.clusters) - len(shown),
        member_family=member_family,
        partial=partial[:max_partial],
        spun=result.most_spun(max_spun),
        inspected=bool(result.documents),
        hidden_partial=max(len(partial) - max_partial, 0),
        skipped_records=records[:100],
        hidden_skipped=max(int(skipped.get("skipped", 0)) - min(len(records), 100), 0),
    )


def render_compare_html(
    result: Comparison,
    *,
    names: tuple[str, str] = ("a", "b"),
    title: str = "spindetect comparison",
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
        out += escape(text[cursor:s])
        out += Markup(f'<{tag} class="{cls}">%s</{tag}>') % text[s:e]
        cursor = e
    out += escape(text[cursor:end])
    return out


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
    )
    env.filters["num"] = _number
    return env


def _number(value: Any) -> str:
    """Integers with thousands separators (``12,345``); anything else as text."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


def _version() -> str:
    from spindetect import __version__

    return str(__version__)
