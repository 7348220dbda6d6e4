"""Tests for spindetect.sources: dispatch, ids, and counting of every kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
import logging
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.sources import pool, reader
from spindetect.sources.document import Document
from spindetect.sources.iterate import estimate_size, iter_documents
from spindetect.sources.skips import SKIP_CATEGORIES, SkipLog

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

PAGE = (
    "<html><head><title>Page {i}</title></head><body>"
    '<nav><a href="/">Home</a></nav>'
    "<article><h1>Heading {i}</h1><p>Paragraph number {i} says something useful about "
    'gardens, with a <a href="/link{i}">keyword link</a> inside the sentence.</p></article>'
    "</body></html>"
)


def write_warc(
    path: Path,
    n: int = 10,
    *,
    gz: bool = True,
    extra: list[tuple[str, str, bytes, str | None, list[tuple[str, str]] | None]] = (),
) -> list[str]:
    """Write ``n`` HTML response records (+ ``extra`` records); return the target URIs."""
    uris = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i in range(n):
            uri = f"http://example.com/{i}"
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            payload = io.BytesIO(PAGE.format(i=i).encode())
            rec = writer.create_warc_record(uri, "response", payload=payload, http_headers=http)
            writer.write_record(rec)
            uris.append(uri)
        for uri, rtype, body, ctype, http_headers in extra:
            http = None
            if http_headers is not None:
                status = dict(http_headers).pop(":status", "200 OK")
                headers = [(k, v) for k, v in http_headers if k != ":status"]
                http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                uri,
                rtype,
                payload=io.BytesIO(body),
                http_headers=http,
                warc_content_type=ctype,
            )
            writer.write_record(rec)
    return uris


def read(paths, **kwargs) -> tuple[list[Document], SkipLog]:
    log = SkipLog()
    docs = list(iter_documents([str(p) for p in paths], errors=log, **kwargs))
    return docs, log


def record_offsets(path: Path) -> list[int]:
    from fastwarc.warc import ArchiveIterator

    return [r.stream_pos for r in ArchiveIterator(str(path), parse_http=False)]


# -- plain files and directories -----------------------------------------------------------


def test_single_text_file_id_is_file_name(tmp_path: Path) -> None:
    f = tmp_path / "sub" / "a.txt"
    f.parent.mkdir()
    f.write_text("Hello there, world.", encoding="utf-8")
    docs, log = read([f])
    assert docs == [Document("a.txt", "Hello there, world.", source=str(f))]
    assert log.skipped == 0 and log.documents == 1


def test_directory_walk_sorted_with_relative_posix_ids(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c").mkdir()
    (tmp_path / "b" / "c" / "deep.md").write_text("deep text", encoding="utf-8")
    (tmp_path / "b" / "a.text").write_text("b a text", encoding="utf-8")
    (tmp_path / "a.txt").write_text("top text", encoding="utf-8")
    (tmp_path / "z.html").write_text(PAGE.format(i=7), encoding="utf-8")
    docs, log = read([tmp_path])
    assert [d.id for d in docs] == ["a.txt", "b/a.text", "b/c/deep.md", "z.html"]
    assert docs[2].text == "deep text"
    assert docs[2].source == str(tmp_path / "b" / "c" / "deep.md")
    assert log.skipped == 0


def test_directory_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("text", encoding="utf-8")
    try:
        (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not available")
    docs, log = read([root])
    assert [d.id for d in docs] == ["sub/a.txt"]
    assert log.skipped == 0


def test_html_file_goes_through_extraction(tmp_path: Path) -> None:
    f = tmp_path / "p.htm"
    f.write_text(PAGE.format(i=3), encoding="utf-8")
    (doc,), _ = read([f])
    assert doc.title == "Page 3"
    assert "Paragraph number 3" in doc.text and "Home" not in doc.text
    assert {(link.href, link.region) for link in doc.links} == {
        ("/", "boilerplate"),
        ("/link3", "content"),
    }


def test_html_extract_false_keeps_source(tmp_path: Path) -> None:
    f = tmp_path / "p.html"
    f.write_text(PAGE.format(i=3), encoding="utf-8")
    (doc,), _ = read([f], html_extract=False)
    assert doc.text == PAGE.format(i=3)
    assert doc.links == () and doc.title is None


def test_unknown_extension_read_as_text_or_sniffed_html(tmp_path: Path) -> None:
    (tmp_path / "notes.log").write_text("plain words in a log", encoding="utf-8")
    (tmp_path / "page.php").write_text("<!DOCTYPE html>" + PAGE.format(i=1), encoding="utf-8")
    docs, log = read([tmp_path])
    assert docs[0].text == "plain words in a log"
    assert docs[1].title == "Page 1"
    assert log.skipped == 0


def test_zero_byte_file_is_counted_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("some text", encoding="utf-8")
    docs, log = read([tmp_path])
    assert [d.id for d in docs] == ["ok.txt"]
    assert log.counts == {"empty": 1}
    assert log.records[0].source == str(tmp_path / "empty.txt")


def test_binary_file_in_directory_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "ok.txt").write_text("some text", encoding="utf-8")
    docs, log = read([tmp_path])
    assert [d.id for d in docs] == ["ok.txt"]
    assert log.counts == {"binary": 2}


def test_undecodable_text_file(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    docs, log = read([tmp_path])
    assert docs == []
    assert log.counts == {"decode": 1}
    assert "latin.txt" in log.records[0].source


def test_missing_path_is_counted_and_others_still_read(tmp_path: Path) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("text", encoding="utf-8")
    docs, log = read([tmp_path / "nope.txt", ok, tmp_path / "nodir"])
    assert [d.id for d in docs] == ["ok.txt"]
    assert log.counts == {"missing": 2}


def test_too_large_file(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 200, encoding="utf-8")
    (tmp_path / "small.txt").write_text("x" * 20, encoding="utf-8")
    docs, log = read([tmp_path], max_bytes=100)
    assert [d.id for d in docs] == ["small.txt"]
    assert log.counts == {"too-large": 1}


def test_html_without_text_is_no_text(tmp_path: Path) -> None:
    (tmp_path / "blank.html").write_text("<html><body><div></div></body></html>")
    docs, log = read([tmp_path])
    assert docs == [] and log.counts == {"no-text": 1}


def test_duplicate_ids_are_kept_with_suffix(tmp_path: Path) -> None:
    for d in ("x", "y", "z"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "same.txt").write_text(f"text in {d}", encoding="utf-8")
    files = [tmp_path / d / "same.txt" for d in ("x", "y", "z")]
    docs, log = read(files)
    assert [d.id for d in docs] == ["same.txt", "same.txt#2", "same.txt#3"]
    assert [d.text for d in docs] == ["text in x", "text in y", "text in z"]
    assert log.duplicates == 2 and log.skipped == 0
    assert log.counts == {"duplicate-id": 2}


def test_duplicate_suffix_skips_taken_ids(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    rows = [{"id": "a", "text": "1"}, {"id": "a#2", "text": "2"}, {"id": "a", "text": "3"}]
    f.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    docs, _ = read([f])
    assert [d.id for d in docs] == ["a", "a#2", "a#3"]


def test_one_path_string_is_not_iterated_per_character(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("text", encoding="utf-8")
    log = SkipLog()
    assert [d.id for d in iter_documents(str(f), errors=log)] == ["a.txt"]


def test_iteration_is_lazy(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"doc {i}", encoding="utf-8")
    it = iter_documents([tmp_path], errors=SkipLog())
    assert next(it).id == "0.txt"
    (tmp_path / "2.txt").unlink()  # removed after iteration began: counted, not fatal
    assert [d.id for d in it] == ["1.txt"]


def test_without_log_skips_are_logged_as_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="spindetect.sources"):
        docs = list(iter_documents([tmp_path / "missing.txt"]))
    assert docs == []
    assert "missing.txt" in caplog.text and "missing" in caplog.text


def test_bad_max_bytes() -> None:
    with pytest.raises(InvalidParameterError, match="max_bytes"):
        list(iter_documents([], max_bytes=0))


# -- JSONL ---------------------------------------------------------------------------------


def test_jsonl_fields_and_missing_id(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    rows = [
        {"id": "a", "text": "alpha text", "title": "A", "url": "http://a.example/"},
        {"text": "no id here"},
        {"id": 7, "text": "numeric id"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs, log = read([f])
    assert docs[0] == Document("a", "alpha text", "A", "http://a.example/", (), str(f))
    assert docs[1].id == "docs.jsonl:2"
    assert docs[2].id == "7"
    assert log.skipped == 0


def test_jsonl_in_directory_missing_id_uses_relative_path(tmp_path: Path) -> None:
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "x.jsonl").write_text('{"text": "t"}\n', encoding="utf-8")
    docs, _ = read([tmp_path])
    assert docs[0].id == "part/x.jsonl:1"


def test_jsonl_html_field_is_extracted(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text(
        json.dumps({"id": "h", "html": PAGE.format(i=5), "url": "https://s.example/p/"}) + "\n",
        encoding="utf-8",
    )
    (doc,), _ = read([f])
    assert doc.title == "Page 5" and "Paragraph number 5" in doc.text
    assert "https://s.example/link5" in {link.href for link in doc.links}


def test_malformed_jsonl_lines_are_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    lines = [
        json.dumps({"id": "1", "text": "first"}),
        '{"id": "2", "text": "unterminated',
        "",  # blank line: not a record
        "[1, 2, 3]",
        json.dumps({"id": "3", "text": 42}),
        json.dumps({"id": ["x"], "text": "bad id"}),
        json.dumps({"id": "4"}),
        json.dumps({"id": "5", "text": "   "}),
        json.dumps({"id": "6", "text": "last"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, log = read([f])
    assert [d.id for d in docs] == ["1", "6"]
    assert log.counts == {"empty": 1, "malformed-json": 4, "no-text": 1}
    wheres = [r.where for r in log.records]
    assert wheres[0] == "line 2" and "line 4" in wheres


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_bytes(b'{"id": "1", "text": "caf\xe9"}\n{"id": "2", "text": "ok"}\n')
    docs, log = read([f])
    assert [d.id for d in docs] == ["2"] and log.counts == {"decode": 1}


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    rows = "".join(json.dumps({"id": str(i), "text": f"row {i} " * 50}) + "\n" for i in range(200))
    whole = gzip.compress(rows.encode())
    (tmp_path / "a.jsonl.gz").write_bytes(whole)
    (tmp_path / "b.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    docs_a, log_a = read([tmp_path / "a.jsonl.gz"])
    assert len(docs_a) == 200 and log_a.skipped == 0
    docs_b, log_b = read([tmp_path / "b.jsonl.gz"])
    assert 0 < len(docs_b) < 200
    assert [d.id for d in docs_b] == [str(i) for i in range(len(docs_b))]
    assert log_b.counts == {"corrupt": 1}


def test_jsonl_line_over_limit(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    rows = [{"id": "1", "text": "x" * 500}, {"id": "2", "text": "short"}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs, log = read([f], max_bytes=100)
    assert [d.id for d in docs] == ["2"] and log.counts == {"too-large": 1}


# -- WARC / WET ----------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
def test_warc_response_records(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("c.warc.gz" if gz else "c.warc")
    uris = write_warc(path, 5, gz=gz)
    docs, log = read([path])
    assert [d.id for d in docs] == uris
    assert docs[2].url == uris[2] and docs[2].title == "Page 2"
    assert docs[2].source == str(path)
    assert "Paragraph number 2" in docs[2].text and "Home" not in docs[2].text
    link = next(link for link in docs[2].links if link.region == "content")
    assert link.href == "http://example.com/link2"  # resolved against the target URI
    assert log.skipped == 0
    assert log.ignored == {"warcinfo": 1}


def test_wet_conversion_and_resource_records(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.wet.gz"
    extra = [
        ("http://t.example/1", "conversion", b"Converted plain text one.", "text/plain", None),
        ("http://t.example/2", "resource", b"A plain resource.", "text/plain", None),
        ("http://t.example/3", "resource", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", None),
        ("http://t.example/4", "resource", PAGE.format(i=9).encode(), "text/html", None),
    ]
    write_warc(path, 0, extra=extra)
    docs, log = read([path])
    assert [(d.id, d.text) for d in docs[:2]] == [
        ("http://t.example/1", "Converted plain text one."),
        ("http://t.example/2", "A plain resource."),
    ]
    assert docs[2].id == "http://t.example/4" and docs[2].title == "Page 9"
    assert log.skipped == 0
    assert log.ignored == {"warcinfo": 1, "resource image/png": 1}


def test_warc_http_cases(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    text_plain = [(":status", "200 OK"), ("Content-Type", "text/plain; charset=utf-8")]
    gz_html = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    extra = [
        ("http://h.example/404", "response", b"<p>not found</p>", None,
         [(":status", "404 Not Found"), ("Content-Type", "text/html")]),
        ("http://h.example/img", "response", b"\xff\xd8\xff\xe0", None,
         [("Content-Type", "image/jpeg")]),
        ("http://h.example/txt", "response", b"Plain text body.", None, text_plain),
        ("http://h.example/gz", "response", gzip.compress(PAGE.format(i=4).encode()), None,
         gz_html),
        ("http://h.example/req", "request", b"", None, [(":status", "GET / HTTP/1.1")]),
    ]  # fmt: skip
    write_warc(path, 0, extra=extra)
    docs, log = read([path])
    assert [d.id for d in docs] == ["http://h.example/txt", "http://h.example/gz"]
    assert docs[0].text == "Plain text body."
    assert docs[1].title == "Page 4"  # Content-Encoding undone
    assert log.skipped == 0
    assert log.ignored == {
        "warcinfo": 1,
        "HTTP 4xx": 1,
        "response image/jpeg": 1,
        "request": 1,
    }


def test_truncated_warc_gz_yields_complete_records_and_counts_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    uris = write_warc(path, 10)
    offsets = record_offsets(path)  # warcinfo + 10 responses
    data = path.read_bytes()
    cut = offsets[8] - 40  # inside the 7th response's gzip member
    path.write_bytes(data[:cut])
    docs, log = read([path])
    assert [d.id for d in docs] == uris[:6]
    assert log.counts == {"corrupt": 1}
    assert "truncated" in log.records[0].reason


def test_truncated_warc_gz_just_after_member_header(tmp_path: Path) -> None:
    # The cut leaves too little of the last member for fastwarc to see a record at all.
    path = tmp_path / "c.warc.gz"
    uris = write_warc(path, 10)
    offsets = record_offsets(path)
    path.write_bytes(path.read_bytes()[: offsets[9] + 12])
    docs, log = read([path])
    assert [d.id for d in docs] == uris[:8]
    assert log.counts == {"corrupt": 1}


def test_truncated_uncompressed_warc(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    uris = write_warc(path, 10, gz=False)
    offsets = record_offsets(path)
    data = path.read_bytes()
    http_start = data.index(b"HTTP/1.1 200", offsets[5])
    html_start = data.index(b"<html>", offsets[5])
    for cut in (offsets[5] + 40, http_start + 20, html_start + 50, offsets[6] - 20):
        path.write_bytes(data[:cut])
        docs, log = read([path])
        assert [d.id for d in docs] == uris[:4], cut
        assert log.counts == {"corrupt": 1}, cut


def test_corrupt_gzip_member_mid_file(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    uris = write_warc(path, 10)
    offsets = record_offsets(path)
    data = bytearray(path.read_bytes())
    mid = (offsets[5] + offsets[6]) // 2  # inside the 5th response's member
    data[mid : mid + 30] = b"\x00" * 30
    path.write_bytes(bytes(data))
    good = tmp_path / "good.txt"
    good.write_text("after the bad archive", encoding="utf-8")
    docs, log = read([path, good])
    # one member per record: reading resumes at the next member, only the damaged one lost
    assert [d.id for d in docs] == [*uris[:4], *uris[5:], "good.txt"]
    assert log.counts == {"corrupt": 1}
    assert log.records[0].source == str(path)


def test_corrupt_warc_header_mid_file(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    uris = write_warc(path, 6, gz=False)
    offsets = record_offsets(path)
    data = path.read_bytes()
    # Garble the WARC-Type of the 3rd response: counted, and reading goes on.
    start = data.index(b"WARC-Type: response", offsets[3])
    data = data[:start] + b"WARC-Type: rXsponse" + data[start + 19 :]
    path.write_bytes(data)
    docs, log = read([path])
    assert [d.id for d in docs] == [u for i, u in enumerate(uris) if i != 2]
    assert log.counts == {"corrupt": 1}


def test_not_a_warc(tmp_path: Path) -> None:
    (tmp_path / "x.warc").write_text("this is not an archive at all\n" * 5)
    (tmp_path / "y.warc.gz").write_bytes(gzip.compress(b"nor is this\n" * 5))
    docs, log = read([tmp_path])
    assert docs == [] and log.counts == {"corrupt": 2}


def test_warc_record_over_limit(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    big = ("http://b.example/", "resource", b"word " * 400, "text/plain", None)
    write_warc(path, 2, extra=[big])
    docs, log = read([path], max_bytes=1000)
    assert len(docs) == 2 and log.counts == {"too-large": 1}


def test_warc_inside_directory_and_duplicate_uris(tmp_path: Path) -> None:
    write_warc(tmp_path / "a.warc.gz", 2)
    write_warc(tmp_path / "b.warc.gz", 2)
    docs, log = read([tmp_path])
    assert [d.id for d in docs] == [
        "http://example.com/0",
        "http://example.com/1",
        "http://example.com/0#2",
        "http://example.com/1#2",
    ]
    assert log.duplicates == 2


# -- SkipLog -------------------------------------------------------------------------------


def test_skiplog_summary_and_dict(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "b.bin").write_bytes(b"\x00" * 10)
    (tmp_path / "ok.txt").write_text("fine", encoding="utf-8")
    docs, log = read([tmp_path, tmp_path / "gone"])
    assert [d.id for d in docs] == ["ok.txt"]
    lines = log.summary()
    assert lines[0] == "read 1 document"
    assert lines[1] == "skipped 3: 1 missing, 1 empty, 1 binary"
    assert any("gone" in line and "missing" in line for line in lines)
    d = json.loads(json.dumps(log.to_dict()))
    assert d["documents"] == 1 and d["skipped"] == 3
    assert d["counts"] == {"missing": 1, "empty": 1, "binary": 1}
    assert {r["category"] for r in d["records"]} == {"missing", "empty", "binary"}
    assert d["records_truncated"] is False


def test_skiplog_keeps_a_bounded_list() -> None:
    log = SkipLog(max_records=3)
    for i in range(10):
        log.add("corrupt", f"f{i}", "bad")
    assert log.skipped == 10 and len(log.records) == 3
    assert log.to_dict()["records_truncated"] is True
    assert log.summary()[-1] == "  ... and 7 more"
    assert str(log.records[0]) == "f0: corrupt: bad"


def test_skip_categories_are_the_documented_ones() -> None:
    assert set(SKIP_CATEGORIES) >= {
        "missing", "empty", "binary", "decode", "too-large", "corrupt", "malformed-json",
        "no-text",
    }  # fmt: skip


# -- estimate_size -------------------------------------------------------------------------


def test_estimate_size(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_bytes(b"x" * 100)
    (tmp_path / "d" / "b.txt").write_bytes(b"x" * 50)
    (tmp_path / "c.txt").write_bytes(b"x" * 7)
    assert estimate_size([tmp_path / "d", tmp_path / "c.txt", tmp_path / "missing"]) == 157


# -- reading in a pool of processes (processes > 1) ------------------------------------------


def reader_processes() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "spindetect-reader"]


@pytest.fixture()
def small_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the pool whatever the input size, one file per task, 3 items per chunk."""
    monkeypatch.setattr(pool, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "_GROUP_FILES", 2)
    monkeypatch.setattr(pool, "_CHUNK_ITEMS", 3)


