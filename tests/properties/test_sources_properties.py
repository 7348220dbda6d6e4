"""Property tests of spindetect.sources: cut or damaged archives never raise or lose silently."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

N = 6
URIS = [f"http://e.example/{i}" for i in range(N)]
SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _archive(gz: bool) -> tuple[bytes, list[int]]:
    """Return an archive of N HTML responses and the end offset of each record."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    ends = []
    for i, uri in enumerate(URIS):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><body><p>Document number {i} has some words.</p></body></html>".encode()
        rec = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(rec)
        ends.append(buf.tell())
    return buf.getvalue(), ends


ARCHIVES = {gz: _archive(gz) for gz in (True, False)}


def _read(tmp_path: Path, gz: bool, data: bytes) -> tuple[list[str], SkipLog]:
    path = tmp_path / ("x.warc.gz" if gz else "x.warc")
    path.write_bytes(data)
    log = SkipLog()
    ids = [doc.id for doc in iter_documents([path], errors=log)]
    return ids, log


@SETTINGS
@given(gz=st.booleans(), fraction=st.floats(0.0, 1.0))
def test_cut_archive_yields_complete_records_and_counts_the_cut(
    tmp_path: Path, gz: bool, fraction: float
) -> None:
    full, ends = ARCHIVES[gz]
    cut = max(1, round(fraction * len(full)))
    ids, log = _read(tmp_path, gz, full[:cut])
    if gz:
        # Every whole gzip member comes out. A member cut in its last few bytes
        # (the 8-byte trailer, or the end of the deflate stream) may already hold
        # all of its data: that record may come out too; the cut is counted.
        whole = sum(1 for end in ends if cut >= end)
        assert ids in (URIS[:whole], URIS[: whole + 1])
        if len(ids) > whole:
            assert cut > ends[whole] - 16
        at_boundary = cut in ends
    else:
        # An uncompressed record is whole once its block is; its 4 closing bytes may go.
        complete = sum(1 for end in ends if cut >= end - 4)
        assert ids == URIS[:complete]
        at_boundary = any(end - 4 <= cut <= end for end in ends)
    assert log.skipped == (0 if at_boundary else 1)
    assert log.counts in ({}, {"corrupt": 1})


@SETTINGS
@given(
    gz=st.booleans(),
    where=st.floats(0.0, 1.0),
    garbage=st.binary(min_size=1, max_size=30),
)
def test_damaged_archive_never_raises_and_loses_nothing_silently(
    tmp_path: Path, gz: bool, where: float, garbage: bytes
) -> None:
    full, _ = ARCHIVES[gz]
    data = bytearray(full)
    pos = int(where * (len(data) - 1))
    data[pos : pos + len(garbage)] = garbage
    ids, log = _read(tmp_path, gz, bytes(data))
    assert len(ids) == len(set(ids))
    # Every record either came out, or something was counted: a skip, or a record
    # passed over on purpose because the damage changed its status or type.
    assert len(ids) == N or log.skipped > 0 or sum(log.ignored.values()) > 0
