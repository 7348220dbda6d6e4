"""Fuzz targets: hostile input to the readers, HTML extraction, the index loader and compare.

Each target is one function of one generated input and a Hypothesis strategy that builds
inputs an attacker or a broken crawler could hand over: damaged JSONL, WARC and gzip bytes,
arbitrary bytes named ``.html``/``.txt``, malformed markup and links, bit-flipped and
rewritten index files, odd Unicode for ``compare``. A target may end in one of the
project's typed errors (:class:`~spindetect.exceptions.SpinDetectError`); any other
exception is a crash and fails the test.

The tests below run every target for ``SPINDETECT_FUZZ_EXAMPLES`` examples (default 40,
a few seconds in all); ``benchmarks/fuzz_targets.py`` runs the same :data:`TARGETS` for a
time budget each and reports the examples run and the crashes.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spindetect.crawl.index import SpinIndex
from spindetect.exceptions import SpinDetectError
from spindetect.pairwise.comparison import compare
from spindetect.sources.document import Document
from spindetect.sources.html import extract
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog

EXAMPLES = int(os.environ.get("SPINDETECT_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = "the river rose over old stone bridge at dawn while people watched from banks".split()
TEXT = " ".join(WORDS * 3)
# Characters that break naive code: controls, bidi overrides, lone surrogates, NUL, BOM.
ODD = ["\x00", "\x1b[2J", "\u202e", "\ud800", "\udfff", "\ufeff", "\r\n", "\u2028", "é", "𝕏"]
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD), st.sampled_from(WORDS), st.text(max_size=8)), max_size=30
).map(" ".join)
HOSTILE_URLS = [
    "http://[::1/promo",
    "http://[::1]:99999/x",
    "javascript:alert(1)",
    "//evil.example",
    "http://a b/",
    "http://%zz/",
    "mailto:x@y",
    "data:text/html,<script>",
    "http://xn--/",
    "https://ex\u202eample.com/",
    "http://" + "a" * 300 + ".com/",
    "",
    "#",
    "?q=1",
    "../../etc/passwd",
]


def _surrogate_safe_dumps(record: dict[str, Any]) -> str:
    """JSON with lone surrogates written as ``\\udXXX`` escapes (valid JSON, invalid UTF-8)."""
    return json.dumps(record, ensure_ascii=True)


# -- readers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JsonlInput:
    """Lines of a JSONL file; ``good`` are ids whose records must all be read."""

    data: bytes
    good: tuple[str, ...]


@st.composite
def jsonl_inputs(draw: st.DrawFn) -> JsonlInput:
    lines, good = [], []
    for k in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 6))
        if kind == 0:  # a good record
            doc_id = f"good{k}"
            lines.append(_surrogate_safe_dumps({"id": doc_id, "text": f"{TEXT} {k}"}))
            good.append(doc_id)
        elif kind == 1:  # any field any JSON type, odd strings included
            value = st.one_of(
                odd_text, st.integers(), st.floats(), st.none(), st.booleans(), st.lists(st.none())
            )
            record = draw(
                st.dictionaries(
                    st.sampled_from(["id", "text", "html", "title", "url", "x"]), value, max_size=5
                )
            )
            lines.append(_surrogate_safe_dumps(record))
        elif kind == 2:  # html with hostile links
            href = draw(st.sampled_from(HOSTILE_URLS))
            html = f'<html><base href="{href}"><body><p>{TEXT}</p><a href="{href}">x</a></body>'
            url = draw(st.sampled_from(HOSTILE_URLS))
            lines.append(_surrogate_safe_dumps({"id": f"h{k}", "html": html, "url": url}))
        elif kind == 3:  # a cut line
            line = _surrogate_safe_dumps({"id": f"cut{k}", "text": TEXT})
            lines.append(line[: draw(st.integers(0, len(line)))])
        elif kind == 4:  # raw bytes
            lines.append(draw(st.binary(max_size=40)).decode("latin-1"))
        elif kind == 5:  # not an object
            lines.append(draw(st.sampled_from(["[]", "1", '"s"', "null", "{", "}", ""])))
        else:  # deep nesting
            depth = draw(st.integers(1, 5000))
            lines.append("[" * depth + "]" * depth)
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = data.replace(b"\n", b"\r\n")
    return JsonlInput(data, tuple(good))


def fuzz_jsonl_reader(value: JsonlInput) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "crawl.jsonl"
        path.write_bytes(value.data)
        log = SkipLog()
        ids = [_check_document(doc).id for doc in iter_documents([path], errors=log)]
    missing = set(value.good) - set(ids)
    assert not missing, f"good records lost: {sorted(missing)}"


def _check_document(doc: Document) -> Document:
    assert isinstance(doc.id, str) and isinstance(doc.text, str)
    doc.text.encode("utf-8")  # no lone surrogate reaches a document
    doc.id.encode("utf-8")
    return doc


def _warc(gz: bool) -> tuple[bytes, tuple[int, ...]]:
    """Return a WARC of 4 HTML responses and the end offset of each record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    ends = []
    for i in range(4):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><title>t{i}</title><body><p>{TEXT} {i}</p></body></html>".encode()
        writer.write_record(
            writer.create_warc_record(
                f"http://e.example/{i}", "response", payload=io.BytesIO(body), http_headers=http
            )
        )
        ends.append(buf.tell())
    return buf.getvalue(), tuple(ends)


