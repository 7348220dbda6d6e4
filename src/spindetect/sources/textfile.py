"""Reading one text document from disk, with a typed error for every bad input."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from spindetect._validation import check_int
from spindetect.exceptions import (
    BinaryInputError,
    EmptyInputError,
    InputDecodeError,
    InputNotFoundError,
    InputTooLargeError,
    NotAFileError,
)

__all__ = ["DEFAULT_MAX_BYTES", "decode_text", "read_text"]

#: Default size limit of one document (64 MiB); larger files are refused, not truncated.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_MAGIC = {
    b"\x1f\x8b": "gzip-compressed data",
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x7fELF": "an executable (ELF)",
    b"BZh": "bzip2-compressed data",
    b"\xfd7zXZ": "xz-compressed data",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13, 27}


def read_text(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> str:
    """Read a text file and return its contents as ``str``.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    encoding : str or None, default=None
        A codec name, or None to detect: a byte-order mark selects UTF-8/16/32,
        otherwise strict UTF-8.
    max_bytes : int, default=DEFAULT_MAX_BYTES
        Files larger than this are refused with :class:`InputTooLargeError`.

    Raises
    ------
    InputNotFoundError, NotAFileError, InputTooLargeError, EmptyInputError,
    BinaryInputError, InputDecodeError
        Each names the file and the problem.
    """
    check_int("max_bytes", max_bytes, low=1)
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputNotFoundError(str(path), "no such file") from None
    except OSError as exc:
        raise NotAFileError(str(path), f"cannot access ({exc.strerror or exc})") from None
    if p.is_dir():
        raise NotAFileError(str(path), "is a directory, not a file")
    if not p.is_file():
        raise NotAFileError(str(path), "is not a regular file")
    if st.st_size > max_bytes:
        raise InputTooLargeError(
            str(path), f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise NotAFileError(str(path), f"cannot read ({exc.strerror or exc})") from None
    return decode_text(data, source=str(path), encoding=encoding)


def decode_text(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Decode one document's bytes, refusing empty, binary and undecodable data.

    Parameters
    ----------
    data : bytes
        The raw document.
    source : str
        Name used in error messages (a path, URL or record id).
    encoding : str or None, default=None
        As in :func:`read_text`.
    """
    if not data:
        raise EmptyInputError(source, "file is empty")
    codec = encoding
    if codec is None:
        codec = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if codec is None:
        _refuse_binary(data, source)
        codec = "utf-8"
    try:
        text = data.decode(codec)
    except LookupError:
        raise InputDecodeError(source, f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise InputDecodeError(
            source,
            f"not valid {exc.encoding} text (byte 0x{data[exc.start]:02x} at offset {exc.start});"
            " give the encoding explicitly, e.g. --encoding latin-1",
        ) from None
    if not text.strip():
        raise EmptyInputError(source, "holds no text, only white space")
    return text


def _refuse_binary(data: bytes, source: str) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInputError(source, f"binary data ({what}), not text")
    head = data[:8192]
    if b"\x00" in head:
        raise BinaryInputError(source, "binary data (contains NUL bytes), not text")
    controls = sum(1 for byte in head if byte in _CONTROL)
    if controls > max(8, len(head) // 100):
        raise BinaryInputError(source, "binary data (many control bytes), not text")
