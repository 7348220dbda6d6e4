"""Reading files in a pool of reader processes, the documents put back in input order."""

from __future__ import annotations

import collections
import logging
import queue
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spindetect.sources.document import Document, TextOrigin
from spindetect.sources.html import Link
from spindetect.sources.paths import SourceFile
from spindetect.sources.reader import FileReader, _read_serial
from spindetect.sources.skips import SkipLog, SkipRecord

_log = logging.getLogger("spindetect.sources")

# -- reading in a pool of processes ------------------------------------------------------

_PARALLEL_MIN_BYTES = 4 << 20  # smaller inputs are read in-process
_PEEK_FILES = 10_000  # ... and so many files are worth a pool whatever their size
_GROUP_FILES = 64  # small files travel to a reader process in groups
_GROUP_BYTES = 1 << 20
_CHUNK_ITEMS = 256  # documents and skips per chunk sent back
_CHUNK_CHARS = 2 << 20
_BUFFERED_CHUNKS = 16  # chunks taken ahead from each reader process
_MAX_IN_FLIGHT = 64  # tasks per process read and not yet passed on
_POLL_SECONDS = 1.0  # how often an idle reader process checks that its parent lives


def _size(item: SourceFile | SkipRecord) -> int:
    if isinstance(item, SkipRecord):
        return 0
    try:
        return item.path.stat().st_size
    except OSError:
        return 0  # the reader will say what is wrong


def _peek(
    sized: Iterator[tuple[SourceFile | SkipRecord, int]],
) -> tuple[list[tuple[SourceFile | SkipRecord, int]], bool]:
    """Take items until the input is known to be worth a pool; say whether it is."""
    prefix = []
    files = total = 0
    for item, size in sized:
        prefix.append((item, size))
        if isinstance(item, SourceFile):
            files += 1
            total += size
            if files >= 2 and (total >= _PARALLEL_MIN_BYTES or files >= _PEEK_FILES):
                return prefix, True
    return prefix, False


class _Task:
    """A run of consecutive plan items: files for a reader process, or skips to pass on."""

    __slots__ = ("done", "files", "number", "records", "worker")

    def __init__(
        self, number: int, files: list[tuple[str, str]], records: list[SkipRecord]
    ) -> None:
        self.number = number
        self.files = files
        self.records = records
        self.done = 0  # files of the task fully received
        self.worker: _Worker | None = None


def _tasks(sized: Iterable[tuple[SourceFile | SkipRecord, int]]) -> Iterator[_Task]:
    number = 0
    files: list[tuple[str, str]] = []
    total = 0
    for item, size in sized:
        if files and (
            isinstance(item, SkipRecord)
            or len(files) >= _GROUP_FILES
            or total + size > _GROUP_BYTES
        ):
            yield _Task(number, files, [])
            number += 1
            files, total = [], 0
        if isinstance(item, SkipRecord):
            yield _Task(number, [], [item])
            number += 1
        else:
            files.append((str(item.path), item.name))
            total += size
    if files:
        yield _Task(number, files, [])


class _EventLog(SkipLog):
    """The log of a reader process: each skip joins the stream of items sent back."""

    def __init__(self) -> None:
        super().__init__(max_records=0)
        self.items: list[Document | SkipRecord] = []

    def add(self, category: str, source: str, reason: str, *, where: str | None = None) -> None:
        self.items.append(SkipRecord(category, str(source), where, reason))