@lru_cache(maxsize=2)
def warc_bytes(gz: bool) -> tuple[bytes, tuple[int, ...]]:
    return _warc(gz)


@dataclass(frozen=True)
class Mutation:
    """Edits applied to a byte string: (offset share, kind, byte) triples."""

    edits: tuple[tuple[float, int, int], ...]

    def apply(self, data: bytes) -> tuple[bytes, int]:
        """Return the edited bytes and the length of the prefix left intact."""
        out = bytearray(data)
        intact = len(data)
        for share, kind, byte in self.edits:
            at = min(int(share * len(out)), max(len(out) - 1, 0))
            intact = min(intact, at)  # every edit keeps the bytes before it
            if not out:
                out.append(byte)
            elif kind == 0:  # flip bits
                out[at] ^= byte or 1
            elif kind == 1:  # insert
                out[at:at] = bytes([byte]) * (1 + byte % 7)
            elif kind == 2:  # delete a run
                del out[at : at + 1 + byte % 64]
            else:  # cut the end
                del out[at:]
        return bytes(out), intact


mutations = st.builds(
    Mutation,
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), st.integers(0, 255)), min_size=1, max_size=6
    ).map(tuple),
)


@dataclass(frozen=True)
class WarcInput:
    """A damaged archive; ``good`` are the records wholly before the first edit."""

    name: str
    data: bytes
    good: tuple[str, ...]


@st.composite
def warc_inputs(draw: st.DrawFn) -> WarcInput:
    gz = draw(st.booleans())
    original, ends = warc_bytes(gz)
    data, intact = draw(mutations).apply(original)
    if draw(st.integers(0, 4)) == 0:  # a second gzip member after a damaged one
        data += gzip.compress(b"WARC/1.0\r\n")
    good = tuple(f"http://e.example/{i}" for i, end in enumerate(ends) if end <= intact)
    return WarcInput("x.warc.gz" if gz else "x.warc", data, good)


def fuzz_warc_reader(value: WarcInput) -> None:
    ids = {d.id for d in _read_file(value.name, value.data)}
    missing = set(value.good) - ids
    assert not missing, f"intact records lost: {sorted(missing)}"


def _read_file(name: str, data: bytes) -> list[Document]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return [_check_document(d) for d in iter_documents([path], errors=SkipLog())]


PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"<html>",
    b"<?xml ",
    b"\x00\x00",
    b"%PDF",
]


@st.composite
def file_inputs(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(["page.html", "page.htm", "note.txt", "x.txt.gz", "y.html.gz"]))
    body = draw(
        st.one_of(
            st.binary(max_size=300),
            odd_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.sampled_from(["utf-16", "cp1252", "latin-1"]).map(lambda e: TEXT.encode(e)),
        )
    )
    data = draw(st.sampled_from(PREFIXES)) + body
    if name.endswith(".gz") and draw(st.booleans()):
        data = gzip.compress(data, mtime=0)[: draw(st.integers(0, 400))]
    return name, data


def fuzz_file_reader(value: tuple[str, bytes]) -> None:
    _read_file(*value)


# -- HTML extraction ------------------------------------------------------------------------

TAGS = ["div", "p", "a", "base", "meta", "title", "h1", "script", "style", "table", "td", "li"]
ATTRS = ["href", "class", "id", "charset", "content", "property", "name", "hidden", "style"]


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 4 if depth < 4 else 1))
        if kind == 0:
            parts.append(draw(odd_text))
        elif kind == 1:
            parts.append(
                draw(st.sampled_from(["<", ">", "&#0;", "&#x110000;", "<!--", "]]>", "</"]))
            )
        elif kind == 2:  # a deep unclosed run
            tag = draw(st.sampled_from(["div", "span", "b"]))
            parts.append(f"<{tag}>" * draw(st.integers(1, 3000)))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.lists(st.sampled_from(ATTRS), max_size=3))
            values = [
                draw(st.sampled_from([*HOSTILE_URLS, "utf-8", "x-bogus", "og:title"]))
                for _ in attrs
            ]
            text = "".join(f' {a}="{v}"' for a, v in zip(attrs, values, strict=True))
            inner = draw(markup(depth + 1))
            close = f"</{tag}>" if draw(st.booleans()) else ""
            parts.append(f"<{tag}{text}>{inner}{close}")
    return "".join(parts)


@st.composite
def html_inputs(draw: st.DrawFn) -> tuple[str | bytes, str | None, str | None]:
    html: str | bytes = draw(markup())
    encoding = None
    if draw(st.booleans()):
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "x-bogus", "cp1252", "", "ascii"]))
        html = html.encode("utf-8", "surrogatepass")
    return html, draw(st.sampled_from([None, *HOSTILE_URLS])), encoding


