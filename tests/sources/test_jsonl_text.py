"""One JSONL line parsed as stdlib json parses it (orjson when installed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spindetect.sources import jsonl_text
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog

LINES = [
    b'{"id": 1, "text": "plain"}',
    b'{"id": 123456789012345678901234567890, "text": "big id"}',
    b'{"id": -99999999999999999999999, "text": "big negative id"}',
    b'{"id": 1.5, "text": "float id"}',
    b'{"text": "\\ud800 lone surrogate"}',
    b'{"text": "nan", "score": NaN}',
    b'{"text": "inf", "score": 1e400}',
    '{"text": "encoded surrogate \udcff"}'.encode("utf-8", "surrogateescape"),
    b'\xef\xbb\xbf{"text": "bom"}',
    b'{"a": 1, "a": 2}',
    b"123456789012345678901234567890",
    b"[1.5, 2]",
    b'"just a string"',
    b'  {"text": "spaces"}  \n',
]


def _parse(fn: object, line: bytes) -> object:
    try:
        return ("ok", fn(line))  # type: ignore[operator]
    except (ValueError, UnicodeDecodeError) as exc:
        return ("error", type(exc).__name__, str(exc))


@pytest.mark.parametrize("line", LINES)
def test_loads_gives_what_stdlib_json_gives(line: bytes) -> None:
    got, want = _parse(jsonl_text.loads, line), _parse(json.loads, line)
    assert repr(got) == repr(want)  # repr: nan != nan, and int 1 == float 1.0


@pytest.mark.parametrize("line", [b"{not json}", b'{"text": "cut', b"\xff\xfe"])
def test_loads_errors_are_stdlib_errors(line: bytes) -> None:
    with pytest.raises(ValueError) as got:
        jsonl_text.loads(line)
    with pytest.raises(ValueError) as want:
        json.loads(line)
    assert str(got.value) == str(want.value)


def test_reader_keeps_an_integer_id_past_64_bits(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": 123456789012345678901234567890, "text": "a text"}\n')
    (doc,) = iter_documents([path], errors=SkipLog())
    assert doc.id == "123456789012345678901234567890"


def test_record_text_refuses_a_line_without_text() -> None:
    assert jsonl_text.record_text(b'{"text": "x\\ud800"}') == "x\ufffd"
    with pytest.raises(ValueError, match="no longer holds"):
        jsonl_text.record_text(b'{"html": "<p>x</p>"}')
