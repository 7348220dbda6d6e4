"""Driver-side DataFrame helpers of the Spark engine: collect as Arrow, build from numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["collect_arrow", "create_frame", "cut_plan"]


def collect_arrow(df: Any) -> pa.Table:
    """Collect a DataFrame to the driver as an Arrow table."""
    to_arrow = getattr(df, "toArrow", None)
    if to_arrow is not None:  # pyspark >= 4.0
        table: pa.Table = to_arrow()
        return table
    batches = df._collect_as_arrow()  # pyspark 3.5
    if not batches:
        return pa.Table.from_pylist(
            [], schema=pa.schema([(f.name, pa.int64()) for f in df.schema.fields])
        )
    return pa.Table.from_batches(batches)


def create_frame(spark: Any, columns: dict[str, np.ndarray], schema: str) -> Any:
    """Return a DataFrame built from driver-side numpy columns."""
    import pandas as pd

    return spark.createDataFrame(pd.DataFrame(columns), schema)


def cut_plan(df: Any) -> Any:
    """Return ``df`` over the same rows with its query plan cut short.

    The rows become an RDD scan of ``df``'s lineage (recomputed from it when a
    cached block is lost, unlike ``localCheckpoint``). Stages that reuse a
    cached table several times (the templates stage joins the verified pairs
    to texts derived from them) otherwise nest its plan into every later plan,
    and Spark renders each plan as a string per query: the driver's heap ran
    out on the conformance crawl.
    """
    from pyspark.sql import DataFrame

    spark = df.sparkSession
    jdf = spark._jsparkSession.createDataFrame(df._jdf.rdd(), df._jdf.schema())
    return DataFrame(jdf, spark)
