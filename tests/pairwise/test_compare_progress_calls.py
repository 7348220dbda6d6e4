"""``compare(progress=...)``: the stages in order, and a bad callback refused by name."""

from __future__ import annotations

import pytest

from spindetect import compare
from spindetect.exceptions import InvalidParameterError

A = "The old mill stood by the river. Farmers brought grain there every autumn."
B = "The old mill stood near the river. Farmers carried grain there every autumn."


def test_stages_are_reported_in_order_with_the_rows_of_a() -> None:
    calls: list[tuple[str, int, int | None]] = []
    result = compare(A, B, progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["prepare", "align", "explain"]
    align_calls = [(done, total) for stage, done, total in calls if stage == "align"]
    assert align_calls[0] == (0, result.stats["sentences_a"])


def test_a_progress_that_is_not_callable_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="progress"):
        compare(A, B, progress=5)  # type: ignore[arg-type]
