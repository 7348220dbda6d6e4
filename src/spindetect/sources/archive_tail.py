"""Damaged WARC archives: where to resume after damage, and whether the end is cut off.

:func:`_next_record_start` finds where reading can resume after a damaged
stretch (the next gzip member holding a WARC record, or the next ``WARC/1.x``
header line of an uncompressed archive); :func:`_tail_problem` checks that an
archive does not end inside a record the parser passed over quietly.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from spindetect.sources.errors_text import describe as _describe

_READ_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"  # member header: magic and the deflate method
_WARC_LINE = b"\r\nWARC/1."  # a version line after the blank line ending a record


def _next_record_start(path: Path, after: int, *, gzip: bool) -> int | None:
    """Offset of the first record start strictly after ``after``, or None when none is left.

    WARC gzip files hold one member per record (WARC 1.1, annex D), so after a
    damaged member reading resumes at the next member whose data inflates to a
    ``WARC/`` header; a three-byte magic that merely occurs inside compressed
    data fails that check and is passed over. In an uncompressed archive the
    next record starts at the next ``WARC/1.`` version line. A file whose own
    first bytes are damaged may be either: the other kind is tried when the
    expected one finds nothing.
    """
    found = _find_start(path, after, gzip=gzip)
    return found if found is not None else _find_start(path, after, gzip=not gzip)


def _find_start(path: Path, after: int, *, gzip: bool) -> int | None:
    pattern = _GZIP_MAGIC if gzip else _WARC_LINE
    skip = 0 if gzip else 2  # where the record starts within the pattern
    with path.open("rb") as fh:
        pos = max(after + 1 - skip, 0)
        while True:
            fh.seek(pos)
            chunk = fh.read(_READ_CHUNK + len(pattern))
            if len(chunk) < len(pattern):
                return None
            found = chunk.find(pattern)
            while found >= 0:
                start = pos + found + skip
                if start > after and (not gzip or _inflates_to_warc(fh, start)):
                    return start
                found = chunk.find(pattern, found + 1)
            pos += _READ_CHUNK


def _inflates_to_warc(fh: Any, start: int) -> bool:
    """Whether the gzip member at ``start`` begins with a WARC version line."""
    here = fh.tell()
    fh.seek(start)
    data = fh.read(1 << 16)
    fh.seek(here)
    try:
        head = zlib.decompressobj(wbits=31).decompress(data, 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def _tail_problem(path: Path, last_pos: int) -> str | None:
    """Check that an archive does not end inside a record fastwarc passed over.

    fastwarc stops quietly at a gzip member cut short, and at a record whose
    headers are complete but whose block is missing; the end of the file after
    the last record yielded is checked here.
    """
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic.startswith(b"\x1f\x8b"):
        return _gzip_tail_problem(path, last_pos)
    if magic == b"WARC":
        return _plain_tail_problem(path, last_pos)
    return None  # zstd, lz4, ...: trust the reader


def _plain_tail_problem(path: Path, last_pos: int) -> str | None:
    """Check an uncompressed archive: bytes after the last record's end mean a cut-off record."""
    with path.open("rb") as fh:
        fh.seek(last_pos)
        head = fh.read(1 << 16)
        end_of_headers = head.find(b"\r\n\r\n")
        if end_of_headers < 0:
            return None
        length = None
        for line in head[:end_of_headers].split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    return None
        if length is None:
            return None
        end = last_pos + end_of_headers + 4 + length + 4
        fh.seek(end)
        rest = fh.read(1 << 16)
    if rest.strip():
        return f"truncated: a record cut short at offset {end:,}; the rest of the archive is lost"
    return None


def _gzip_tail_problem(path: Path, start: int) -> str | None:
    """Say whether a gzip file ends inside a member (a cut-off download).

    fastwarc stops quietly at a truncated gzip member, so once the records run
    out, the members from the last record's offset to the end of the file are
    decompressed here (output discarded). For the usual one-member-per-record
    files that is only the tail; when the offset is not a member start the whole
    stream is checked.
    """
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            if fh.read(2) != b"\x1f\x8b":
                if start == 0:
                    return None  # not gzip
                fh.seek(0)
                if fh.read(2) != b"\x1f\x8b":
                    return None
                start = 0
            fh.seek(start)
            decomp: Any = None  # None: between members
            while chunk := fh.read(_READ_CHUNK):
                while chunk:
                    if decomp is None:
                        decomp = zlib.decompressobj(wbits=31)
                    decomp.decompress(chunk)
                    if decomp.eof:
                        chunk = decomp.unused_data
                        decomp = None
                    else:
                        chunk = b""
    except (OSError, zlib.error) as exc:
        return f"corrupt gzip data near the end ({_describe(exc)})"
    if decomp is not None:
        return "truncated: the file ends inside a gzip member; the rest of the archive is lost"
    return None