def fuzz_html_extract(value: tuple[str | bytes, str | None, str | None]) -> None:
    html, url, encoding = value
    page = extract(html, url=url, encoding=encoding)
    assert isinstance(page.text, str)
    for link in page.links:
        assert isinstance(link.href, str)


# -- the index loader -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def index_template() -> tuple[bytes, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Return a small valid index file and its tables with their columns."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.db"
        with SpinIndex.open(path) as index:
            index.add([Document(f"d{k}", f"{TEXT} {' '.join(WORDS[k:])}") for k in range(6)])
        db = sqlite3.connect(path)
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = tuple(
            (t, tuple(r[1] for r in db.execute(f"PRAGMA table_info({t})"))) for t in names
        )
        db.close()
        return path.read_bytes(), tables


CELL_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.binary(max_size=40),
    st.sampled_from(["{", "[]", '{"num_perm": 1e308}', "null", "NaN", "-1", "1e999"]),
)


@st.composite
def index_inputs(draw: st.DrawFn) -> tuple[str, Any]:
    """Draw a rewritten cell or row (``sql``) or damaged bytes (``bytes``) of the template."""
    data, tables = index_template()
    if draw(st.booleans()):
        return "bytes", draw(mutations).apply(data)[0]
    table, columns = draw(st.sampled_from(tables))
    action = draw(st.sampled_from(["update", "delete", "drop"]))
    return "sql", (table, draw(st.sampled_from(columns)), action, draw(CELL_VALUES))


def fuzz_index_loader(value: tuple[str, Any]) -> None:
    kind, edit = value
    data, _ = index_template()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.db"
        if kind == "bytes":
            path.write_bytes(edit)
        else:
            path.write_bytes(data)
            table, column, action, cell = edit
            db = sqlite3.connect(path)
            try:
                if action == "update":
                    db.execute(f'UPDATE "{table}" SET "{column}" = ?', (cell,))
                elif action == "delete":
                    db.execute(f'DELETE FROM "{table}"')
                else:
                    db.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
                db.commit()
            except sqlite3.Error:
                pass  # a constraint refused the edit: the file is still worth opening
            finally:
                db.close()
        with SpinIndex.open(path, create=False) as index:  # refusals are typed errors
            index.info()
            list(index.ids())
            index.query([Document("new", TEXT)])
            index.add([Document("more", f"{TEXT} more words here")])


# -- compare --------------------------------------------------------------------------------


@st.composite
def compare_inputs(draw: st.DrawFn) -> tuple[str, str]:
    a = draw(st.one_of(odd_text, st.text(max_size=400), st.just(TEXT)))
    b = draw(
        st.one_of(
            odd_text,
            st.just(a),
            st.just(a[::-1]),
            st.just(a.upper()),
            st.just(a.replace(" ", "\u00a0")),
            st.just(a + " " + "\u202e".join(WORDS)),
            st.text(max_size=400),
        )
    )
    return a, b


def fuzz_compare(value: tuple[str, str]) -> None:
    a, b = value
    result = compare(a, b)
    assert all(0.0 <= s <= 1.0 for s in result.scores.values()), result.scores


# -- the targets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One fuzz target: its input strategy and the function that must not crash."""

    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], None]


TARGETS: dict[str, Target] = {
    "reader-jsonl": Target(jsonl_inputs(), fuzz_jsonl_reader),
    "reader-warc": Target(warc_inputs(), fuzz_warc_reader),
    "reader-html-text": Target(file_inputs(), fuzz_file_reader),
    "html-extract": Target(html_inputs(), fuzz_html_extract),
    "index-loader": Target(index_inputs(), fuzz_index_loader),
    "compare": Target(compare_inputs(), fuzz_compare),
}


def run_typed(target: Target, value: Any) -> None:
    """Run ``target`` on ``value``; the project's typed errors end it, anything else raises."""
    try:
        target.run(value)
    except SpinDetectError:
        pass


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz_target_never_crashes(name: str) -> None:
    if name == "reader-warc":
        pytest.importorskip("warcio")
    target = TARGETS[name]

    @FUZZ
    @given(target.strategy)
    def run(value: Any) -> None:
        run_typed(target, value)

    run()


def test_fuzz_harness_reports_a_crash() -> None:
    """A target that raises an untyped error fails: the harness can see a crash."""
    target = Target(st.integers(), lambda v: [][v])

    @settings(max_examples=5, deadline=None, database=None)
    @given(target.strategy)
    def run(value: Any) -> None:
        run_typed(target, value)

    with pytest.raises(IndexError):
        run()


def test_typed_errors_are_not_crashes() -> None:
    def refuse(value: Any) -> None:
        raise SpinDetectError(str(value))

    run_typed(Target(st.none(), refuse), None)


def test_extract_of_lone_surrogates_is_a_page_not_a_crash() -> None:
    """Found by the html-extract target: ``extract("\\ud800")`` raised UnicodeEncodeError."""
    page = extract("<p>a \ud800 b</p><a href='/x\udfff'>l</a>", url="http://e.example/\ud800/")
    assert page.text.startswith("a \ufffd b")
    assert [link.href for link in page.links] == ["http://e.example/x\ufffd"]
    page.text.encode("utf-8")
