"""``spindetect.spark``: the crawl scan on Apache Spark, with the in-process results.

``pip install 'spindetect[spark]'``. Two entry points:

* :func:`scan_dataframe` takes a DataFrame of documents ``(id, text[, title, url])``;
* :func:`scan_sources` takes crawl files (WARC/WET, JSONL, Parquet, HTML, text;
  local paths or URIs), read inside the executors with the project's readers.

Both return a :class:`SparkScan`: DataFrames of pairs and families with the
fields of the in-process records, and the summary. The subpackage computes
nothing of its own: every fingerprint, band key, bucket expansion, verdict,
component and family description is the in-process stage function
(imported in one place, :mod:`spindetect.spark._core`), called with the same
document numbers and seeds, so a Spark scan equals :func:`spindetect.scan` of
the same documents record for record. pyspark is imported only when a scan runs.
"""

from __future__ import annotations

from spindetect.spark.engine import SparkScan, scan_dataframe, scan_sources
from spindetect.spark.inputs import read_listing

__all__ = ["SparkScan", "read_listing", "scan_dataframe", "scan_sources"]
