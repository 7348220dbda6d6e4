"""Writing scan results: JSONL (canonical, streaming), CSV, Parquet and HTML.

* JSONL: one record per line, ``{"type": "pair", ...}``, ``{"type": "cluster", ...}``
  and a closing ``{"type": "summary", ...}``.
* CSV: ``FILE`` holds the pairs (one row each, scores flattened, cluster id),
  ``FILE`` with ``.clusters`` before the suffix holds the families (lists joined
  with ``" | "``) and, when the scan scored its documents, ``FILE`` with
  ``.documents`` before the suffix holds every document's ``id`` and
  ``spun_score`` (:func:`spindetect.inspect_scores`), in input order.
* Parquet (needs ``pyarrow``: ``pip install 'spindetect[parquet]'``): the same
  tables, nested lists kept.
* HTML: a self-contained report (see :mod:`spindetect.render.html_report`) and, given
  the texts of its pairs, their side-by-side compare pages in ``FILE.pairs/`` beside it
  (:mod:`spindetect.render.pair_pages`), linked from the pairs' rows.

Files are written to a temporary name in the target folder and renamed into
place when complete, so an interrupted run (or a full disk) never leaves a
truncated output. The target folder must exist: nothing is created, and
:func:`check_output` finds an unwritable folder, or an output that is also an
input, before any work is done.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from spindetect._validation import check_choice
from spindetect.crawl.records import DocumentRecord, ScanResult
from spindetect.exceptions import OutputError, SpinDetectError
from spindetect.render.pair_pages import PageProgress, PairViews, pairs_folder, write_pair_pages
from spindetect.text.function_words import FunctionWords

__all__ = [
    "FORMATS",
    "check_output",
    "check_pairs_folder",
    "format_for",
    "output_files",
    "write_result",
    "write_text",
]

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


def output_files(path: str | os.PathLike[str], fmt: str | None = None) -> list[Path]:
    """Return the files :func:`write_result` may write for ``path``.

    One, or three for CSV/Parquet: pairs, families and per-document spun scores
    (the last only written when the scan scored its documents).
    """
    target = Path(path)
    if format_for(path, fmt) in ("csv", "parquet"):
        return [target, _clusters_path(target), _documents_path(target)]
    return [target]


def check_output(
    path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Refuse an output before the work: no folder, folder not writable, or one of ``inputs``.

    The folder must already exist (no directories are created), a file can be
    created in it (tried with a temporary file, so it holds for root and
    read-only mounts alike), ``path`` is not a directory, and it is not one of
    ``inputs`` (same file, by :func:`os.path.samefile`) nor inside an input
    directory, where a later run would read it back as a document.

    Raises
    ------
    OutputError
        Naming ``path`` and the problem.
    """
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise OutputError(f"{path}: is a directory, not an output file")
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: no directory {str(folder)!r}")
    for source in inputs:
        src = Path(source)
        if target.exists() and src.exists() and os.path.samefile(target, src):
            raise OutputError(f"{path}: is also an input; choose another output file")
        if src.is_dir() and _inside(folder, src):
            raise OutputError(
                f"{path}: is inside the input directory {str(src)!r}; a later scan would read "
                "it as a document, choose a folder outside the input"
            )
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {str(folder)!r}: {_reason(exc)}") from None
    os.close(fd)
    os.unlink(tmp)


