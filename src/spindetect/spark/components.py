"""Connected components of a pair graph on Spark, without GraphFrames.

Labels are the smallest document number of each component, as
:func:`spindetect.crawl.stages.cluster` gives them in process. Small graphs
(``edges <= driver_edges``) are collected and solved on the driver by that very
function; larger ones run the large-star / small-star alternation of Kiveris
et al. (2014), "Connected Components in MapReduce and Beyond" (SoCC '14): each
round is two joins of the edge list with per-node minima, and the number of
rounds grows as O(log^2 n); at the fixed point every edge joins a node to its
component's minimum.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spindetect.spark._core import cluster

__all__ = ["components"]


def components(edges: Any, *, driver_edges: int, max_rounds: int = 200) -> Any:
    """Return a DataFrame ``(idx, label)`` for every node of ``edges`` (columns ``i``, ``j``).

    Parameters
    ----------
    edges : pyspark.sql.DataFrame
        Undirected edges between document numbers (``long`` columns ``i`` and ``j``).
    driver_edges : int
        Graphs with at most this many edges are solved on the driver.
    max_rounds : int, default=200
        Safety bound of the distributed alternation.

    Returns
    -------
    pyspark.sql.DataFrame
        ``idx`` (long) and ``label`` (long, the component's smallest ``idx``).
    """
    from pyspark.sql import functions as F

    spark = edges.sparkSession
    e = edges.select(F.col("i").cast("long").alias("i"), F.col("j").cast("long").alias("j"))
    n_edges = e.count()
    if n_edges <= driver_edges:
        from spindetect.spark._frames import collect_arrow, create_frame

        table = collect_arrow(e)
        pairs = (
            np.stack([table.column("i").to_numpy(), table.column("j").to_numpy()], axis=1)
            if n_edges
            else np.empty((0, 2), np.int64)
        )
        nodes = np.unique(pairs)
        local = np.searchsorted(nodes, pairs)
        labels = nodes[cluster(nodes.size, local)] if nodes.size else nodes
        return create_frame(
            spark,
            {"idx": nodes.astype(np.int64), "label": labels.astype(np.int64)},
            "idx long, label long",
        )
    # Oriented edges (u > v): u's parent candidate v.
    cur = (
        e.where(F.col("i") != F.col("j"))
        .select(F.greatest("i", "j").alias("u"), F.least("i", "j").alias("v"))
        .distinct()
    )
    for _ in range(max_rounds):
        cur = cur.localCheckpoint(eager=True)
        nxt = _small_star(_large_star(cur)).localCheckpoint(eager=True)
        if nxt.exceptAll(cur).isEmpty() and cur.exceptAll(nxt).isEmpty():
            cur = nxt
            break
        cur = nxt
    else:  # pragma: no cover - the alternation converges in O(log^2 n) rounds
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    stars = cur.groupBy("u").agg(F.min("v").alias("label"))
    roots = stars.select(F.col("label").alias("idx"), F.col("label"))
    return stars.select(F.col("u").alias("idx"), "label").unionByName(roots).distinct()


def _large_star(cur: Any) -> Any:
    """Each node links its larger neighbours to the smallest node of its neighbourhood."""
    from pyspark.sql import functions as F

    both = cur.select("u", "v").unionByName(
        cur.select(F.col("v").alias("u"), F.col("u").alias("v"))
    )
    mins = both.groupBy("u").agg(F.min("v").alias("m"))
    return (
        both.join(mins, "u")
        .where(F.col("v") > F.col("u"))
        .select(F.col("v").alias("u"), F.least("m", "u").alias("v"))
        .where(F.col("u") != F.col("v"))
        .distinct()
    )


def _small_star(cur: Any) -> Any:
    """Each node links itself and its smaller neighbours to the smallest of them."""
    from pyspark.sql import functions as F

    mins = cur.groupBy("u").agg(F.min("v").alias("m"))
    leaves = (
        cur.join(mins, "u")
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
        .where(F.col("u") != F.col("v"))
    )
    return leaves.unionByName(mins.select("u", F.col("m").alias("v"))).distinct()
