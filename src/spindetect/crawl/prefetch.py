"""Reading ahead: the next batches of a stream are read in a thread while this one is fingerprinted.

Reading and parsing a crawl is Python work that holds the GIL; the fingerprint
and inspection kernels release it. :class:`Prefetch` runs the reading side in
one background thread and hands its items over through a bounded queue, so the
two overlap while memory stays bounded by ``depth`` items. Items arrive in the
order the stream yields them, so a run reads the same batches either way.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

__all__ = ["Prefetch"]

_T = TypeVar("_T")
_ITEM, _END, _ERROR = 0, 1, 2
_POLL_SECONDS = 0.1  # how often a blocked reader checks whether it was told to stop


class Prefetch(Generic[_T]):
    """Iterate over ``items`` read ahead in a background thread.

    Use as a context manager: leaving it (normally or on an error) tells the
    thread to stop after the item it is reading and waits for it, so the
    underlying stream is idle again (and can be closed) once the block ends.
    An exception raised while reading is raised again by the iteration.

    Parameters
    ----------
    items : iterable
        The stream; it is iterated in the background thread only.
    depth : int, default=2
        Items read ahead at most (the queue's size).
    """

    def __init__(self, items: Iterable[_T], *, depth: int = 2) -> None:
        self._items = items
        self._queue: queue.Queue[tuple[int, object]] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="spindetect-read", daemon=True)
        self._started = False

    def __enter__(self) -> Prefetch[_T]:
        self._thread.start()
        self._started = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._started:
            self._thread.join()

    def __iter__(self) -> Iterator[_T]:
        """Yield the items in order; raise what reading raised."""
        while True:
            kind, value = self._queue.get()
            if kind == _END:
                return
            if kind == _ERROR:
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]

    def _read(self) -> None:
        try:
            for item in self._items:
                if not self._put(_ITEM, item):
                    return
        except BaseException as exc:  # handed to the consuming thread, raised there
            self._put(_ERROR, exc)
            return
        self._put(_END, None)

    def _put(self, kind: int, value: object) -> bool:
        """Queue one message unless told to stop first; say whether it was queued."""
        while not self._stop.is_set():
            try:
                self._queue.put((kind, value), timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False
