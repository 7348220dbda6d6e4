"""Writing scan results: JSONL (canonical, streaming), CSV, Parquet and HTML.

* JSONL: one record per line, ``{"type": "pair", ...}``, ``{"type": "cluster", ...}``
  and a closing ``{"type": "summary", ...}``.
* CSV: ``FILE`` holds the pairs (one row each, scores flattened, cluster id) and
  ``FILE`` with ``.clusters`` before the suffix holds the families (lists joined
  with ``" | "``).
* Parquet (needs ``pyarrow``: ``pip install 'spindetect[parquet]'``): the same two
  tables, nested lists kept.
* HTML: a self-contained report (see :mod:`spindetect.html_report`).

Files are written to a temporary name in the target folder and renamed into
place when complete, so an interrupted run never leaves a truncated output.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from spindetect._validation import check_choice
from spindetect.crawl.records import ScanResult
from spindetect.exceptions import SpinDetectError

__all__ = ["FORMATS", "format_for", "write_result"]

FORMATS = ("jsonl", "csv", "parquet", "html")
_SUFFIX = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".html": "html",
    ".htm": "html",
}


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Return the output format: ``fmt`` if given, else the one the file suffix names."""
    if fmt is not None:
        return str(check_choice("format", fmt, FORMATS))
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIX:
        raise SpinDetectError(
            f"{path}: cannot tell the output format from the suffix {suffix or '(none)'!r}; "
            f"use .jsonl, .csv, .parquet or .html, or give --format"
        )
    return _SUFFIX[suffix]


def write_result(
    result: ScanResult, path: str | os.PathLike[str], *, fmt: str | None = None
) -> list[Path]:
    """Write ``result`` to ``path`` in ``fmt`` (default: from the suffix); return the files."""
    fmt = format_for(path, fmt)
    target = Path(path)
    if fmt == "jsonl":
        with _atomic(target, "w") as f:
            for record in result.records():
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return [target]
    if fmt == "csv":
        clusters_path = target.with_name(f"{target.stem}.clusters{target.suffix}")
        with _atomic(target, "w", newline="") as f:
            _write_csv(f, [_pair_row(p.to_dict()) for p in result.pairs], _PAIR_COLUMNS)
        with _atomic(clusters_path, "w", newline="") as f:
            _write_csv(f, [_cluster_row(c.to_dict()) for c in result.clusters], _CLUSTER_COLUMNS)
        return [target, clusters_path]
    if fmt == "parquet":
        return _write_parquet(result, target)
    from spindetect.render.html_report import render_scan_html

    with _atomic(target, "w") as f:
        f.write(render_scan_html(result))
    return [target]


_PAIR_COLUMNS = ["a", "b", "verdict", "confidence", "skeleton", "content", "shared", "cluster"]
_CLUSTER_COLUMNS = [
    "id",
    "size",
    "representative",
    "members",
    "verdicts",
    "distinct_titles",
    "titles",
    "beneficiaries",
    "title_mismatch",
    "explained",
]


def _pair_row(d: dict[str, Any]) -> dict[str, Any]:
    return {**{k: d[k] for k in ("a", "b", "verdict", "confidence", "cluster")}, **d["scores"]}


def _cluster_row(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": d["id"],
        "size": d["size"],
        "representative": d["representative"],
        "members": " | ".join(d["members"]),
        "verdicts": " | ".join(f"{k}:{v}" for k, v in sorted(d["verdicts"].items())),
        "distinct_titles": d["distinct_titles"],
        "titles": " | ".join(t for t in d["titles"].values() if t),
        "beneficiaries": " | ".join(b["domain"] for b in d["beneficiaries"]),
        "title_mismatch": " | ".join(d["title_mismatch"]),
        "explained": d["explained"],
    }


def _write_csv(f: IO[str], rows: list[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def _write_parquet(result: ScanResult, target: Path) -> list[Path]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise SpinDetectError(
            "Parquet output needs pyarrow: pip install 'spindetect[parquet]'"
        ) from None
    clusters_path = target.with_name(f"{target.stem}.clusters{target.suffix}")
    pairs = pa.Table.from_pylist([_pair_row(p.to_dict()) for p in result.pairs])
    clusters = pa.Table.from_pylist(
        [
            {
                **c.to_dict(),
                "titles": json.dumps(c.titles, ensure_ascii=False),
                "verdicts": json.dumps(c.verdicts),
                "inserted": json.dumps(c.inserted),
            }
            for c in result.clusters
        ]
    )
    for table, path in ((pairs, target), (clusters, clusters_path)):
        with _atomic(path, "wb") as f:
            pq.write_table(table, f, compression="zstd")
    return [target, clusters_path]


@contextmanager
def _atomic(path: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, **kwargs) as f:
            yield f
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
