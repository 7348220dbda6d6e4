"""Stage *describe* of the Spark engine: one family per cogroup, described in process.

:func:`describe_family` calls :func:`spindetect.crawl.families.describe_families`
on one family's members (renumbered in order) and pairs, and returns its record as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from spindetect.spark._core import (
    DocumentTable,
    PairVerdicts,
    SequenceTexts,
    describe_families,
)

__all__ = ["describe_family"]


def describe_family(explain: int) -> Callable[[Any, Any], Any]:
    """Describe one family with describe_families over its members, renumbered in order."""

    def run(members: Any, pairs: Any) -> Any:
        import pandas as pd

        if members.empty:
            return pd.DataFrame(
                {"rank": pd.Series([], dtype="int64"), "record": pd.Series([], dtype="object")}
            )
        members = members.sort_values("idx")
        idx = members["idx"].to_numpy(np.int64)
        rank = int(members["rank"].iloc[0])
        meta = DocumentTable(
            ids=members["id"].tolist(),
            titles=[_none(t) for t in members["title"]],
            urls=[_none(u) for u in members["url"]],
            links=[tuple(x) if x is not None else () for x in members["links"]],
        )
        p = (
            np.stack(
                [
                    np.searchsorted(idx, pairs["i"].to_numpy(np.int64)),
                    np.searchsorted(idx, pairs["j"].to_numpy(np.int64)),
                ],
                axis=1,
            )
            if len(pairs)
            else np.empty((0, 2), np.int64)
        )
        verified = PairVerdicts(
            p.astype(np.int64),
            pairs["skeleton"].to_numpy(np.float64),
            pairs["content"].to_numpy(np.float64),
            pairs["shared"].to_numpy(np.int64),
            np.asarray(pairs["verdict"].tolist(), dtype=object),
            pairs["confidence"].to_numpy(np.float64),
        )
        records = describe_families(
            np.zeros(idx.size, np.int64),
            verified,
            meta,
            SequenceTexts(members["text"].tolist()),
            1 if rank < explain else 0,
            _silent,
        )
        record = replace(records[0], id=f"c{rank + 1}")
        return pd.DataFrame(
            {"rank": [rank], "record": [json.dumps(record.to_dict(), ensure_ascii=False)]}
        )

    return run


def _none(value: Any) -> Any:
    """None for a missing pandas value (None or NaN), else the value."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _silent(stage: str, done: int, total: int | None) -> None:
    """Report nothing."""