def _reader_process(
    tasks: Any,
    results: Any,
    max_bytes: int,
    html_extract: bool,
    encoding: str | None,
    chunk_items: int,
    chunk_chars: int,
) -> None:
    """Body of a reader process: read the files of each task, send chunks of items back.

    Tasks come as ``(task number, [(path, name), ...])`` on the ``tasks`` queue
    (None: stop). Each message sent on the ``results`` pipe is
    ``(task number, files done, items, ignored counts, last)``. A send blocks
    while the pipe is full: the parent stops reading a process that is
    :data:`_BUFFERED_CHUNKS` chunks ahead.
    """
    import multiprocessing
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends us
    parent = multiprocessing.parent_process()
    log = _EventLog()
    reader = FileReader(log=log, max_bytes=max_bytes, html_extract=html_extract, encoding=encoding)

    def send(number: int, done: int, last: bool) -> None:
        items = [_flat(item) if isinstance(item, Document) else item for item in log.items]
        results.send((number, done, items, dict(log.ignored), last))
        log.items = []
        log.ignored.clear()

    while True:
        try:
            task = tasks.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return
            continue
        if task is None:
            return
        number, files = task
        chars = 0
        for done, (path, name) in enumerate(files):
            for doc in reader.read_file(Path(path), name):
                log.items.append(doc)
                chars += len(doc.text)
                if len(log.items) >= chunk_items or chars >= chunk_chars:
                    send(number, done, False)
                    chars = 0
            if len(log.items) >= chunk_items:  # skips pile up too
                send(number, done + 1, False)
                chars = 0
        send(number, len(files), True)


