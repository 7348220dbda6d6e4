"""The result of a Spark scan: :class:`SparkScan` and its atomic writer.

:class:`SparkScan` holds the pairs, families and documents DataFrames with the
fields of the in-process records (``FAMILY_SCHEMA`` is the families' schema),
collects them into those records, and writes them as Parquet, renamed into
place when complete. :func:`empty_scan` is the result of a scan of no documents.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spindetect.spark._core import (
    ClusterRecord,
    DocumentRecord,
    PairRecord,
    ScanResult,
    SkipLog,
)

__all__ = ["FAMILY_SCHEMA", "SparkScan", "empty_scan"]

FAMILY_SCHEMA = (
    "id string, size int, members array<string>, representative string, "
    "verdicts map<string,int>, titles map<string,string>, urls map<string,string>, "
    "distinct_titles int, "
    "links array<struct<domain:string,members:int,hrefs:array<string>>>, "
    "beneficiaries array<struct<domain:string,members:int,hrefs:array<string>>>, "
    "explained boolean, title_mismatch array<string>, inserted map<string,array<string>>, "
    "template array<string>"
)


@dataclass
class SparkScan:
    """The result of a Spark scan: DataFrames of pairs and families, and the summary.

    ``pairs`` has the fields of :class:`~spindetect.crawl.families.PairRecord`
    (``a``, ``b``, ``verdict``, ``confidence``, ``scores`` as a map, ``cluster``)
    in the in-process order; ``families`` those of
    :class:`~spindetect.crawl.families.ClusterRecord` (plus ``size`` and
    ``distinct_titles``, as in its JSON record), largest first; ``documents``
    (``id``, ``spun_score``) every document in input order, or None when the
    scan ran without inspection.
    """

    pairs: Any
    families: Any
    summary: dict[str, Any]
    skipped: SkipLog | None = None
    _cached: list[Any] = field(default_factory=list, repr=False)
    documents: Any = None

    def document_records(self) -> list[DocumentRecord]:
        """Collect the documents' spun scores as :class:`DocumentRecord` objects."""
        if self.documents is None:
            return []
        return [DocumentRecord(r["id"], r["spun_score"]) for r in self.documents.collect()]

    def pair_records(self) -> list[PairRecord]:
        """Collect the pairs as :class:`PairRecord` objects (driver memory)."""
        return [
            PairRecord(
                r["a"], r["b"], r["verdict"], r["confidence"], dict(r["scores"]), r["cluster"]
            )
            for r in self.pairs.collect()
        ]

    def cluster_records(self) -> list[ClusterRecord]:
        """Collect the families as :class:`ClusterRecord` objects (driver memory)."""
        out = []
        for row in self.families.collect():
            d = row.asDict(recursive=True)
            out.append(
                ClusterRecord(
                    id=d["id"],
                    members=tuple(d["members"]),
                    representative=d["representative"],
                    verdicts=dict(d["verdicts"]),
                    titles=dict(d["titles"]),
                    links=d["links"],
                    beneficiaries=d["beneficiaries"],
                    explained=d["explained"],
                    title_mismatch=d["title_mismatch"],
                    inserted={k: list(v) for k, v in d["inserted"].items()},
                    template=d["template"],
                    urls=dict(d["urls"] or {}),
                )
            )
        return out

    def to_result(self) -> ScanResult:
        """Collect everything into an in-process :class:`ScanResult`."""
        return ScanResult(
            self.pair_records(),
            self.cluster_records(),
            dict(self.summary),
            self.document_records(),
        )

    def write(self, path: str | os.PathLike[str]) -> str:
        """Write ``pairs/``, ``families/``, ``documents/`` (Parquet) and ``summary.json``.

        They go under ``path``, a local path or any URI Spark writes to (``hdfs://``,
        ``s3a://``). The output is written to a hidden sibling directory and
        renamed into place when complete (Hadoop ``FileSystem.rename``): a
        killed job leaves no partial output at ``path``, and a rerun replaces a
        previous output whole. The hidden siblings a killed job left behind
        (``.NAME.*.tmp`` / ``.old`` older than this write) are removed once the
        new output is in place. Returns the output's URI.
        """
        spark = self.pairs.sparkSession
        target = _uri(path)
        parent, _, name = target.rstrip("/").rpartition("/")
        tmp = f"{parent}/.{name}.{uuid.uuid4().hex}.tmp"
        jvm = spark._jvm
        conf = spark._jsc.hadoopConfiguration()
        hpath = jvm.org.apache.hadoop.fs.Path
        fs = hpath(tmp).getFileSystem(conf)
        started = int(time.time() * 1000)
        try:
            self.pairs.write.parquet(f"{tmp}/pairs", compression="zstd")
            self.families.write.parquet(f"{tmp}/families", compression="zstd")
            if self.documents is not None:
                self.documents.write.parquet(f"{tmp}/documents", compression="zstd")
            out = fs.create(hpath(f"{tmp}/summary.json"), True)
            out.write(
                bytearray(json.dumps(self.summary, indent=1, ensure_ascii=False).encode("utf-8"))
            )
            out.close()
            old = None
            if fs.exists(hpath(target)):
                old = f"{parent}/.{name}.{uuid.uuid4().hex}.old"
                fs.rename(hpath(target), hpath(old))
            if not fs.rename(hpath(tmp), hpath(target)):
                raise OSError(f"cannot rename {tmp} to {target}")
            if old is not None:
                fs.delete(hpath(old), True)
        except BaseException:
            fs.delete(hpath(tmp), True)
            raise
        _remove_leftovers(fs, hpath, parent, name, started)
        return target

    def unpersist(self) -> None:
        """Release the cached intermediate tables (the result DataFrames stay usable)."""
        for df in self._cached:
            df.unpersist()
        self._cached.clear()


def _remove_leftovers(fs: Any, hpath: Any, parent: str, name: str, before_ms: int) -> None:
    """Delete the hidden siblings ``.NAME.<hex>.tmp|old`` changed before ``before_ms``.

    They are what a killed :meth:`SparkScan.write` of the same output left; a
    sibling changed since this write began may belong to a concurrent writer and is kept.
    """
    prefix = f".{name}."
    for status in fs.listStatus(hpath(parent)):
        leaf = status.getPath().getName()
        stem, _, kind = leaf.rpartition(".")
        if (
            leaf.startswith(prefix)
            and kind in ("tmp", "old")
            and len(stem) == len(prefix) + 32
            and status.getModificationTime() < before_ms
        ):
            fs.delete(status.getPath(), True)


def _uri(path: str | os.PathLike[str]) -> str:
    """Return ``path`` as a URI (a local path becomes an absolute ``file:`` URI)."""
    text = os.fspath(path)
    if "://" in text:
        return text
    return Path(text).absolute().as_uri()


def empty_scan(
    spark: Any, skipped: SkipLog | None, timings: dict[str, float], documents: Any
) -> SparkScan:
    """Return the result of a scan of no documents."""
    pairs = spark.createDataFrame(
        [],
        "a string, b string, verdict string, confidence double, "
        "scores map<string,double>, cluster string",
    )
    families = spark.createDataFrame([], FAMILY_SCHEMA)
    summary = {
        "documents": 0,
        "candidates": 0,
        "candidates_lsh": 0,
        "candidates_shared": 0,
        "skipped_common_samples": 0,
        "pairs": {},
        "clusters": 0,
        "clustered_documents": 0,
        "largest_cluster": 0,
        "skipped": skipped.to_dict() if skipped is not None else {},
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    if documents is not None:
        summary["spun_documents"] = 0
    return SparkScan(pairs, families, summary, skipped, documents=documents)
