"""Crawl inputs of the Spark engine: a listing of files, read inside executors.

As in cc-pyspark, the job's input is a short list of file paths (a text file
with one path a line, or the paths themselves): WARC/WET, JSONL, Parquet, HTML
or text files, local or on any file system pyarrow opens (``s3://``,
``hdfs://``, ``gs://``). The driver only expands local directories into their
files (sorted, named as :func:`spindetect.sources.iter_documents` names them);
each executor task reads its files with the project's own readers, so documents,
ids, titles, URLs and links are those of an in-process run. Bad files and
records never stop the job: each executor counts them in a :class:`SkipLog`,
whose counts travel back to the driver through an accumulator
(:class:`SkipCounts`).

Every document gets an *order key* ``file_no << 33 | record_no``: increasing in
input order, so the engine can number documents exactly as an in-process run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spindetect.exceptions import InvalidParameterError
from spindetect.spark._core import Document, FileReader, SkipLog, SourceFile, plan_sources

__all__ = ["ORDER_SHIFT", "SkipCounts", "expand_sources", "read_file", "read_listing"]

#: Bits of the record number in an order key (the rest is the file number).
ORDER_SHIFT = 33

_MAX_RECORDS = 1000


def read_listing(path: str | os.PathLike[str]) -> list[str]:
    """Return the paths of a listing file: one a line, blank lines and ``#`` comments skipped.

    A gzip-compressed listing (``.gz``, as Common Crawl publishes ``wet.paths.gz``)
    is read too.
    """
    import gzip

    p = Path(path)
    if not p.is_file():
        raise InvalidParameterError(f"listing must be a file of paths, got {str(path)!r}")
    opener: Any = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8") as fh:
        return [s for line in fh if (s := line.strip()) and not s.startswith("#")]


def expand_sources(paths: Iterable[str], log: SkipLog) -> list[tuple[str, str]]:
    """Expand paths into ``(path, name)`` files in input order; missing ones go to ``log``.

    Local directories are walked as :func:`spindetect.sources.iter_documents`
    walks them (sorted, ids relative to the directory). A URI with a scheme
    (``s3://bucket/key``) is kept as it is, named by its last component.
    """
    files: list[tuple[str, str]] = []
    local: list[str] = []

    def flush() -> None:
        for item in plan_sources(local):
            if isinstance(item, SourceFile):
                files.append((str(item.path), item.name))
            else:
                log.add(item.category, item.source, item.reason, where=item.where)
        local.clear()

    for path in paths:
        if _is_remote(path):
            flush()
            files.append((path, path.rstrip("/").rsplit("/", 1)[-1]))
        else:
            local.append(path)
    flush()
    return files


def read_file(
    path: str, name: str, log: SkipLog, *, max_bytes: int, html_extract: bool = True
) -> Iterator[Document]:
    """Yield the documents of one input file (run inside an executor).

    A remote file (any URI pyarrow's file systems open, or ``http(s)://``) is
    first copied to a local temporary file (the readers need a local file).
    Parquet files (``.parquet``, ``.pq``) give one document per row with
    columns ``id`` (else ``<name>:<row>``), ``text``, optional ``title`` and
    ``url``; every other kind goes to the reader of
    :func:`spindetect.sources.iter_documents`.
    """
    with _local_copy(path, name, log) as local:
        if local is None:
            return
        if name.lower().endswith((".parquet", ".pq")):
            yield from _read_parquet(local, name, path, log, max_bytes)
            return
        reader = FileReader(log=log, max_bytes=max_bytes, html_extract=html_extract)
        yield from reader.read_file(local, name)


def _is_remote(path: str) -> bool:
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.lower() != "file" and len(scheme) > 1


class _local_copy:
    """The file itself when local, else a temporary local copy (deleted on exit)."""

    def __init__(self, path: str, name: str, log: SkipLog) -> None:
        self.path, self.name, self.log = path, name, log
        self.tmpdir: str | None = None

    def __enter__(self) -> Path | None:
        if not _is_remote(self.path):
            return Path(self.path.removeprefix("file://"))
        import pyarrow.fs as pafs

        self.tmpdir = tempfile.mkdtemp(prefix="spindetect-")
        target = Path(self.tmpdir) / self.name
        try:
            if self.path.lower().startswith(("http://", "https://")):
                from urllib.request import urlopen

                with urlopen(self.path, timeout=300) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                return target
            fs, inner = pafs.FileSystem.from_uri(self.path)
            with fs.open_input_stream(inner) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except Exception as exc:  # any file system error: the file is skipped, counted
            self.log.add("unreadable", self.path, f"cannot fetch ({type(exc).__name__}: {exc})")
            return None
        return target

    def __exit__(self, *exc: object) -> None:
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def _read_parquet(
    local: Path, name: str, source: str, log: SkipLog, max_bytes: int
) -> Iterator[Document]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(local)
        have = set(pf.schema_arrow.names)
        if "text" not in have:
            log.add("no-text", source, "Parquet file has no 'text' column")
            return
        columns = [c for c in ("id", "text", "title", "url") if c in have]
        row = 0
        for batch in pf.iter_batches(columns=columns, batch_size=4096):
            data = batch.to_pydict()
            for k in range(batch.num_rows):
                row += 1
                text = data["text"][k]
                doc_id = data["id"][k] if "id" in data else None
                doc_id = f"{name}:{row}" if doc_id is None or doc_id == "" else str(doc_id)
                where = f"row {row}, id {doc_id!r}"
                if not isinstance(text, str) or not text.strip():
                    log.add("empty", source, "'text' holds no text", where=where)
                    continue
                if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
                    log.add("too-large", source, f"text over {max_bytes:,} bytes", where=where)
                    continue
                yield Document(
                    doc_id,
                    text,
                    data.get("title", [None] * (k + 1))[k],
                    data.get("url", [None] * (k + 1))[k],
                    (),
                    source,
                )
    except Exception as exc:  # a damaged file: its rows up to the damage are kept
        log.add("corrupt", source, f"unreadable Parquet ({type(exc).__name__}: {exc})")


class SkipCounts:
    """Accumulator parameter merging the skip logs of executor tasks.

    A value is a plain dict (picklable): ``documents``, ``counts`` and
    ``ignored`` (Counters) and up to 1000 ``records`` (category, source, where,
    reason), so the driver can rebuild one :class:`SkipLog` of the whole job.
    """

    @staticmethod
    def of(log: SkipLog) -> dict[str, Any]:
        """Return the accumulator value of one task's log."""
        return {
            "documents": log.documents,
            "counts": Counter(log._counts),
            "ignored": Counter(log.ignored),
            "records": [(r.category, r.source, r.where, r.reason) for r in log.records],
        }

    def zero(self, value: dict[str, Any]) -> dict[str, Any]:
        """Return an empty value."""
        return {"documents": 0, "counts": Counter(), "ignored": Counter(), "records": []}

    def addInPlace(self, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        """Merge ``b`` into ``a``."""
        a["documents"] += b["documents"]
        a["counts"].update(b["counts"])
        a["ignored"].update(b["ignored"])
        room = _MAX_RECORDS - len(a["records"])
        a["records"].extend(b["records"][: max(room, 0)])
        return a

    @staticmethod
    def to_log(value: dict[str, Any], log: SkipLog | None = None) -> SkipLog:
        """Add a merged value to ``log`` (a new one if None) and return it."""
        log = log if log is not None else SkipLog()
        records = sorted(value["records"], key=lambda r: (r[1], r[2] or ""))
        kept = Counter[str]()
        for category, source, where, reason in records:
            log.add(category, source, reason, where=where)
            kept[category] += 1
        for category, n in value["counts"].items():  # counted beyond the kept records
            log._counts[category] += n - kept[category]
        log.documents += value["documents"]
        log.ignored.update(value["ignored"])
        return log