def _context() -> Any:
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # Fork from a server that has the parsers imported; never fork this process,
        # which may be running numba threads.
        ctx.set_forkserver_preload(["__main__", "spindetect.sources.reader"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - not POSIX


class _Worker:
    """One reader process, its task queue, the pipe it answers on and its bookkeeping."""

    def __init__(self, ctx: Any, args: tuple[Any, ...]) -> None:
        self.tasks = ctx.Queue()
        self.results, sender = ctx.Pipe(duplex=False)
        self.pending: collections.deque[_Task] = collections.deque()  # given, not yet passed on
        self.unread = 0  # tasks given whose last chunk has not come back yet
        self.buffer: collections.deque[tuple[Any, ...] | None] = collections.deque()
        self.dead = False
        self.process = ctx.Process(
            target=_reader_process,
            args=(self.tasks, sender, *args),
            name="spindetect-reader",
            daemon=True,
        )
        self.process.start()
        sender.close()  # the process holds the only writing end: its death reads as EOF

    def submit(self, task: _Task) -> None:
        task.worker = self
        self.pending.append(task)
        self.unread += 1
        self.tasks.put((task.number, task.files))

    def receive(self) -> None:
        """Move one message from the pipe to the buffer (None once the process has died)."""
        try:
            message = tuple(self.results.recv())
        except (EOFError, OSError):
            self.dead = True
            self.buffer.append(None)
            return
        self.buffer.append(message)
        if message[-1]:
            self.unread -= 1

    def close(self, *, wait: bool) -> None:
        if wait and self.process.is_alive():
            self.tasks.put(None)
            self.process.join(timeout=5.0)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5.0)
        if not self.process.is_alive():
            self.process.close()
        self.results.close()
        self.tasks.cancel_join_thread()
        self.tasks.close()


class _Pool:
    """Reader processes, started as work comes; each task goes to the least busy one.

    Chunks are taken from every process as they come, so that all keep reading
    while the one holding the oldest task is waited for; each process may be
    :data:`_BUFFERED_CHUNKS` chunks ahead, then it waits on its full pipe.
    """

    def __init__(
        self, *, workers: int, max_bytes: int, html_extract: bool, encoding: str | None = None
    ) -> None:
        self.size = workers
        self.args = (max_bytes, html_extract, encoding, _CHUNK_ITEMS, _CHUNK_CHARS)
        self.ctx = _context()
        self.workers = [_Worker(self.ctx, self.args)]  # fails here if processes cannot start

    @property
    def unread(self) -> int:
        """Tasks waiting for a process or being read."""
        return sum(w.unread for w in self.workers if not w.dead)

    def submit(self, task: _Task) -> None:
        alive = [w for w in self.workers if not w.dead]
        idle = min(alive, key=lambda w: w.unread, default=None)
        if idle is None or (idle.unread and len(alive) < self.size):
            idle = _Worker(self.ctx, self.args)
            self.workers.append(idle)
        idle.submit(task)

    def next_message(self, worker: _Worker) -> tuple[Any, ...] | None:
        """Return the next message of ``worker``, buffering what the others send meanwhile."""
        from multiprocessing.connection import wait

        while not worker.buffer:
            ready = {
                w.results: w
                for w in self.workers
                if not w.dead and (w is worker or len(w.buffer) < _BUFFERED_CHUNKS)
            }
            for conn in wait(list(ready)):
                ready[conn].receive()
        return worker.buffer.popleft()

    def replace(self, dead: _Worker) -> None:
        """Drop ``dead``; a new process takes the tasks it had left, in their order."""
        self.workers.remove(dead)
        dead.close(wait=False)
        if dead.pending:
            fresh = _Worker(self.ctx, self.args)
            self.workers.append(fresh)
            for task in dead.pending:
                fresh.submit(task)

    def close(self, *, wait: bool) -> None:
        for worker in self.workers:
            worker.close(wait=wait and not worker.dead)
        self.workers.clear()


def _read_parallel(
    sized: Iterable[tuple[SourceFile | SkipRecord, int]],
    *,
    workers: int,
    log: SkipLog,
    max_bytes: int,
    html_extract: bool,
    encoding: str | None = None,
) -> Iterator[Document | SkipRecord]:
    """Yield the items of the plan read by a pool of processes, in input order."""
    options: dict[str, Any] = {
        "max_bytes": max_bytes,
        "html_extract": html_extract,
        "encoding": encoding,
    }
    try:
        pool = _Pool(workers=workers, **options)
    except Exception as exc:  # no semaphores, no /dev/shm, a main module that cannot load, ...
        _log.warning("cannot start reader processes (%s); reading in this process", exc)
        reader = FileReader(log=log, **options)
        yield from _read_serial((item for item, _ in sized), reader)
        return
    tasks = _tasks(sized)
    in_flight: collections.deque[_Task] = collections.deque()
    finished = False
    try:
        while True:
            while pool.unread < 2 * workers and len(in_flight) < _MAX_IN_FLIGHT * workers:
                task = next(tasks, None)
                if task is None:
                    break
                in_flight.append(task)
                if task.files:
                    pool.submit(task)
            if not in_flight:
                finished = True
                return
            head = in_flight[0]
            worker = head.worker
            if worker is None:  # skips found while listing the input
                yield from head.records
                in_flight.popleft()
                continue
            message = pool.next_message(worker)
            if message is None:  # the process died: lose the file it was reading, not the run
                yield _died(head, worker)
                head.files = head.files[head.done + 1 :]
                head.done = 0
                if not head.files:
                    worker.pending.popleft()
                    in_flight.popleft()
                pool.replace(worker)
                continue
            number, done, items, ignored, last = message
            if number != head.number:  # pragma: no cover - a bug, not bad input
                raise RuntimeError(f"reader sent task {number}, expected {head.number}")
            head.done = done
            log.ignored.update(ignored)
            for item in items:
                yield _unflat(item) if isinstance(item, tuple) else item
            if last:
                worker.pending.popleft()
                in_flight.popleft()
    finally:
        pool.close(wait=finished)


def _flat(doc: Document) -> tuple[Any, ...]:
    """Return ``doc`` as plain tuples: six times faster to pickle than the dataclasses."""
    links = tuple((link.href, link.text, link.region) for link in doc.links)
    o = doc.origin
    origin = None if o is None else (o.path, o.offset, o.length, o.form, o.encoding)
    return (doc.id, doc.text, doc.title, doc.url, links, doc.source, origin)


def _unflat(flat: tuple[Any, ...]) -> Document:
    doc_id, text, title, url, links, source, origin = flat
    return Document(
        doc_id,
        text,
        title,
        url,
        tuple(Link(*link) for link in links),
        source,
        None if origin is None else TextOrigin(*origin),
    )


def _died(task: _Task, worker: _Worker) -> SkipRecord:
    worker.process.join(timeout=1.0)
    code = worker.process.exitcode
    return SkipRecord(
        "unreadable",
        task.files[task.done][0],
        None,
        f"the reader process died (exit code {code}) while reading it",
    )