def mixed_crawl(root: Path) -> list[Path]:
    """Fill a directory with every kind of input, good and bad; return the paths to read."""
    (root / "sub").mkdir(parents=True)
    write_warc(root / "a.warc.gz", 8)
    write_warc(root / "sub" / "b.warc.gz", 5)  # same URIs again: renamed in order
    write_warc(root / "plain.warc", 4, gz=False)
    cut = root / "cut.warc.gz"
    write_warc(cut, 6)
    cut.write_bytes(cut.read_bytes()[:-60])
    (root / "a.txt").write_text("Plain text document number one.", encoding="utf-8")
    (root / "sub" / "page.html").write_text(PAGE.format(i=99), encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (root / "latin.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    rows = [
        json.dumps({"id": "a.txt", "text": "an id the text file already took"}),
        "{not json",
        json.dumps({"text": "no id: named by line"}),
        json.dumps({"id": "h", "html": PAGE.format(i=5)}),
        json.dumps({"id": 7, "title": "no text"}),
    ]
    (root / "sub" / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [root, root / "missing.txt", root / "a.txt", root / "sub" / "page.html"]


def test_processes_give_the_same_documents_and_log_as_one(tmp_path: Path, small_pool: None) -> None:
    paths = mixed_crawl(tmp_path / "crawl")
    docs_1, log_1 = read(paths)
    log = SkipLog()
    it = iter_documents([str(p) for p in paths], errors=log, processes=2)
    first = next(it)
    assert len(reader_processes()) == 2  # really read by the pool
    docs_2 = [first, *it]
    assert docs_2 == docs_1
    assert log.to_dict() == log_1.to_dict()
    assert log.summary() == log_1.summary()
    # the crawl holds what the test claims to cover
    assert set(log_1.counts) == {
        "missing",
        "empty",
        "binary",
        "decode",
        "corrupt",
        "malformed-json",
        "no-text",
        "duplicate-id",
    }
    assert log_1.ignored["warcinfo"] == 4
    assert len(docs_1) == 8 + 5 + 4 + 5 + 1 + 1 + 3 + 1 + 1  # last two given again
    assert reader_processes() == []  # ended with the iteration


def test_processes_none_and_three_match_too(tmp_path: Path, small_pool: None) -> None:
    paths = mixed_crawl(tmp_path / "crawl")
    docs_1, log_1 = read(paths)
    for processes in (None, 3):
        docs, log = read(paths, processes=processes)
        assert docs == docs_1 and log.to_dict() == log_1.to_dict()


def test_workers_is_the_former_name_of_processes(tmp_path: Path, small_pool: None) -> None:
    paths = mixed_crawl(tmp_path / "crawl")
    docs_1, log_1 = read(paths)
    for workers in (None, 2):  # None is a value here (all cores), not "not given"
        with pytest.warns(DeprecationWarning, match="workers= is now called processes="):
            docs, log = read(paths, workers=workers)
        assert docs == docs_1 and log.to_dict() == log_1.to_dict()
    with pytest.raises(InvalidParameterError, match="processes=3 and workers=2"):
        read(paths, processes=3, workers=2)


def test_processes_skips_reach_a_log_free_run_as_warnings(
    tmp_path: Path, small_pool: None, caplog: pytest.LogCaptureFixture
) -> None:
    write_warc(tmp_path / "a.warc.gz", 3)
    (tmp_path / "b.txt").write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="spindetect.sources"):
        docs = list(iter_documents([tmp_path], processes=2))
    assert len(docs) == 3
    assert "b.txt" in caplog.text and "empty" in caplog.text


def test_small_input_is_read_in_process(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"doc {i}", encoding="utf-8")
    it = iter_documents([tmp_path], errors=SkipLog(), processes=2)
    assert next(it).id == "0.txt"
    assert reader_processes() == []
    assert [d.id for d in it] == ["1.txt", "2.txt"]


def test_closing_early_ends_the_reader_processes(tmp_path: Path, small_pool: None) -> None:
    for name in "abcd":
        write_warc(tmp_path / f"{name}.warc.gz", 20)
    it = iter_documents([tmp_path], errors=SkipLog(), processes=2)
    assert next(it).id == "http://example.com/0"
    assert reader_processes()
    it.close()
    assert reader_processes() == []


def test_reader_process_death_costs_only_the_files_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "_GROUP_FILES", 1)
    monkeypatch.setattr(pool, "_CHUNK_ITEMS", 2)
    body = " ".join(f"word{i}" for i in range(1200))  # ~10 KB a page: far over a pipe's buffer
    extra = [
        (
            f"http://example.com/long{i}",
            "response",
            f"<p>{i} {body}</p>".encode(),
            None,
            [("Content-Type", "text/html")],
        )
        for i in range(60)
    ]
    for name in ("w0", "w1", "w2", "w3"):
        write_warc(tmp_path / f"{name}.warc.gz", 0, extra=extra)
    serial, _ = read([tmp_path])
    by_source = {
        name: [d for d in serial if Path(d.source).stem.startswith(name)]
        for name in ("w0", "w1", "w2", "w3")
    }
    log = SkipLog()
    it = iter_documents([tmp_path], errors=log, processes=2)
    docs = [next(it)]
    for process in reader_processes():  # w0 and w1 are being read, blocked on full pipes
        os.kill(process.pid, signal.SIGKILL)
    docs.extend(it)
    assert log.counts == {"unreadable": 2, "duplicate-id": log.duplicates}
    died = [r for r in log.records if r.category == "unreadable"]
    assert [Path(r.source).name for r in died] == ["w0.warc.gz", "w1.warc.gz"]
    assert all("reader process died" in r.reason for r in died)
    got = {name: [d for d in docs if Path(d.source).stem.startswith(name)] for name in by_source}
    for name in ("w0", "w1"):  # what was read before the crash, in order
        n = len(got[name])
        assert 0 < n < 60 if name == "w0" else n < 60
        assert [d.text for d in got[name]] == [d.text for d in by_source[name][:n]]
    assert [d.text for d in got["w2"]] == [d.text for d in by_source["w2"]]
    assert [d.text for d in got["w3"]] == [d.text for d in by_source["w3"]]
    assert reader_processes() == []


