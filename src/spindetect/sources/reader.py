"""Reading one file of any supported format into documents, every failure a skip.

:class:`FileReader` dispatches on the kind of the file: WARC/WET archives (read
with fastwarc), JSONL (one record per line), HTML and text files (one document).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spindetect.exceptions import (
    CorruptInputError,
    EmptyInputError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    NotAFileError,
)
from spindetect.sources.archive_tail import _next_record_start, _tail_problem
from spindetect.sources.document import Document, TextOrigin
from spindetect.sources.errors_text import describe as _describe
from spindetect.sources.errors_text import first_line as _first_line
from spindetect.sources.html import MAX_DEPTH, decode_html, extract
from spindetect.sources.http_body import _decode_http_body
from spindetect.sources.jsonl_text import no_surrogates, parse
from spindetect.sources.paths import SourceFile, _kind
from spindetect.sources.skips import _DEEP, SkipLog, SkipRecord
from spindetect.sources.textfile import decode_text

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_READ_CHUNK = 1 << 20
_READ_BUFFER = 1 << 20  # JSONL lines are read through a buffer this large
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


def _read_serial(
    plan: Iterable[SourceFile | SkipRecord], reader: FileReader
) -> Iterator[Document | SkipRecord]:
    for item in plan:
        if isinstance(item, SkipRecord):
            yield item
        else:
            yield from reader.read_file(item.path, item.name)


class FileReader:
    """Per-run state: the skip log and the options."""

    def __init__(
        self, *, log: SkipLog, max_bytes: int, html_extract: bool, encoding: str | None = None
    ) -> None:
        self.log = log
        self.max_bytes = max_bytes
        self.html_extract = html_extract
        self.encoding = encoding  # of text files that are not UTF-8
        self._cut_short = False  # whether the last WARC record read was truncated

    # -- files -----------------------------------------------------------------------------

    def read_file(self, path: Path, name: str) -> Iterator[Document]:
        """Yield the documents of one file; every failure becomes a skip in the log."""
        kind = _kind(path.name)
        try:
            if kind == "warc":
                yield from self._read_warc(path)
            elif kind == "jsonl":
                yield from self._read_jsonl(path, name)
            else:
                doc = self._read_single(path, name, kind)
                if doc is not None:
                    yield doc
        except InputError as exc:
            self.log.add_error(exc, source=str(path))
        except Exception as exc:  # a reader bug met on odd input must not end the run
            self.log.add(
                "unreadable",
                str(path),
                f"reader error ({type(exc).__name__}: {_describe(exc)}); rest of the file not read",
            )

    def _check_file(self, path: Path) -> int:
        source = str(path)
        try:
            st = path.stat()
        except FileNotFoundError:
            raise InputNotFoundError(source, "no such file") from None
        except OSError as exc:
            raise NotAFileError(source, f"cannot access ({exc.strerror or exc})") from None
        if not path.is_file():
            raise NotAFileError(source, "is not a regular file")
        if st.st_size == 0:
            raise EmptyInputError(source, "file is empty")
        return st.st_size

    def _read_single(self, path: Path, name: str, kind: str) -> Document | None:
        source = str(path)
        size = self._check_file(path)
        if size > self.max_bytes:
            raise InputTooLargeError(
                source, f"file is {size:,} bytes, over the limit of {self.max_bytes:,} bytes"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotAFileError(source, f"cannot read ({exc.strerror or exc})") from None
        if kind == "other" and _looks_like_html(data):
            kind = "html"
        if kind == "html":
            return self._html_document(data, doc_id=name, source=source, where=None)
        encoding = None
        try:
            text = decode_text(data, source=source)
        except InputDecodeError:
            if self.encoding is None:
                raise
            encoding = self.encoding
            text = decode_text(data, source=source, encoding=encoding)
        origin = TextOrigin(source, 0, len(data), "text", encoding)
        return Document(name, text, source=source, origin=origin)

    def _html_document(
        self,
        data: str | bytes,
        *,
        doc_id: str,
        source: str,
        where: str | None,
        url: str | None = None,
        encoding: str | None = None,
    ) -> Document | None:
        if not data.strip():
            self.log.add("empty", source, "holds nothing but white space", where=where)
            return None
        if not self.html_extract:
            text = data if isinstance(data, str) else decode_html(data, encoding=encoding)
            if not text.strip():
                self.log.add("empty", source, "holds no text, only white space", where=where)
                return None
            return Document(doc_id, text, url=url, source=source)
        page = extract(data, url=url, encoding=encoding)
        if page.too_deep:
            self.log.add(
                _DEEP,
                source,
                f"elements nested deeper than {MAX_DEPTH}: whole text kept, "
                "no main-content extraction",
                where=where,
            )
        if not page.text:
            self.log.add("no-text", source, "HTML page with no visible text", where=where)
            return None
        title = page.title or page.og_title or page.h1
        return Document(doc_id, page.text, title=title, url=url, links=page.links, source=source)

    # -- JSONL -----------------------------------------------------------------------------

    def _read_jsonl(self, path: Path, name: str) -> Iterator[Document]:
        source = str(path)
        self._check_file(path)
        lineno = pos = 0
        compressed = path.name.lower().endswith(".gz")
        try:
            opened = gzip.open(path, "rb") if compressed else open(path, "rb", _READ_BUFFER)
            with opened as fh:
                while True:
                    line = fh.readline(self.max_bytes + 1)
                    if not line:
                        break
                    lineno += 1
                    start, pos = pos, pos + len(line)
                    if len(line) > self.max_bytes and not line.endswith(b"\n"):
                        self.log.add(
                            "too-large",
                            source,
                            f"line over {self.max_bytes:,} bytes",
                            where=f"line {lineno}",
                        )
                        while line and not line.endswith(b"\n"):  # skip the rest of it
                            line = fh.readline(_READ_CHUNK)
                            pos += len(line)
                        continue
                    at = None if compressed else start
                    doc = self._jsonl_record(
                        line, source=source, name=name, lineno=lineno, offset=at
                    )
                    if doc is not None:
                        yield doc
        except (OSError, EOFError, zlib.error) as exc:
            raise CorruptInputError(
                source, f"unreadable after line {lineno} ({_describe(exc)})"
            ) from None

    def _jsonl_record(
        self, line: bytes, *, source: str, name: str, lineno: int, offset: int | None = None
    ) -> Document | None:
        """Return the document of one line (with its origin when ``offset`` is known)."""
        where = f"line {lineno}"
        if not line or line.isspace():
            return None  # blank lines separate nothing in JSONL; not a record
        try:
            record, surrogates = parse(line)
        except UnicodeDecodeError as exc:
            self.log.add("decode", source, f"not valid UTF-8 ({exc.reason})", where=where)
            return None
        except ValueError as exc:
            self.log.add("malformed-json", source, _first_line(str(exc)), where=where)
            return None
        if not isinstance(record, dict):
            self.log.add(
                "malformed-json",
                source,
                f"a record must be a JSON object, got {type(record).__name__}",
                where=where,
            )
            return None
        doc_id = record.get("id")
        if doc_id is None or doc_id == "":
            doc_id = f"{name}:{lineno}"
        elif isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
            doc_id = no_surrogates(str(doc_id)) if surrogates else str(doc_id)
        else:
            self.log.add(
                "malformed-json",
                source,
                f"'id' must be a string or integer, got {type(doc_id).__name__}",
                where=where,
            )
            return None
        fields = {}
        for key in ("text", "html", "title", "url"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                self.log.add(
                    "malformed-json",
                    source,
                    f"{key!r} must be a string, got {type(value).__name__}",
                    where=where,
                )
                return None
            fields[key] = value if value is None or not surrogates else no_surrogates(value)
        where = f"line {lineno}, id {doc_id!r}"
        text, html = fields["text"], fields["html"]
        if text is None and html is not None:
            doc = self._html_document(
                html, doc_id=doc_id, source=source, where=where, url=fields["url"]
            )
            if doc is None:
                return None
            return Document(
                doc.id, doc.text, fields["title"] or doc.title, doc.url, doc.links, source
            )
        if text is None:
            self.log.add("no-text", source, "record has neither 'text' nor 'html'", where=where)
            return None
        if not text or text.isspace():
            self.log.add("empty", source, "'text' holds no text, only white space", where=where)
            return None
        origin = None if offset is None else TextOrigin(source, offset, len(line), "jsonl")
        return Document(doc_id, text, fields["title"], fields["url"], (), source, origin)

    # -- WARC / WET ------------------------------------------------------------------------

    def _read_warc(self, path: Path) -> Iterator[Document]:
        """Yield the documents of an archive, resuming after each damaged stretch.

        On a read error (a corrupt gzip member, garbled headers) reading resumes
        at the next record start after the damage (:func:`_next_record_start`);
        the records lost in between are counted as one ``corrupt`` skip.
        """
        from fastwarc.warc import ArchiveIterator

        source = str(path)
        self._check_file(path)
        with path.open("rb") as fh:
            gzip_file = fh.read(2) == b"\x1f\x8b"
        start, last_pos, read_any, first = 0, -1, False, True
        while True:
            since_start = False
            try:
                with path.open("rb") as fh:
                    fh.seek(start)
                    for record in ArchiveIterator(fh, parse_http=True, fsspec_args=False):
                        last_pos = record.stream_pos
                        since_start = read_any = True
                        self._cut_short = False
                        doc = self._warc_record(record, source)
                        if doc is not None:
                            yield doc
                break
            except OSError as exc:
                # A restart that fails at once is still inside the damage already counted.
                fresh = since_start or first
                first = False
                where = f"at offset {start:,}"
                if since_start:
                    where = f"after the record at offset {last_pos:,}"
                resume = _next_record_start(path, max(start, last_pos), gzip=gzip_file)
                if resume is None and fresh:
                    lost = "no record found" if not read_any else "later records not read"
                    raise CorruptInputError(
                        source, f"corrupt {where} ({_describe(exc)}); {lost}"
                    ) from None
                if resume is None:
                    return
                if fresh:
                    self.log.add(
                        "corrupt",
                        source,
                        f"damaged data {where} ({_describe(exc)}); "
                        "read on from the next intact record",
                    )
                start = resume
        if not read_any:
            raise CorruptInputError(source, "no WARC record found (truncated, or not a WARC file)")
        problem = None if self._cut_short else _tail_problem(path, last_pos)
        if problem:
            raise CorruptInputError(source, problem)

    def _warc_record(self, record: Any, source: str) -> Document | None:
        from fastwarc.warc import WarcRecordType

        rtype = record.record_type
        where = f"record at offset {record.stream_pos:,}"
        declared = record.headers.get("Content-Length")
        if not (declared or "").strip().isdigit() or record.headers.get("WARC-Type") is None:
            self.log.add(
                "corrupt", source, "truncated record (incomplete WARC headers)", where=where
            )
            self._cut_short = True
            record.consume()
            return None
        if rtype == WarcRecordType.unknown:
            self.log.add(
                "corrupt",
                source,
                f"unrecognised WARC-Type {record.headers.get('WARC-Type')!r}",
                where=where,
            )
            record.consume()
            return None
        wanted = rtype in (
            WarcRecordType.response,
            WarcRecordType.resource,
            WarcRecordType.conversion,
        )
        if rtype == WarcRecordType.response and not record.is_http:
            # A response whose WARC Content-Type was lost: parse HTTP if it is there.
            record.is_http = True
            try:
                record.parse_http()
            except OSError:
                record.is_http = False
        if wanted and record.content_length > self.max_bytes:
            self.log.add(
                "too-large",
                source,
                f"payload is {record.content_length:,} bytes, "
                f"over the limit of {self.max_bytes:,} bytes",
                where=where,
            )
            record.consume()
            return None
        expected = record.content_length
        if not wanted:
            got = record.consume()
            if got < expected:
                self.log.add(
                    "corrupt",
                    source,
                    f"truncated record ({got:,} of {expected:,} bytes)",
                    where=where,
                )
                self._cut_short = True
            else:
                self.ignored[_type_name(rtype)] += 1
            return None
        payload = record.reader.read()
        if len(payload) < expected or (record.is_http and not record.is_http_parsed):
            self.log.add(
                "corrupt",
                source,
                f"truncated record ({len(payload):,} of {expected:,} bytes)",
                where=where,
            )
            self._cut_short = True
            return None
        url = record.headers.get("WARC-Target-URI") or None
        doc_id = url or record.record_id or f"{Path(source).name}@{record.stream_pos}"
        where = f"{where}, {doc_id}"
        if rtype == WarcRecordType.response and record.is_http:
            return self._http_response(
                record, payload, doc_id=doc_id, url=url, source=source, where=where
            )
        ctype = (record.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype in _HTML_TYPES or (not ctype and _looks_like_html(payload)):
            return self._html_document(payload, doc_id=doc_id, source=source, where=where, url=url)
        if ctype.startswith("text/") or not ctype or rtype == WarcRecordType.conversion:
            return self._text_document(payload, doc_id=doc_id, url=url, source=source, where=where)
        self._ignore(f"{_type_name(rtype)} {ctype or 'without type'}", ctype, source, where)
        return None

    @property
    def ignored(self) -> Counter[str]:
        """Counts of the records ignored on purpose, by reason (the skip log's)."""
        return self.log.ignored

    def _http_response(
        self, record: Any, payload: bytes, *, doc_id: str, url: str | None, source: str, where: str
    ) -> Document | None:
        status = record.http_headers.status_code if record.http_headers is not None else None
        if status is not None and not 200 <= status < 300:
            self.ignored[f"HTTP {status // 100}xx"] += 1
            return None
        try:
            payload = _decode_http_body(payload, record.http_headers)
        except InputDecodeError as exc:
            self.log.add("decode", source, exc.problem, where=where)
            return None
        ctype = (record.http_content_type or "").lower()
        if ctype in _HTML_TYPES or (not ctype and _looks_like_html(payload)):
            return self._html_document(
                payload,
                doc_id=doc_id,
                source=source,
                where=where,
                url=url,
                encoding=record.http_charset,
            )
        if ctype == "text/plain":
            return self._text_document(
                payload,
                doc_id=doc_id,
                url=url,
                source=source,
                where=where,
                encoding=record.http_charset,
            )
        self._ignore(f"response {ctype or 'without type'}", ctype, source, where)
        return None

    def _ignore(self, reason: str, ctype: str, source: str, where: str) -> None:
        """Pass over a record of a non-text type; a garbled type is corruption, not a type."""
        if ctype and not _MIME.fullmatch(ctype):
            self.log.add("corrupt", source, f"malformed Content-Type {ctype[:40]!r}", where=where)
        else:
            self.ignored[reason] += 1

    def _text_document(
        self,
        payload: bytes,
        *,
        doc_id: str,
        url: str | None,
        source: str,
        where: str,
        encoding: str | None = None,
    ) -> Document | None:
        try:
            text = decode_text(payload, source=source, encoding=encoding)
        except InputError as exc:
            self.log.add_error(exc, source=source, where=where)
            return None
        return Document(doc_id, text, url=url, source=source)


def _type_name(rtype: Any) -> str:
    return str(getattr(rtype, "name", rtype)).rsplit(".", 1)[-1]


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<body" in data[:4096].lower()
    )
