"""Hostile inputs that used to lose good records (issue 13): gzip damage, surrogates, walks."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from spindetect.cli.program import main
from spindetect.exceptions import InvalidParameterError
from spindetect.sources import paths
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog


def warc_record(i: int) -> bytes:
    body = f"<html><body><p>Page {i} tells its own story number {i}.</p></body></html>".encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://ex.org/{i}\r\n"
        f"WARC-Record-ID: <urn:uuid:{i:08d}-0000-0000-0000-000000000000>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def read(sources: list[Path], **kwargs: object) -> tuple[list[str], SkipLog]:
    log = SkipLog()
    ids = [d.id for d in iter_documents(sources, errors=log, **kwargs)]  # type: ignore[arg-type]
    return ids, log


@pytest.mark.parametrize("damaged", [0, 40, 99])
@pytest.mark.parametrize("how", ["middle", "header", "trailer"])
def test_one_damaged_gzip_member_costs_one_record(tmp_path: Path, damaged: int, how: str) -> None:
    members = [bytearray(gzip.compress(warc_record(i))) for i in range(100)]
    member = members[damaged]
    if how == "middle":
        member[len(member) // 2 : len(member) // 2 + 2] = b"\xff\xff"
    elif how == "header":
        member[0:3] = b"xyz"
    else:
        member[-6] ^= 0xFF  # the CRC
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(members))
    ids, log = read([path])
    assert ids == [f"http://ex.org/{i}" for i in range(100) if i != damaged]
    assert log.counts == {"corrupt": 1}


def test_garbage_inside_a_plain_warc_costs_one_record(tmp_path: Path) -> None:
    records = [warc_record(i) for i in range(20)]
    records[7] = b"GARBAGE" * 10 + records[7][40:]
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(records))
    ids, log = read([path])
    assert ids == [f"http://ex.org/{i}" for i in range(20) if i != 7]
    assert log.counts == {"corrupt": 1}


def test_lone_surrogates_in_jsonl_do_not_stop_the_file(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"d{i}", "text": f"text number {i}"}) for i in range(5)]
    lines[1] = '{"id": "h", "html": "<p>a \\ud800 b</p>", "title": "t\\udfff"}'
    lines[2] = '{"id": "x\\ud800", "text": "lone \\udc00 low"}'
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = SkipLog()
    docs = list(iter_documents([path], errors=log))
    assert [d.id for d in docs] == ["d0", "h", "x\ufffd", "d3", "d4"]
    assert docs[1].text == "a \ufffd b" and docs[1].title == "t\ufffd"
    assert docs[2].text == "lone \ufffd low"
    assert not log
    for doc in docs:
        doc.text.encode("utf-8")  # encodable everywhere downstream


def make_tree(root: Path) -> None:
    for sub in ("a", "b", "c"):
        (root / sub).mkdir(parents=True)
        (root / sub / "doc.txt").write_text(f"the text of {sub}", encoding="utf-8")
    (root / "b" / "truth.xml").write_text("<truth/>", encoding="utf-8")


def test_an_unreadable_subdirectory_is_skipped_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path)
    real = os.scandir

    def refusing(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "b":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(paths.os, "scandir", refusing)
    ids, log = read([tmp_path])
    assert ids == ["a/doc.txt", "c/doc.txt"]
    assert log.counts == {"unreadable": 1}
    assert log.records[0].source == str(tmp_path / "b")


def test_a_chmod_000_subdirectory_is_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path)
    locked = tmp_path / "b"
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        ids, log = read([tmp_path])
    finally:
        locked.chmod(0o755)
    assert ids == ["a/doc.txt", "c/doc.txt"]
    assert log.counts == {"unreadable": 1}


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert read([tmp_path], include="*.txt")[0] == ["a/doc.txt", "b/doc.txt", "c/doc.txt"]
    assert read([tmp_path], exclude=["*.xml", "c"])[0] == ["a/doc.txt", "b/doc.txt"]
    assert read([tmp_path], include=["b/*"], exclude="*.xml")[0] == ["b/doc.txt"]
    with pytest.raises(InvalidParameterError, match="include"):
        read([tmp_path], include=[5])


def test_scan_cli_include_exclude_and_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "crawl"
    make_tree(root)
    (root / "a" / "latin.txt").write_bytes("Un café très élégant à côté.".encode("cp1252"))
    out = tmp_path / "out.jsonl"
    argv = ["scan", str(root), "--quiet", "-o", str(out), "--exclude", "*.xml"]
    assert main([*argv, "--encoding", "cp1252", "--include", "*.txt"]) in (0, 1)
    summary = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])
    assert summary["documents"] == 4 and summary["skipped"]["skipped"] == 0
    assert main(argv) in (0, 1)
    summary = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])
    assert summary["documents"] == 3 and summary["skipped"]["counts"] == {"decode": 1}
    capsys.readouterr()


def test_encoding_is_validated(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="encoding"):
        read([tmp_path], encoding="no-such-codec")
