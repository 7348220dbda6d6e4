"""Checking an index file before it is used, and naming what is wrong when SQLite fails.

An index is a file a moderator leaves on disk for months: it can be cut short
by a full disk or a careless copy, bit-flipped, edited by hand, replaced by
another file, locked by another process or made read-only. Each of these ends
as one typed error naming the file and the problem, never as a bare
:class:`sqlite3.Error` (or a NumPy error deep in a query):

:class:`~spindetect.exceptions.IndexCorruptError`
    The file's bytes or rows are wrong: not an SQLite database, an empty file
    where an index was expected, a file shorter than its header says
    (truncated), a missing table or column, missing or malformed ``meta``
    rows, a signature blob of the wrong length, pages that
    ``PRAGMA quick_check`` refuses or that SQLite finds malformed later.
:class:`~spindetect.exceptions.IndexFormatError` (its parent)
    A sound file this run cannot use: missing, a directory, another
    application's database, another schema version, other fingerprint
    parameters, locked by another process, read-only (for a write), or an
    I/O error such as a full disk.

The checks made on every open are cheap (the 100-byte file header, the
schema's tables and columns, the ``meta`` rows): they do not grow with the
index. :func:`check_contents` reads every page and row (``PRAGMA
quick_check`` takes about 0.7 s for a 52 MB, 10,000-document index, measured);
``SpinIndex.open`` runs it for files up to :data:`AUTO_CHECK_BYTES`
(``check="auto"``) and always when asked; ``check="full"`` and ``spindetect
index check`` add ``PRAGMA integrity_check`` and the orphan-row count.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from spindetect.crawl.index_schema import FORMAT, SCHEMA, SCHEMA_VERSION, config_from, params
from spindetect.exceptions import IndexCorruptError, IndexFormatError
from spindetect.settings import ScanConfig

__all__ = [
    "AUTO_CHECK_BYTES",
    "CHECKS",
    "check_contents",
    "check_file",
    "check_meta",
    "check_tables",
    "corrupt",
    "rollback",
    "sqlite_errors",
    "text_decoder",
    "translate",
]

#: ``check="auto"`` runs ``PRAGMA quick_check`` on open for files up to this size
#: (1 GiB: about 15 s at the 80 MB/s measured; a larger index is checked on demand).
AUTO_CHECK_BYTES: Final = 1 << 30

#: Accepted values of ``SpinIndex.open(check=...)``.
CHECKS: Final = ("auto", "quick", "full", "none")

_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
_MAX_PROBLEMS = 3
# json_type() fails on malformed JSON, so test validity first (CASE evaluates lazily).
_BAD_LINKS = (
    "(links IS NOT NULL AND CASE WHEN json_valid(links) THEN json_type(links) != 'array' "
    "ELSE 1 END)"
)


def corrupt(path: Path, problem: str) -> IndexCorruptError:
    """Return the error for a damaged index: ``"FILE: damaged index: problem"``."""
    return IndexCorruptError(f"{path}: damaged index: {problem}")


def translate(exc: sqlite3.Error, path: Path) -> IndexFormatError:
    """Return the typed error for an SQLite error met while using the index at ``path``.

    SQLite's result code (``sqlite_errorname``, Python 3.11+) decides; older
    Pythons fall back on the message, which SQLite words the same way.
    """
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    low = text.lower()
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in low:
        return corrupt(path, text)
    if "not a database" in low:
        return IndexCorruptError(f"{path}: not a spindetect index (not an SQLite database)")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low:
        return IndexFormatError(
            f"{path}: the index is locked by another process (retry when it has finished)"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in low:
        return IndexFormatError(f"{path}: the index is read-only: cannot write to it ({text})")
    if name.startswith("SQLITE_FULL") or "disk is full" in low:
        return IndexFormatError(f"{path}: cannot write the index: the disk is full")
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return IndexFormatError(f"{path}: cannot read or write the index: {text}")
    if "no such table" in low or "no such column" in low:
        return corrupt(path, text)
    return IndexFormatError(f"{path}: cannot use the index: {text}")


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Turn any :class:`sqlite3.Error` raised inside into :func:`translate`'s typed error."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc


def rollback(db: sqlite3.Connection) -> None:
    """Roll back the open transaction, if any, keeping the error that caused it.

    A damaged or vanished file can make ROLLBACK fail too; SQLite then has
    rolled back already (or will on close, from the journal), and the first
    error is the one worth reporting.
    """
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def text_decoder(path: Path) -> Callable[[bytes], str]:
    """Return the connection's ``text_factory``: UTF-8, or the error naming the file.

    SQLite hands TEXT values over as stored; a damaged page can hold bytes that
    are not UTF-8, which Python's default decoding would raise as a bare
    :class:`UnicodeDecodeError` from deep inside a query.
    """

    def decode(data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise corrupt(path, f"a stored text is not UTF-8 ({data[:40]!r})") from exc

    return decode


def check_file(path: Path) -> None:
    """Check the 100-byte SQLite header against the file (no SQLite call).

    Refuses a file that is not an SQLite database, an empty file, one whose
    page size is impossible, and one shorter than the page count its header
    states or not a whole number of pages (a truncated copy). The header's page
    count is trusted only when SQLite marks it valid (its change counter at
    offset 24 equals the version-valid-for number at offset 92).

    Raises
    ------
    IndexCorruptError
    """
    size = path.stat().st_size
    if size == 0:
        raise IndexCorruptError(f"{path}: not a spindetect index (empty file, 0 bytes)")
    with path.open("rb") as f:
        head = f.read(_HEADER_SIZE)
    if not head.startswith(_MAGIC):
        raise IndexCorruptError(f"{path}: not a spindetect index (not an SQLite database)")
    if len(head) < _HEADER_SIZE:
        raise corrupt(path, f"truncated: {size:,} bytes, shorter than the SQLite header")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise corrupt(path, f"impossible page size {page_size} in the SQLite header")
    pages = int.from_bytes(head[28:32], "big")
    if pages and head[24:28] == head[92:96] and size < pages * page_size:
        raise corrupt(
            path, f"truncated: {size:,} bytes, its header says {pages * page_size:,} bytes"
        )
    if size % page_size:
        raise corrupt(path, f"truncated: {size:,} bytes is not a whole number of pages")


def _expected_columns() -> dict[str, list[tuple[str, str, int, int]]]:
    """(name, type, notnull, pk) of every column of every table in :data:`SCHEMA`."""
    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(SCHEMA)
        tables = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: _columns(mem, t) for t in tables}
    finally:
        mem.close()


def _columns(db: sqlite3.Connection, table: str) -> list[tuple[str, str, int, int]]:
    rows = db.execute(f"PRAGMA table_info({table})").fetchall()
    return [
        (str(name), str(kind).upper(), int(notnull), int(pk))
        for _, name, kind, notnull, _, pk in rows
    ]


_EXPECTED: Final = _expected_columns()


def check_tables(db: sqlite3.Connection, path: Path, tables: set[str]) -> None:
    """Check that every table of the schema is present with exactly its columns.

    ``tables`` are the table names found in the file (not empty: an empty
    database is a new index, and one without any of the schema's tables is
    another application's database, refused by the caller).

    Raises
    ------
    IndexCorruptError
        Naming the missing table, or the table and its missing, extra or changed columns.
    """
    for table, expected in _EXPECTED.items():
        if table not in tables:
            raise corrupt(path, f"table {table!r} is missing")
        found = _columns(db, table)
        if found == expected:
            continue
        names = [c[0] for c in found]
        missing = [c[0] for c in expected if c[0] not in names]
        extra = [n for n in names if n not in {c[0] for c in expected}]
        if missing:
            problem = f"table {table!r} lacks column {', '.join(map(repr, missing))}"
        elif extra:
            problem = f"table {table!r} has unexpected column {', '.join(map(repr, extra))}"
        else:
            problem = f"table {table!r} has columns of other types or keys than this spindetect's"
        raise corrupt(path, problem)


def check_meta(meta: dict[str, str], path: Path) -> tuple[dict[str, Any], ScanConfig]:
    """Check the ``meta`` rows; return the stored fingerprint parameters and configuration.

    Raises
    ------
    IndexCorruptError
        If the format, schema version, parameters or configuration row is
        missing or malformed, or the stored parameters disagree with the stored
        configuration.
    IndexFormatError
        If the format names another application or the schema version is another one.
    """
    for key in ("format", "schema_version", "params", "config"):
        if key not in meta:
            raise corrupt(path, f"the meta table has no {key!r} row")
    if meta["format"] != FORMAT:
        raise IndexFormatError(f"{path}: not a spindetect index (format {meta['format']!r})")
    version = meta["schema_version"]
    if not version.isdigit():
        raise corrupt(path, f"schema version {version!r} is not a number")
    if version != str(SCHEMA_VERSION):
        raise IndexFormatError(
            f"{path}: index schema version {version!r}, this spindetect reads version "
            f"{SCHEMA_VERSION}"
        )
    try:
        stored = json.loads(meta["params"])
        config = config_from(json.loads(meta["config"]))
        consistent = params(config) == stored
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        # ValueError covers InvalidParameterError: an absurd stored value (num_perm=10**9).
        raise corrupt(path, f"malformed index parameters ({exc!r})") from None
    if not consistent:
        raise corrupt(path, "the stored parameters disagree with the stored configuration")
    return stored, config


def check_contents(
    db: sqlite3.Connection, path: Path, sig_bytes: int, *, full: bool = False
) -> dict[str, Any]:
    """Read every page and document row of the index and refuse it at the first problems.

    ``PRAGMA quick_check`` walks every page's B-tree structure (``full``:
    ``PRAGMA integrity_check``, which also cross-checks the UNIQUE id index
    against the table); then every document row is checked: the signature blob
    holds ``sig_bytes`` bytes, the samples blob whole uint64 values, the
    content hash 16 bytes, the id is text and the links a JSON list. The
    blob checks read only the row headers (SQLite stores each value's length
    there): 14 ms for 10,000 documents, measured; the texts (id, title, URL,
    source, links) are then checked to be UTF-8. ``full`` also counts band and
    sample rows that point to no document (a scan of both tables).

    Parameters
    ----------
    db : sqlite3.Connection
    path : Path
        The index file, for messages.
    sig_bytes : int
        Bytes of one document's signatures: ``4 * sum(num_perm)`` over the specs.
    full : bool, default=False

    Returns
    -------
    dict
        ``documents``, ``band_rows`` and ``sample_rows``.

    Raises
    ------
    IndexCorruptError
        With SQLite's first problems, or naming up to three bad documents by id
        and what is wrong with them.
    """
    pragma = "integrity_check" if full else "quick_check"
    with sqlite_errors(path):
        rows = [str(r[0]) for r in db.execute(f"PRAGMA {pragma}({_MAX_PROBLEMS})")]
        if rows != ["ok"]:
            raise corrupt(path, f"PRAGMA {pragma}: {'; '.join(rows)}")
        bad = db.execute(
            "SELECT id, length(sigs), length(samples), length(content_hash), "
            f"{_BAD_LINKS} FROM docs "
            "WHERE typeof(sigs) != 'blob' OR length(sigs) != ? "
            "OR typeof(samples) != 'blob' OR length(samples) % 8 != 0 "
            f"OR length(content_hash) != 16 OR typeof(id) != 'text' OR {_BAD_LINKS} "
            f"LIMIT {_MAX_PROBLEMS}",
            (sig_bytes,),
        ).fetchall()
        if bad:
            raise corrupt(path, "; ".join(_row_problem(row, sig_bytes) for row in bad))
        _check_utf8(db, path)
        counts = {
            "documents": int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]),
            "band_rows": int(db.execute("SELECT COUNT(*) FROM bands").fetchone()[0]),
            "sample_rows": int(db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]),
        }
        if full:
            orphans = db.execute(
                "SELECT (SELECT COUNT(*) FROM bands WHERE doc NOT IN (SELECT doc FROM docs)) "
                "+ (SELECT COUNT(*) FROM samples WHERE doc NOT IN (SELECT doc FROM docs))"
            ).fetchone()[0]
            if orphans:
                raise corrupt(path, f"{orphans:,} band or sample rows point to no document")
        return counts


def _check_utf8(db: sqlite3.Connection, path: Path) -> None:
    """Check that every stored text of every document is UTF-8 (SQLite does not)."""
    columns = ("id", "title", "url", "source", "links")
    select = ", ".join(f"CAST({c} AS BLOB)" for c in columns)
    for row in db.execute(f"SELECT {select} FROM docs"):
        for column, value in zip(columns, row, strict=True):
            if value is None:
                continue
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                doc_id = json.dumps(bytes(row[0] or b"").decode("utf-8", "replace"))
                raise corrupt(path, f"document {doc_id}: its {column} is not UTF-8") from None


def _row_problem(row: tuple[Any, ...], sig_bytes: int) -> str:
    doc_id, sigs, samples, digest, bad_links = row
    what = []
    if not isinstance(doc_id, str):
        what.append("its id is not text")
    if sigs != sig_bytes:
        what.append(f"signatures of {sigs} bytes, expected {sig_bytes}")
    if samples is None or samples % 8:
        what.append(f"samples of {samples} bytes, not a multiple of 8")
    if digest != 16:
        what.append(f"content hash of {digest} bytes, expected 16")
    if bad_links:
        what.append("links are not a JSON list")
    return f"document {json.dumps(doc_id)}: {', '.join(what) or 'a value of the wrong type'}"
