"""Driver-side DataFrame helpers of the Spark engine: collect as Arrow, build from numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["collect_arrow", "create_frame"]


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
