"""HTTP payloads of WARC responses: undo chunked transfer and gzip/deflate/brotli coding."""

from __future__ import annotations

import zlib
from typing import Any

from spindetect.exceptions import InputDecodeError


def _decode_http_body(body: bytes, headers: Any) -> bytes:
    """Undo HTTP transfer and content encodings (fastwarc runs with ``auto_decode="none"``).

    fastwarc is left to give the raw payload so that a truncated record can be
    told by its length; chunked transfer coding and gzip/deflate/brotli content
    coding are undone here.
    """
    if headers is None:
        return body
    transfer = (headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in transfer:
        body = _dechunk(body)
    coding = (headers.get("Content-Encoding") or "").strip().lower()
    try:
        if coding in ("", "identity", "none"):
            return body
        if coding in ("gzip", "x-gzip"):
            return zlib.decompress(body, wbits=47)
        if coding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, wbits=-15)
        if coding == "br":
            import brotli  # comes with fastwarc

            return bytes(brotli.decompress(body))
    except Exception as exc:  # zlib.error, brotli.error
        raise InputDecodeError("", f"cannot undo Content-Encoding {coding} ({exc})") from None
    raise InputDecodeError("", f"unsupported Content-Encoding {coding!r}")


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        if end < 0:
            break
        try:
            size = int(body[pos:end].split(b";")[0].strip() or b"0", 16)
        except ValueError:
            return body  # not chunked after all (crawlers often store the decoded body)
        if size == 0:
            break
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out)