def test_reader_error_is_a_skip_of_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.html").write_text(PAGE.format(i=1), encoding="utf-8")
    (tmp_path / "b.txt").write_text("still read", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("parser bug")

    monkeypatch.setattr(reader, "extract", broken)
    docs, log = read([tmp_path])
    assert [d.id for d in docs] == ["b.txt"]
    assert log.counts == {"unreadable": 1}
    record = log.records[0]
    assert record.source == str(tmp_path / "a.html")
    assert "ValueError: parser bug" in record.reason


@pytest.mark.parametrize("processes", [0, -1, 1.5, "2"])
def test_bad_processes(processes: object) -> None:
    with pytest.raises(InvalidParameterError, match="processes must be an integer"):
        list(iter_documents([], processes=processes))  # type: ignore[arg-type]


def test_reading_falls_back_in_process_when_no_process_can_start(
    tmp_path: Path,
    small_pool: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    paths = mixed_crawl(tmp_path / "crawl")
    docs_1, log_1 = read(paths)

    class NoProcesses:
        def Queue(self) -> None:
            raise OSError(38, "Function not implemented")

    monkeypatch.setattr(pool, "_context", NoProcesses)
    with caplog.at_level(logging.WARNING, logger="spindetect.sources"):
        docs, log = read(paths, processes=2)
    assert docs == docs_1 and log.to_dict() == log_1.to_dict()
    assert "cannot start reader processes" in caplog.text
    assert "Function not implemented" in caplog.text