def _inside(folder: Path, directory: Path) -> bool:
    try:
        folder.resolve().relative_to(directory.resolve())
    except (ValueError, OSError):
        return False
    return True


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed into place.

    Raises
    ------
    OutputError
        If the folder does not exist or the write fails (a full disk): no
        partial file is left.
    """
    target = Path(path)
    with _atomic(target, "w") as f:
        f.write(text)
    return target


def _clusters_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.clusters{target.suffix}")


def _documents_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.documents{target.suffix}")


def write_result(
    result: ScanResult,
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    texts: Mapping[str, str] | None = None,
    views: PairViews | None = None,
    vocabulary: FunctionWords | None = None,
    progress: PageProgress | None = None,
) -> list[Path]:
    """Write ``result`` to ``path`` in ``fmt`` (default: from the suffix); return the files.

    Parameters
    ----------
    result : ScanResult
        The scan.
    path : path
        The output file.
    fmt : {"jsonl", "csv", "parquet", "html"}, optional
        Output format; default: from the suffix.
    texts : mapping of str to str, optional
        HTML only: texts by document id (:class:`~spindetect.render.pair_pages.PairTexts`
        collects them during the scan). The listed pairs chosen by ``views`` whose two
        texts are given get a side-by-side compare page in ``FILE.pairs/``
        (:func:`~spindetect.render.pair_pages.pairs_folder`), written to a temporary
        folder and renamed into place with the report; without texts, an older
        ``FILE.pairs/`` is removed (the report no longer links to it).
    views : PairViews, optional
        Which pairs get a page; the defaults otherwise.
    vocabulary : FunctionWords, optional
        The scan's learned function words (``PairTexts.vocabulary``): the pages
        compare their pairs with them, as the scan judged them.
    progress : callable, optional
        ``progress("pair pages", done, total)`` while the pages are made.

    Returns
    -------
    list of Path
        The files written (and the pages' folder).

    Raises
    ------
    OutputError
        If the folder does not exist or writing fails (a full disk); the
        files already in place are left as they were. Also when ``FILE.pairs``
        exists and is not a folder of pair pages.
    """
    fmt = format_for(path, fmt)
    target = Path(path)
    if fmt == "jsonl":
        with _atomic(target, "w") as f:
            for record in result.records():
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return [target]
    if fmt == "csv":
        clusters_path = _clusters_path(target)
        with _staged() as pending:  # all files renamed into place once all are complete
            with _atomic(target, "w", pending, newline="") as f:
                _write_csv(f, [_pair_row(p.to_dict()) for p in result.pairs], _PAIR_COLUMNS)
            with _atomic(clusters_path, "w", pending, newline="") as f:
                rows = [_cluster_row(c.to_dict()) for c in result.clusters]
                _write_csv(f, rows, _CLUSTER_COLUMNS)
            if result.documents:
                with _atomic(_documents_path(target), "w", pending, newline="") as f:
                    rows = [_document_row(d) for d in result.documents]
                    _write_csv(f, rows, _DOCUMENT_COLUMNS)
        return _written(target, result)
    if fmt == "parquet":
        return _write_parquet(result, target)
    return _write_html(result, target, texts, views, vocabulary, progress)


def _write_html(
    result: ScanResult,
    target: Path,
    texts: Mapping[str, str] | None,
    views: PairViews | None,
    vocabulary: FunctionWords | None,
    progress: PageProgress | None,
) -> list[Path]:
    """Write the report and its pair pages.

    The pages' folder is renamed into place just before the report, so the new report
    never links to pages that are not there.
    """
    from spindetect.render.html_report import render_scan_html

    folder = pairs_folder(target)
    check_pairs_folder(target)
    staging: Path | None = None
    try:
        links: dict[tuple[str, str], str] = {}
        if texts:
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=target.parent))
            links = write_pair_pages(
                result,
                texts,
                staging,
                report_name=target.name,
                views=views,
                vocabulary=vocabulary,
                progress=progress,
            )
        html = render_scan_html(result, pair_links=links)
        with _staged() as pending:
            with _atomic(target, "w", pending) as f:
                f.write(html)
            _replace_folder(staging if links else None, folder)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write: {_reason(exc)}") from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [target, folder] if links else [target]


_PAGE_FILE = re.compile(r"[0-9a-f]{20}\.html")


def check_pairs_folder(
    path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Refuse an HTML report whose pair pages' folder (``FILE.pairs``) cannot be replaced.

    The folder may be absent or hold pair pages only (an older report's): it is then
    replaced. Anything else there (a file, a folder holding other files) is not ours
    to delete; nor is an input, or a folder holding one.

    Raises
    ------
    OutputError
        Naming the folder and the problem.
    """
    folder = pairs_folder(path)
    for source in inputs:
        src = Path(source)
        if src.exists() and (_inside(src.parent if src.is_file() else src, folder)):
            raise OutputError(
                f"{folder}: the report's pair pages would replace the input {str(src)!r}; "
                "choose another output file"
            )
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder of pair pages; move it away")
    try:
        names = [e.name for e in os.scandir(folder)]
    except OSError as exc:
        raise OutputError(f"{folder}: cannot read: {_reason(exc)}") from None
    if any(not _PAGE_FILE.fullmatch(n) for n in names):
        raise OutputError(
            f"{folder}: holds files other than pair pages; move it away or choose another "
            "output file"
        )


def _replace_folder(new: Path | None, folder: Path) -> None:
    """Put ``new`` in place of ``folder`` (an older report's pages, removed).

    With ``new`` None, remove ``folder``.
    """
    old: Path | None = None
    if folder.is_dir():
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
        os.replace(folder, old)  # onto the empty temporary folder
    if new is not None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(new, 0o777 & ~umask)  # mkdtemp creates 0700; give the usual folder mode
        os.replace(new, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_PAIR_COLUMNS = ["a", "b", "verdict", "confidence", "skeleton", "content", "shared", "cluster"]
_CLUSTER_COLUMNS = [
    "id",
    "size",
    "representative",
    "members",
    "verdicts",
    "distinct_titles",
    "titles",
    "urls",
    "beneficiaries",
    "title_mismatch",
    "explained",
]


_DOCUMENT_COLUMNS = ["id", "spun_score"]


def _document_row(d: DocumentRecord) -> dict[str, Any]:
    return {"id": d.id, "spun_score": d.spun_score}


def _written(target: Path, result: ScanResult) -> list[Path]:
    """Return the CSV/Parquet files written for ``result``: pairs, families, documents."""
    paths = [target, _clusters_path(target)]
    return [*paths, _documents_path(target)] if result.documents else paths


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
        "urls": " | ".join(d["urls"].values()),
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
    clusters_path = _clusters_path(target)
    pairs = pa.Table.from_pylist([_pair_row(p.to_dict()) for p in result.pairs])
    clusters = pa.Table.from_pylist(
        [
            {
                **c.to_dict(),
                "titles": json.dumps(c.titles, ensure_ascii=False),
                "urls": json.dumps(c.urls, ensure_ascii=False),
                "verdicts": json.dumps(c.verdicts),
                "inserted": json.dumps(c.inserted),
            }
            for c in result.clusters
        ]
    )
    tables = [(pairs, target), (clusters, clusters_path)]
    if result.documents:
        columns = {
            "id": pa.array([d.id for d in result.documents], type=pa.string()),
            "spun_score": pa.array([d.spun_score for d in result.documents], type=pa.float64()),
        }
        tables.append((pa.table(columns), _documents_path(target)))
    with _staged() as pending:  # all files renamed into place once all are complete
        for table, path in tables:
            with _atomic(path, "wb", pending) as f:
                pq.write_table(table, f, compression="zstd")
    return _written(target, result)


@contextmanager
def _staged() -> Iterator[list[tuple[str, Path]]]:
    """Collect completed temporary files; rename them all into place at the end, or none."""
    pending: list[tuple[str, Path]] = []
    try:
        yield pending
        for tmp, path in pending:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    finally:
        for tmp, _ in pending:
            Path(tmp).unlink(missing_ok=True)  # none left after the renames


@contextmanager
def _atomic(
    path: Path, mode: str, pending: list[tuple[str, Path]] | None = None, **kwargs: Any
) -> Iterator[IO[Any]]:
    """Yield a temporary file in ``path``'s folder; rename it to ``path`` when complete.

    On any error the temporary file is removed, so ``path`` is either the old
    file or the complete new one; an :class:`OSError` (full disk, no folder)
    becomes one :class:`~spindetect.exceptions.OutputError` naming ``path``.
    With ``pending`` (from :func:`_staged`) the complete file is added to it
    instead of renamed, so that several files replace the old ones together.
    """
    if not path.parent.is_dir():
        raise OutputError(f"{path}: cannot write: no directory {str(path.parent)!r}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, **kwargs) as f:
            yield f
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
        if pending is None:
            os.replace(tmp, path)
        else:
            pending.append((tmp, path))
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
