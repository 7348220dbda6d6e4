"""Side-by-side compare pages of a scan report's pairs, in a folder beside the report.

A scan report (``report.html``) lists each family's strongest pairs and the partial
copies. The first of them (:class:`PairViews`: ``max_views`` pairs, ``per_family`` of
each family, in page order) open the compare page of the two texts
(:func:`spindetect.compare`, rendered by
:func:`~spindetect.render.html_report.render_compare_html`): ``report.pairs/KEY.html``,
linked relatively from the pair's row, with a link back to the pair's family.

The scan keeps fingerprints, not texts: :class:`PairTexts`, given to
``scan(on_texts=...)``, reads back the texts of those pairs only, once each, by
document number at the end of the scan. The pages are rendered afterwards
(:func:`write_pair_pages`); :func:`spindetect.render.writers.write_result` writes them
with the report, through a temporary folder renamed into place.

A page's file name is a hash of its pair's ids (``KEY``: 20 hex digits), never an id: a
hostile id cannot name a file, and a report always links a pair to that pair's page.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from spindetect._validation import check_int
from spindetect.exceptions import SpinDetectError

if TYPE_CHECKING:
    from spindetect.crawl.records import PairRecord, ScanResult
    from spindetect.text.function_words import FunctionWords

__all__ = ["PairTexts", "PairViews", "page_name", "pairs_folder", "write_pair_pages"]

PageProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class PairViews:
    """Which listed pairs of a scan report get a side-by-side compare page.

    The pairs are taken in the page's order (:func:`~spindetect.render.html_report.
    report_pairs`): each family block's strongest ``per_family`` pairs, the largest
    families first, then the partial copies, until ``max_views``. A pair whose texts
    are longer than ``max_chars`` gets none (a compare of two 1 MB texts takes seconds;
    the row shows the command instead), as does every pair past the cap.

    Parameters
    ----------
    max_views : int, default=200
        Pages at most (0: none). At about 50 ms a pair of 250-word pages, 200 pages
        add some 10 s and 4 MB to a report.
    per_family : int, default=5
        Pages per family at most.
    max_chars : int, default=100000
        Longest text (characters) a page is made for.

    Raises
    ------
    InvalidParameterError
        When an option is not a non-negative integer (``max_chars``: positive).
    """

    max_views: int = 200
    per_family: int = 5
    max_chars: int = 100_000

    def __post_init__(self) -> None:
        check_int("max_views", self.max_views, low=0)
        check_int("per_family", self.per_family, low=0)
        check_int("max_chars", self.max_chars, low=1)

    def select(self, result: ScanResult) -> list[PairRecord]:
        """Return the pairs of ``result`` that get a page, in page order.

        The report is the one :func:`~spindetect.render.html_report.render_scan_html`
        renders with its default limits.
        """
        from spindetect.render.html_report import report_pairs

        chosen: list[PairRecord] = []
        for family, pairs in report_pairs(result):
            for pair in pairs if family is None else pairs[: self.per_family]:
                if len(chosen) >= self.max_views:
                    return chosen
                chosen.append(pair)
        return chosen


class PairTexts:
    """The texts of the pairs a report shows side by side, read at the end of a scan.

    Pass it as ``scan(..., on_texts=PairTexts())``: it selects the pairs
    (:meth:`PairViews.select`) and reads each of their documents back once;
    :attr:`texts` then maps each id to its text, for
    :func:`~spindetect.render.writers.write_result`. A text longer than
    ``max_chars``, or one that cannot be read back (its input file changed), is
    left out: its pairs show the compare command.

    Parameters
    ----------
    views : PairViews, optional
        Which pairs; the defaults otherwise.
    """

    def __init__(self, views: PairViews | None = None) -> None:
        self.views = views if views is not None else PairViews()
        self.texts: dict[str, str] = {}
        self.vocabulary: FunctionWords | None = None

    def __call__(
        self,
        result: ScanResult,
        text_of: Callable[[str], str],
        vocabulary: FunctionWords | None = None,
    ) -> None:
        """Read the texts of the selected pairs of ``result`` with ``text_of(doc_id)``.

        ``vocabulary`` (the scan's learned function words) is kept as
        :attr:`vocabulary`, so each page compares its pair as the scan judged it.
        """
        self.vocabulary = vocabulary
        tried: set[str] = set()
        for pair in self.views.select(result):
            for doc in (pair.a, pair.b):
                if doc in tried:
                    continue
                tried.add(doc)
                try:
                    text = text_of(doc)
                except (SpinDetectError, KeyError):
                    continue
                if len(text) <= self.views.max_chars:
                    self.texts[doc] = text


def pairs_folder(report: str | os.PathLike[str]) -> Path:
    """Return the folder of a report's pair pages: ``report.html`` -> ``report.pairs``."""
    path = Path(report)
    return path.with_name(f"{path.stem}.pairs")


def page_name(a: str, b: str) -> str:
    """Return the file name of pair ``(a, b)``'s page: 20 hex digits of its ids' SHA-1.

    Examples
    --------
    >>> len(page_name("a", "b")), page_name("a", "b") == page_name("b", "a")
    (25, False)
    """
    key = f"{a}\0{b}".encode("utf-8", "surrogatepass")
    return hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20] + ".html"


def write_pair_pages(
    result: ScanResult,
    texts: Mapping[str, str],
    folder: str | os.PathLike[str],
    *,
    report_name: str,
    views: PairViews | None = None,
    vocabulary: FunctionWords | None = None,
    progress: PageProgress | None = None,
) -> dict[tuple[str, str], str]:
    """Write the compare page of each selected pair whose two texts are in ``texts``.

    Parameters
    ----------
    result : ScanResult
        The scan.
    texts : mapping of str to str
        Text of each document id (:attr:`PairTexts.texts`, or the caller's documents).
    folder : path
        An existing folder; the pages are written into it as :func:`page_name`.
    report_name : str
        File name of the report, beside the folder once in place (the pages link
        back to it).
    views : PairViews, optional
        Which pairs; the defaults otherwise.
    vocabulary : FunctionWords, optional
        The scan's learned function words (:attr:`PairTexts.vocabulary`): passed to
        :func:`spindetect.compare` so a page weighs the words as the scan did and
        agrees with its verdict; None compares as two files alone.
    progress : callable, optional
        Called as ``progress("pair pages", done, total)``.

    Returns
    -------
    dict of (str, str) to str
        Address of each page written, relative to the report, by pair ``(a, b)``:
        the ``pair_links`` of :func:`~spindetect.render.html_report.render_scan_html`.
        A pair whose comparison fails (a text over :func:`spindetect.compare`'s limit)
        gets no page.
    """
    from spindetect.pairwise.comparison import compare
    from spindetect.render.html_report import render_compare_html

    views = views if views is not None else PairViews()
    out = Path(folder)
    here = quote(pairs_folder(report_name).name)
    back = f"../{quote(report_name)}"
    chosen = [
        p
        for p in views.select(result)
        if len(texts.get(p.a, "")) <= views.max_chars
        and len(texts.get(p.b, "")) <= views.max_chars
        and p.a in texts
        and p.b in texts
    ]
    links: dict[tuple[str, str], str] = {}
    for done, pair in enumerate(chosen, 1):
        try:
            comparison = compare(texts[pair.a], texts[pair.b], vocabulary=vocabulary)
        except SpinDetectError:
            continue
        anchor = f"#family-{quote(pair.cluster)}" if pair.cluster else "#partial"
        label = f"family {pair.cluster}" if pair.cluster else "partial copy"
        html = render_compare_html(
            comparison,
            names=(pair.a, pair.b),
            title=f"spindetect comparison: a pair of the scan ({label})",
            scan_pair=pair,
            back=back + anchor,
        )
        name = page_name(pair.a, pair.b)
        (out / name).write_text(html, encoding="utf-8")
        links[(pair.a, pair.b)] = f"{here}/{name}"
        if progress is not None:
            progress("pair pages", done, len(chosen))
    return links
