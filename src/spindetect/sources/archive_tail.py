"""Checks that a WARC archive does not end inside a record the parser passed over quietly."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from spindetect.sources.errors_text import describe as _describe

_READ_CHUNK = 1 << 20


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
