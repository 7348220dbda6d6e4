"""Reading ahead in a thread: same items in order, errors raised, the stream left idle."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from spindetect.crawl.prefetch import Prefetch


def test_items_arrive_in_order_from_another_thread() -> None:
    threads = set()

    def items() -> Iterator[int]:
        for k in range(1000):
            threads.add(threading.get_ident())
            yield k

    with Prefetch(items(), depth=3) as ahead:
        assert list(ahead) == list(range(1000))
    assert threads and threading.get_ident() not in threads


def test_an_error_while_reading_is_raised_by_the_iteration() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"), Prefetch(items()) as ahead:
        got.extend(ahead)
    assert got == [1]


def test_leaving_early_stops_the_reader_and_leaves_the_stream_closable() -> None:
    read = []

    def items() -> Iterator[int]:
        for k in range(10_000):
            read.append(k)
            yield k

    stream = items()
    with pytest.raises(RuntimeError, match="stop"), Prefetch(stream, depth=2) as ahead:
        for k in ahead:
            if k == 5:
                raise RuntimeError("stop")
    assert len(read) < 20  # bounded read-ahead, then the thread stopped
    stream.close()  # not executing in the reader thread any more
    assert all(t.name != "spindetect-read" for t in threading.enumerate())
