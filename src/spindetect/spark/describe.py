"""Stage *describe* of the Spark engine: families described in batches, in process.

:func:`describe_batch` calls :func:`spindetect.crawl.families.describe_families`
once per batch of families (their members renumbered in order, and their
pairs), and returns one JSON record per family. :func:`batch_of` assigns the
batches: each family whose global rank is below ``explain`` is a batch of its
own (the full compare is the costly part, so those run in parallel); the other
families go, by rank, into batches of ``per_batch`` consecutive ranks.

Within a batch, ``describe_families`` orders families largest first, ties by
smallest member: the global rank order restricted to the batch, because the
ranks are contiguous and members keep their global order. One call per batch
instead of one pandas cogroup per family (10.5k at 100k documents): the stage's
share of a 100k Spark run went from 65 % to 15 % (``benchmarks/README.md``).
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

__all__ = ["batch_of", "describe_batch", "families_per_batch"]


def families_per_batch(n_families: int, explain: int, batches: int) -> int:
    """Families per batch so that the unexplained ones fill about ``batches`` batches.

    ``ceil(max(n_families - explain, 0) / batches)``, at least 1.
    """
    rest = max(n_families - explain, 0)
    return max(1, -(-rest // max(batches, 1)))


def batch_of(rank: Any, explain: int, per_batch: int) -> Any:
    """Return the batch column of the family ranks ``rank`` (a Spark column).

    ``batch = rank`` for ``rank < explain``, else
    ``explain + (rank - explain) // per_batch``.
    """
    from pyspark.sql import functions as F

    rest = F.floor((rank - F.lit(explain)) / F.lit(per_batch)).cast("long")
    return F.when(rank < explain, rank).otherwise(F.lit(explain) + rest)


def describe_batch(explain: int) -> Callable[[Any, Any], Any]:
    """Describe one batch of families with one describe_families call.

    The returned function takes the members (``idx``, ``rank``, ``id``,
    ``title``, ``url``, ``links``, ``text``) and the whole pairs (``i``, ``j``
    and the verdict columns) of the batch's families, and returns ``(rank,
    record)`` rows, ``record`` the JSON of the family's :class:`ClusterRecord`
    with id ``c{rank + 1}``. Families of global rank below ``explain`` are explained.
    """

    def run(members: Any, pairs: Any) -> Any:
        import pandas as pd

        if members.empty:
            return pd.DataFrame(
                {"rank": pd.Series([], dtype="int64"), "record": pd.Series([], dtype="object")}
            )
        members = members.sort_values("idx")
        idx = members["idx"].to_numpy(np.int64)
        rank = members["rank"].to_numpy(np.int64)
        ranks = np.unique(rank)  # ascending: the order describe_families returns them in
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
            rank,
            verified,
            meta,
            SequenceTexts(members["text"].tolist()),
            int(np.count_nonzero(ranks < explain)),
            _silent,
        )
        if len(records) != ranks.size:
            raise RuntimeError(f"describe: {len(records)} records for {ranks.size} families")
        first = meta.ids  # members in order: a family's first member is its smallest
        starts = np.unique(rank, return_index=True)[1]
        out = []
        for r, record, k in zip(ranks.tolist(), records, starts.tolist(), strict=True):
            if record.members[0] != first[k]:
                raise RuntimeError(f"describe: family of rank {r} out of order")
            record = replace(record, id=f"c{r + 1}")
            out.append(json.dumps(record.to_dict(), ensure_ascii=False))
        return pd.DataFrame({"rank": ranks, "record": out})

    return run


def _none(value: Any) -> Any:
    """None for a missing pandas value (None or NaN), else the value."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _silent(stage: str, done: int, total: int | None) -> None:
    """Report nothing."""
