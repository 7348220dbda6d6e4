"""Stages *verify* and *passages* of the Spark engine.

:func:`verify_batches` runs :func:`spindetect.crawl.stages.verify_pairs` in the
executors over candidates joined to their two signatures; the rejected ones go
on to :func:`verify_rejected`, which selects the ``passage_budget`` candidates
``verify_passages`` would take and runs it on them on the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from spindetect.spark import _arrow as A
from spindetect.spark._core import (
    CONTENT,
    SKELETON,
    Candidates,
    Fingerprints,
    PairVerdicts,
    SampledShingles,
    ScanConfig,
    estimate_between,
    verify_pairs,
    verify_passages,
)
from spindetect.spark._frames import collect_arrow, create_frame

__all__ = ["VERIFIED_COLUMNS", "verify_batches", "verify_rejected"]

#: Columns of the verified-pairs table, in order (every stage after verify keeps them).
VERIFIED_COLUMNS = (
    "i",
    "j",
    "skeleton",
    "content",
    "shared",
    "verdict",
    "confidence",
    "passage",
    "step",
)


def verify_batches(
    config: ScanConfig, width_s: int, width_c: int
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Executor function: ``verify_pairs`` over candidate rows with their two signatures.

    Verified rows come first, then the rejected ones (verdict ``""``, with their
    content estimate) for the passage stage.
    """

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            m = b.num_rows
            left = {
                SKELETON: A.matrix_values(A.column(b, "si"), np.uint32, width_s),
                CONTENT: A.matrix_values(A.column(b, "ci"), np.uint32, width_c),
            }
            right = {
                SKELETON: A.matrix_values(A.column(b, "sj"), np.uint32, width_s),
                CONTENT: A.matrix_values(A.column(b, "cj"), np.uint32, width_c),
            }
            rows = np.arange(m, dtype=np.int64)
            shared = A.column(b, "shared").to_numpy().astype(np.int64)
            p = np.stack([rows, rows], axis=1)
            v = verify_pairs(left, right, p, shared, config.rules)
            kept = v.pairs[:, 0]
            rest = np.setdiff1d(rows, kept)  # rejected: the passage stage may take them
            cont = estimate_between(left[CONTENT], right[CONTENT], p[rest])
            i_all = A.column(b, "i").to_numpy()
            j_all = A.column(b, "j").to_numpy()
            k = kept.size
            yield pa.RecordBatch.from_arrays(
                [
                    pa.array(np.r_[i_all[kept], i_all[rest]], pa.int64()),
                    pa.array(np.r_[j_all[kept], j_all[rest]], pa.int64()),
                    pa.array(np.r_[v.skeleton, np.full(rest.size, np.nan)], pa.float64()),
                    pa.array(np.r_[v.content, cont], pa.float64()),
                    pa.array(np.r_[v.shared, shared[rest]], pa.int64()),
                    pa.array(v.verdicts.tolist() + [""] * rest.size, pa.string()),
                    pa.array(np.r_[v.confidence, np.full(rest.size, np.nan)], pa.float64()),
                    pa.array([None] * (k + rest.size), pa.float64()),
                    pa.array(np.zeros(k + rest.size, np.int32), pa.int32()),
                ],
                names=list(VERIFIED_COLUMNS),
            )

    return run


def verify_rejected(
    spark: Any,
    rejected: Any,
    fp: Any,
    texts: Callable[[Any], Any],
    words: Any,
    config: ScanConfig,
    skel: str,
    cont: str,
    width_s: int,
    width_c: int,
) -> Any:
    """Stage *passages*: ``verify_passages`` over the rejected candidates it would take.

    ``verify_passages`` scores at most ``passage_budget`` rejected candidates,
    those with the highest content estimate first (ties in pair order): the
    same ones are selected in Spark, then the function itself runs on the
    driver over them, their documents renumbered in order (``<= 2 * budget`` texts).
    """
    from pyspark.sql import functions as F

    if config.passage_budget == 0 or words is None:
        return None
    chosen = collect_arrow(
        rejected.orderBy(F.desc("content"), "i", "j")
        .limit(config.passage_budget)
        .select("i", "j", "shared")
    )
    if chosen.num_rows == 0:
        return None
    i, j = chosen.column("i").to_numpy(), chosen.column("j").to_numpy()
    order = np.lexsort((j, i))
    i, j, shared = i[order], j[order], chosen.column("shared").to_numpy()[order]
    nodes = np.unique(np.r_[i, j])
    wanted = create_frame(spark, {"idx": nodes.astype(np.int64)}, "idx long")
    rows = fp.join(F.broadcast(wanted), "idx").select("idx", "order", skel, cont)
    got = collect_arrow(rows.join(texts(rows.select("order")), "order"))
    at = np.argsort(got.column("idx").to_numpy())
    sigs = {
        SKELETON: A.matrix_values(got.column(skel), np.uint32, width_s)[at],
        CONTENT: A.matrix_values(got.column(cont), np.uint32, width_c)[at],
    }
    docs = [got.column("text")[int(k)].as_py() for k in at]
    m = nodes.size
    local_fp = Fingerprints(
        sigs,
        SampledShingles(np.empty(0, np.uint64), np.zeros(m + 1, np.int64), np.zeros(m, np.int64)),
    )
    pairs = np.stack([np.searchsorted(nodes, i), np.searchsorted(nodes, j)], axis=1)
    cands = Candidates(pairs.astype(np.int64), shared.astype(np.int64), 0, 0, 0)
    found = verify_passages(docs, local_fp, cands, PairVerdicts.empty(), words, config)
    if len(found) == 0:
        return None
    g = nodes[found.pairs]
    return create_frame(
        spark,
        {
            "i": g[:, 0].astype(np.int64),
            "j": g[:, 1].astype(np.int64),
            "skeleton": found.skeleton.astype(np.float64),
            "content": found.content.astype(np.float64),
            "shared": found.shared.astype(np.int64),
            "verdict": found.verdicts.astype(str),
            "confidence": found.confidence.astype(np.float64),
            "passage": found.passages().astype(np.float64),
            "step": np.ones(len(found), np.int32),
        },
        "i long, j long, skeleton double, content double, shared long, verdict string, "
        "confidence double, passage double, step int",
    )
