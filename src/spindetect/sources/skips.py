"""The log of skipped input: :class:`SkipRecord` items counted by category in a :class:`SkipLog`."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from spindetect._validation import check_int
from spindetect.exceptions import (
    BinaryInputError,
    CorruptInputError,
    EmptyInputError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    NotAFileError,
)

__all__ = ["SKIP_CATEGORIES", "SkipLog", "SkipRecord"]

_log = logging.getLogger("spindetect.sources")

#: Categories of skipped input, in the order summaries list them.
SKIP_CATEGORIES = (
    "missing",
    "unreadable",
    "empty",
    "binary",
    "decode",
    "too-large",
    "corrupt",
    "malformed-json",
    "no-text",
)
_DUPLICATE = "duplicate-id"
#: A page kept with its whole text because it nests deeper than html.MAX_DEPTH.
_DEEP = "deep-html"
_KEPT = (_DUPLICATE, _DEEP)  # notes on documents that were kept, not skips


@dataclass(frozen=True, slots=True)
class SkipRecord:
    """One skipped item (or one renamed duplicate id) kept by a :class:`SkipLog`.

    Parameters
    ----------
    category : str
        One of :data:`SKIP_CATEGORIES`, or a note on a kept document:
        ``"duplicate-id"`` (renamed) or ``"deep-html"`` (too deeply nested for
        main-content extraction; its whole text was kept).
    source : str
        The file involved.
    where : str or None
        The record inside the file: ``"line 12"``, ``"record at offset 4096"``, an id.
    reason : str
        One line saying what was wrong.
    """

    category: str
    source: str
    where: str | None
    reason: str

    def __str__(self) -> str:
        place = f"{self.source} ({self.where})" if self.where else self.source
        return f"{place}: {self.category}: {self.reason}"


_ERROR_CATEGORY: tuple[tuple[type[InputError], str], ...] = (
    (InputNotFoundError, "missing"),
    (NotAFileError, "unreadable"),
    (EmptyInputError, "empty"),
    (BinaryInputError, "binary"),
    (InputDecodeError, "decode"),
    (InputTooLargeError, "too-large"),
    (CorruptInputError, "corrupt"),
)


class SkipLog:
    """Counts of skipped input by category, with the first few items in full.

    Parameters
    ----------
    max_records : int, default=1000
        How many :class:`SkipRecord` items to keep; later ones are counted only.

    Attributes
    ----------
    documents : int
        Documents yielded so far by the :func:`iter_documents` run using this log.
    ignored : collections.Counter
        WARC records that are not documents and were passed over on purpose
        (``request``, ``warcinfo``, non-text responses, HTTP errors and redirects),
        by reason. These are not errors and are not in :attr:`records`.
    """

    def __init__(self, *, max_records: int = 1000) -> None:
        self.max_records = check_int("max_records", max_records, low=0)
        self._counts: Counter[str] = Counter()
        self._records: list[SkipRecord] = []
        self.documents = 0
        self.ignored: Counter[str] = Counter()

    def add(self, category: str, source: str, reason: str, *, where: str | None = None) -> None:
        """Count one skipped item (or a renamed duplicate) and keep it if room is left."""
        self._counts[category] += 1
        if len(self._records) < self.max_records:
            self._records.append(SkipRecord(category, str(source), where, reason))

    def add_error(
        self, error: InputError, *, source: str | None = None, where: str | None = None
    ) -> None:
        """Count one item skipped because of ``error``, categorised by its type."""
        r = _error_record(error, source=source, where=where)
        self.add(r.category, r.source, r.reason, where=r.where)

    @property
    def counts(self) -> dict[str, int]:
        """Skips per category (and the notes on kept documents), non-zero only."""
        order = {c: i for i, c in enumerate((*SKIP_CATEGORIES, *_KEPT))}
        return dict(sorted(self._counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))

    @property
    def skipped(self) -> int:
        """Total skipped items (renamed duplicates and deep pages are kept: not counted)."""
        return sum(n for c, n in self._counts.items() if c not in _KEPT)

    @property
    def duplicates(self) -> int:
        """Documents whose id was already taken and got a ``#n`` suffix."""
        return self._counts[_DUPLICATE]

    @property
    def deep_pages(self) -> int:
        """HTML pages nested too deep for main-content extraction, kept with their whole text."""
        return self._counts[_DEEP]

    @property
    def records(self) -> tuple[SkipRecord, ...]:
        """The first ``max_records`` skipped items (and renames), in the order met."""
        return tuple(self._records)

    def __bool__(self) -> bool:
        return bool(self._counts)

    def summary(self) -> list[str]:
        """Lines for a terminal summary, e.g. ``["read 120 documents", "skipped 3: ..."]``."""
        lines = [f"read {self.documents:,} document{'' if self.documents == 1 else 's'}"]
        skipped = {c: n for c, n in self.counts.items() if c not in _KEPT}
        if skipped:
            parts = ", ".join(f"{n:,} {c}" for c, n in skipped.items())
            lines.append(f"skipped {self.skipped:,}: {parts}")
        if self.duplicates:
            lines.append(f"renamed {self.duplicates:,} duplicate ids (suffix #2, #3, ...)")
        if self.deep_pages:
            lines.append(
                f"read {self.deep_pages:,} deeply nested HTML page"
                f"{'' if self.deep_pages == 1 else 's'} as whole text (no main-content extraction)"
            )
        if self.ignored:
            parts = ", ".join(f"{n:,} {c}" for c, n in sorted(self.ignored.items()))
            lines.append(
                f"passed over {sum(self.ignored.values()):,} non-document records: {parts}"
            )
        shown = [r for r in self._records if r.category not in _KEPT]
        lines.extend(f"  {r}" for r in shown[:20])
        hidden = self.skipped - min(len(shown), 20)
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view: totals, counts by category and the kept records."""
        return {
            "documents": self.documents,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "deep_pages": self.deep_pages,
            "counts": self.counts,
            "ignored": dict(sorted(self.ignored.items())),
            "records": [
                {"category": r.category, "source": r.source, "where": r.where, "reason": r.reason}
                for r in self._records
            ],
            "records_truncated": sum(self._counts.values()) > len(self._records),
        }

    def __repr__(self) -> str:
        return f"SkipLog(documents={self.documents}, skipped={self.skipped}, counts={self.counts})"


def _error_record(
    error: InputError, *, source: str | None = None, where: str | None = None
) -> SkipRecord:
    category = next((c for t, c in _ERROR_CATEGORY if isinstance(error, t)), "unreadable")
    return SkipRecord(
        category, str(source if source is not None else error.source), where, error.problem
    )


class _WarningLog(SkipLog):
    """The log used when the caller gives none: every skip becomes a warning log line."""

    def __init__(self) -> None:
        super().__init__(max_records=0)

    def add(self, category: str, source: str, reason: str, *, where: str | None = None) -> None:
        super().add(category, source, reason, where=where)
        _log.warning("%s", SkipRecord(category, str(source), where, reason))
