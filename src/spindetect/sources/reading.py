"""Documents from crawl inputs: directories, JSONL, WARC/WET archives, HTML and text files.

:func:`iter_documents` streams :class:`Document` objects from any mix of paths,
one record at a time. Bad input never stops the iteration and is never dropped
silently: each skipped file or record is counted by category in a
:class:`SkipLog` (or logged as a warning on the ``spindetect.sources`` logger
when no log is given). With ``workers > 1`` files are parsed in a pool of
reader processes and put back in input order (same documents, ids and log).

Dispatch on each path given:

===============================  ======================================================
directory                        walked recursively in sorted order; every file in it
                                 is dispatched as below, its id relative to the
                                 directory (POSIX separators)
``.txt`` ``.text`` ``.md``       one document, strict text decoding
                                 (:func:`spindetect.textfile.decode_text`)
``.html`` ``.htm`` ``.xhtml``    one document through :func:`spindetect.html.extract`
``.jsonl`` ``.ndjson``           one document per line: ``id``, ``text`` (or ``html``),
(``.gz`` too)                    optional ``title``, ``url``
``.warc`` ``.wet``               one document per HTML/text ``response``, ``resource``
(``.gz`` too)                    or ``conversion`` record (read with fastwarc)
anything else                    one document if it decodes as text, else skipped
                                 as ``binary``
===============================  ======================================================
"""

from __future__ import annotations

import collections
import gzip
import itertools
import json
import logging
import os
import queue
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spindetect._parallel import resolve_workers
from spindetect._validation import check_int
from spindetect.exceptions import (
    BinaryInputError,
    CorruptInputError,
    EmptyInputError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    NotAFileError,
)
from spindetect.sources.html import Link, decode_html, extract
from spindetect.sources.textfile import DEFAULT_MAX_BYTES, decode_text

__all__ = [
    "SKIP_CATEGORIES",
    "Document",
    "SkipLog",
    "SkipRecord",
    "estimate_size",
    "iter_documents",
]

_log = logging.getLogger("spindetect.sources")

#: Categories of skipped input, in the order summaries list them.
SKIP_CATEGORIES = (
    "missing",
    "unreadable",
    "empty",
    "binary",
    "decode",
    "too-large",
    "corrupt",
    "malformed-json",
    "no-text",
)
_DUPLICATE = "duplicate-id"

_TEXT_SUFFIXES = (".txt", ".text", ".md")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_READ_CHUNK = 1 << 20
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


@dataclass(frozen=True, slots=True)
class Document:
    """One document read from a crawl input.

    Parameters
    ----------
    id : str
        Unique within one :func:`iter_documents` run (see there for the rules).
    text : str
        The document text (for HTML, the extracted main text).
    title : str or None, default=None
        The JSONL ``title``, or for HTML the ``<title>``, else ``og:title``, else
        the first ``<h1>``.
    url : str or None, default=None
        The JSONL ``url`` or the WARC target URI.
    links : tuple of Link, default=()
        The anchors of an HTML document, labelled by region.
    source : str, default=""
        The file the document came from.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    links: tuple[Link, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class SkipRecord:
    """One skipped item (or one renamed duplicate id) kept by a :class:`SkipLog`.

    Parameters
    ----------
    category : str
        One of :data:`SKIP_CATEGORIES`, or ``"duplicate-id"``.
    source : str
        The file involved.
    where : str or None
        The record inside the file: ``"line 12"``, ``"record at offset 4096"``, an id.
    reason : str
        One line saying what was wrong.
    """

    category: str
    source: str
    where: str | None
    reason: str

    def __str__(self) -> str:
        place = f"{self.source} ({self.where})" if self.where else self.source
        return f"{place}: {self.category}: {self.reason}"


_ERROR_CATEGORY: tuple[tuple[type[InputError], str], ...] = (
    (InputNotFoundError, "missing"),
    (NotAFileError, "unreadable"),
    (EmptyInputError, "empty"),
    (BinaryInputError, "binary"),
    (InputDecodeError, "decode"),
    (InputTooLargeError, "too-large"),
    (CorruptInputError, "corrupt"),
)


class SkipLog:
    """Counts of skipped input by category, with the first few items in full.

    Parameters
    ----------
    max_records : int, default=1000
        How many :class:`SkipRecord` items to keep; later ones are counted only.

    Attributes
    ----------
    documents : int
        Documents yielded so far by the :func:`iter_documents` run using this log.
    ignored : collections.Counter
        WARC records that are not documents and were passed over on purpose
        (``request``, ``warcinfo``, non-text responses, HTTP errors and redirects),
        by reason. These are not errors and are not in :attr:`records`.
    """

    def __init__(self, *, max_records: int = 1000) -> None:
        self.max_records = check_int("max_records", max_records, low=0)
        self._counts: Counter[str] = Counter()
        self._records: list[SkipRecord] = []
        self.documents = 0
        self.ignored: Counter[str] = Counter()

    def add(self, category: str, source: str, reason: str, *, where: str | None = None) -> None:
        """Count one skipped item (or a renamed duplicate) and keep it if room is left."""
        self._counts[category] += 1
        if len(self._records) < self.max_records:
            self._records.append(SkipRecord(category, str(source), where, reason))

    def add_error(
        self, error: InputError, *, source: str | None = None, where: str | None = None
    ) -> None:
        """Count one item skipped because of ``error``, categorised by its type."""
        r = _error_record(error, source=source, where=where)
        self.add(r.category, r.source, r.reason, where=r.where)

    @property
    def counts(self) -> dict[str, int]:
        """Skips per category (and ``"duplicate-id"`` renames), non-zero only."""
        order = {c: i for i, c in enumerate((*SKIP_CATEGORIES, _DUPLICATE))}
        return dict(sorted(self._counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))

    @property
    def skipped(self) -> int:
        """Total skipped items (renamed duplicates are kept, so not counted here)."""
        return sum(n for c, n in self._counts.items() if c != _DUPLICATE)

    @property
    def duplicates(self) -> int:
        """Documents whose id was already taken and got a ``#n`` suffix."""
        return self._counts[_DUPLICATE]

    @property
    def records(self) -> tuple[SkipRecord, ...]:
        """The first ``max_records`` skipped items (and renames), in the order met."""
        return tuple(self._records)

    def __bool__(self) -> bool:
        return bool(self._counts)

    def summary(self) -> list[str]:
        """Lines for a terminal summary, e.g. ``["read 120 documents", "skipped 3: ..."]``."""
        lines = [f"read {self.documents:,} document{'' if self.documents == 1 else 's'}"]
        skipped = {c: n for c, n in self.counts.items() if c != _DUPLICATE}
        if skipped:
            parts = ", ".join(f"{n:,} {c}" for c, n in skipped.items())
            lines.append(f"skipped {self.skipped:,}: {parts}")
        if self.duplicates:
            lines.append(f"renamed {self.duplicates:,} duplicate ids (suffix #2, #3, ...)")
        if self.ignored:
            parts = ", ".join(f"{n:,} {c}" for c, n in sorted(self.ignored.items()))
            lines.append(
                f"passed over {sum(self.ignored.values()):,} non-document records: {parts}"
            )
        shown = [r for r in self._records if r.category != _DUPLICATE]
        lines.extend(f"  {r}" for r in shown[:20])
        hidden = self.skipped - min(len(shown), 20)
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view: totals, counts by category and the kept records."""
        return {
            "documents": self.documents,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "counts": self.counts,
            "ignored": dict(sorted(self.ignored.items())),
            "records": [
                {"category": r.category, "source": r.source, "where": r.where, "reason": r.reason}
                for r in self._records
            ],
            "records_truncated": sum(self._counts.values()) > len(self._records),
        }

    def __repr__(self) -> str:
        return f"SkipLog(documents={self.documents}, skipped={self.skipped}, counts={self.counts})"


def _error_record(
    error: InputError, *, source: str | None = None, where: str | None = None
) -> SkipRecord:
    category = next((c for t, c in _ERROR_CATEGORY if isinstance(error, t)), "unreadable")
    return SkipRecord(
        category, str(source if source is not None else error.source), where, error.problem
    )


class _WarningLog(SkipLog):
    """The log used when the caller gives none: every skip becomes a warning log line."""

    def __init__(self) -> None:
        super().__init__(max_records=0)

    def add(self, category: str, source: str, reason: str, *, where: str | None = None) -> None:
        super().add(category, source, reason, where=where)
        _log.warning("%s", SkipRecord(category, str(source), where, reason))


def iter_documents(
    sources: Iterable[str | os.PathLike[str]],
    *,
    errors: SkipLog | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_extract: bool = True,
    workers: int | None = 1,
) -> Iterator[Document]:
    """Stream documents from files, directories, JSONL files and WARC/WET archives.

    Parameters
    ----------
    sources : iterable of str or path-like
        Paths; each may be a directory or a file (module docstring: dispatch table).
    errors : SkipLog or None, default=None
        Receives every skipped item. With None, each skip is logged as a warning
        on the ``spindetect.sources`` logger instead.
    max_bytes : int, default=DEFAULT_MAX_BYTES
        Size limit of one document (a file, a JSONL line or a WARC record
        payload); larger ones are skipped as ``too-large``, not truncated.
    html_extract : bool, default=True
        With False, HTML is not parsed: its decoded source is the document text
        and no title or links are taken.
    workers : int or None, default=1
        Reader processes parsing files side by side (None: one per available
        core). The documents, their ids and the log are the same whatever the
        number; see Notes.

    Yields
    ------
    Document
        In input order; a directory in sorted path order.

    Notes
    -----
    Ids: the path relative to the input directory for files found in a
    directory; the file name for a file given directly; the ``id`` field of a
    JSONL record (``<file>:<line>`` when it has none, ``<file>`` named as above);
    the ``WARC-Target-URI`` of a WARC record (its ``WARC-Record-ID`` when absent).
    An id met again is kept with a ``#2``, ``#3``, ... suffix and counted as
    ``duplicate-id``. Memory use is one record plus the set of ids seen.

    An archive that is corrupt midway yields its records up to the damage and
    is counted once as ``corrupt``; a truncated archive yields its complete
    records and counts the truncation as ``corrupt``. An unexpected error while
    reading a file is counted as ``unreadable`` for that file.

    With ``workers > 1`` the inputs are expanded into their ordered list of
    files (directories walked lazily, as above) and the files are handed to a
    pool of reader processes (start method ``forkserver`` where available, else
    ``spawn``). Each process reads its files in order and sends back chunks of
    at most 256 items (documents and skips); this process puts the chunks back
    in input order, records the skips and renames duplicate ids, so documents,
    ids and log equal those of ``workers=1``. Small files travel in groups of
    up to 64 files or 1 MiB; at most ``2 * workers`` groups are in flight, and
    a process waits while its last chunk is unread, so memory stays bounded.
    One large file (a big WARC or JSONL) streams chunk by chunk, but from one
    process: parallelism comes from having several files. Inputs under 4 MiB
    in total, or of a single file, are read in this process, since starting
    the pool would cost more than it saves. A reader process that dies (a
    crash in a native parser) costs the file it was reading, counted as
    ``unreadable``; a new process reads the files it had left.
    """
    max_bytes = check_int("max_bytes", max_bytes, low=1)
    n_workers = resolve_workers(workers)
    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]  # one path, not an iterable of its characters
    log = errors if errors is not None else _WarningLog()
    plan = _plan(sources)
    stream: Iterator[Document | SkipRecord] | None = None
    if n_workers > 1:
        sized = ((item, _size(item)) for item in plan)
        prefix, large = _peek(sized)
        plan = (item for item, _ in prefix)
        if large:
            stream = _read_parallel(
                itertools.chain(prefix, sized),
                workers=n_workers,
                log=log,
                max_bytes=max_bytes,
                html_extract=bool(html_extract),
            )
    if stream is None:
        reader = _Reader(log=log, max_bytes=max_bytes, html_extract=bool(html_extract))
        stream = _read_serial(plan, reader)
    seen: set[str] = set()
    for item in stream:
        if isinstance(item, SkipRecord):
            log.add(item.category, item.source, item.reason, where=item.where)
            continue
        doc = item
        if doc.id in seen:
            doc = _rename(doc, seen, log)
        seen.add(doc.id)
        log.documents += 1
        yield doc


def estimate_size(sources: Iterable[str | os.PathLike[str]]) -> int:
    """Total size in bytes of the files under ``sources`` (for a progress bar).

    Missing or unreadable paths count as 0; compressed files count their
    compressed size.
    """
    total = 0
    for src in sources:
        path = Path(os.fspath(src))
        try:
            if path.is_dir():
                total += sum(p.stat().st_size for _, p in _walk(path, set()))
            elif path.is_file():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def _rename(doc: Document, seen: set[str], log: SkipLog) -> Document:
    n = 2
    while f"{doc.id}#{n}" in seen:
        n += 1
    new_id = f"{doc.id}#{n}"
    log.add(
        _DUPLICATE, doc.source, f"id {doc.id!r} already taken; kept as {new_id!r}", where=doc.id
    )
    return Document(new_id, doc.text, doc.title, doc.url, doc.links, doc.source)


def _walk(root: Path, visited: set[tuple[int, int]], rel: str = "") -> Iterator[tuple[str, Path]]:
    """Yield ``(relative posix path, path)`` of the files under ``root``, sorted, no cycles."""
    st = root.stat()
    key = (st.st_dev, st.st_ino)
    if key in visited:
        return
    visited.add(key)
    with os.scandir(root) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = f"{rel}{entry.name}"
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, visited, f"{name}/")
        else:
            yield name, path


@dataclass(frozen=True, slots=True)
class _File:
    """One input file to read, with the name its documents are called by."""

    path: Path
    name: str


def _plan(sources: Iterable[str | os.PathLike[str]]) -> Iterator[_File | SkipRecord]:
    """Expand ``sources`` lazily into the files to read, in order, and the paths to skip."""
    for src in sources:
        path = Path(os.fspath(src))
        source = str(path)
        try:
            if path.is_dir():
                yield from _plan_dir(path)
                continue
            if not path.exists():
                raise InputNotFoundError(source, "no such file or directory")
        except InputError as exc:
            yield _error_record(exc)
            continue
        except OSError as exc:
            yield SkipRecord("unreadable", source, None, f"cannot access ({exc.strerror or exc})")
            continue
        yield _File(path, path.name)


def _plan_dir(root: Path) -> Iterator[_File | SkipRecord]:
    walker = _walk(root, set())
    while True:
        try:
            rel, path = next(walker)
        except StopIteration:
            return
        except OSError as exc:  # a subdirectory vanished or is not readable
            yield SkipRecord("unreadable", str(root), None, f"cannot list ({exc.strerror or exc})")
            return
        yield _File(path, rel)


def _read_serial(
    plan: Iterable[_File | SkipRecord], reader: _Reader
) -> Iterator[Document | SkipRecord]:
    for item in plan:
        if isinstance(item, SkipRecord):
            yield item
        else:
            yield from reader.read_file(item.path, item.name)


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


def _size(item: _File | SkipRecord) -> int:
    if isinstance(item, SkipRecord):
        return 0
    try:
        return item.path.stat().st_size
    except OSError:
        return 0  # the reader will say what is wrong


def _peek(
    sized: Iterator[tuple[_File | SkipRecord, int]],
) -> tuple[list[tuple[_File | SkipRecord, int]], bool]:
    """Take items until the input is known to be worth a pool; say whether it is."""
    prefix = []
    files = total = 0
    for item, size in sized:
        prefix.append((item, size))
        if isinstance(item, _File):
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


def _tasks(sized: Iterable[tuple[_File | SkipRecord, int]]) -> Iterator[_Task]:
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
    reader = _Reader(log=log, max_bytes=max_bytes, html_extract=html_extract)

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
        ctx.set_forkserver_preload(["__main__", "spindetect.sources"])
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

    def __init__(self, *, workers: int, max_bytes: int, html_extract: bool) -> None:
        self.size = workers
        self.args = (max_bytes, html_extract, _CHUNK_ITEMS, _CHUNK_CHARS)
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
    sized: Iterable[tuple[_File | SkipRecord, int]],
    *,
    workers: int,
    log: SkipLog,
    max_bytes: int,
    html_extract: bool,
) -> Iterator[Document | SkipRecord]:
    """Yield the items of the plan read by a pool of processes, in input order."""
    try:
        pool = _Pool(workers=workers, max_bytes=max_bytes, html_extract=html_extract)
    except Exception as exc:  # no semaphores, no /dev/shm, a main module that cannot load, ...
        _log.warning("cannot start reader processes (%s); reading in this process", exc)
        reader = _Reader(log=log, max_bytes=max_bytes, html_extract=html_extract)
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
    return (doc.id, doc.text, doc.title, doc.url, links, doc.source)


def _unflat(flat: tuple[Any, ...]) -> Document:
    doc_id, text, title, url, links, source = flat
    return Document(doc_id, text, title, url, tuple(Link(*link) for link in links), source)


def _died(task: _Task, worker: _Worker) -> SkipRecord:
    worker.process.join(timeout=1.0)
    code = worker.process.exitcode
    return SkipRecord(
        "unreadable",
        task.files[task.done][0],
        None,
        f"the reader process died (exit code {code}) while reading it",
    )


def _kind(name: str) -> str:
    lower = name.lower()
    for suffixes, kind in (
        (_WARC_SUFFIXES, "warc"),
        (_JSONL_SUFFIXES, "jsonl"),
        (_HTML_SUFFIXES, "html"),
        (_TEXT_SUFFIXES, "text"),
    ):
        if lower.endswith(suffixes):
            return kind
    return "other"


class _Reader:
    """Per-run state: the skip log and the options."""

    def __init__(self, *, log: SkipLog, max_bytes: int, html_extract: bool) -> None:
        self.log = log
        self.max_bytes = max_bytes
        self.html_extract = html_extract
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
        text = decode_text(data, source=source)
        return Document(name, text, source=source)

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
        if not page.text:
            self.log.add("no-text", source, "HTML page with no visible text", where=where)
            return None
        title = page.title or page.og_title or page.h1
        return Document(doc_id, page.text, title=title, url=url, links=page.links, source=source)

    # -- JSONL -----------------------------------------------------------------------------

    def _read_jsonl(self, path: Path, name: str) -> Iterator[Document]:
        source = str(path)
        self._check_file(path)
        lineno = 0
        try:
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rb") as fh:
                while True:
                    line = fh.readline(self.max_bytes + 1)
                    if not line:
                        break
                    lineno += 1
                    if len(line) > self.max_bytes and not line.endswith(b"\n"):
                        self.log.add(
                            "too-large",
                            source,
                            f"line over {self.max_bytes:,} bytes",
                            where=f"line {lineno}",
                        )
                        while line and not line.endswith(b"\n"):  # skip the rest of it
                            line = fh.readline(_READ_CHUNK)
                        continue
                    doc = self._jsonl_record(line, source=source, name=name, lineno=lineno)
                    if doc is not None:
                        yield doc
        except (OSError, EOFError, zlib.error) as exc:
            raise CorruptInputError(
                source, f"unreadable after line {lineno} ({_describe(exc)})"
            ) from None

    def _jsonl_record(self, line: bytes, *, source: str, name: str, lineno: int) -> Document | None:
        where = f"line {lineno}"
        if not line.strip():
            return None  # blank lines separate nothing in JSONL; not a record
        try:
            record = json.loads(line)
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
            doc_id = str(doc_id)
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
            fields[key] = value
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
        if not text.strip():
            self.log.add("empty", source, "'text' holds no text, only white space", where=where)
            return None
        return Document(doc_id, text, fields["title"], fields["url"], (), source)

    # -- WARC / WET ------------------------------------------------------------------------

    def _read_warc(self, path: Path) -> Iterator[Document]:
        from fastwarc.warc import ArchiveIterator

        source = str(path)
        self._check_file(path)
        last_pos = -1
        records = ArchiveIterator(str(path), parse_http=True, fsspec_args=False)
        try:
            for record in records:
                last_pos = record.stream_pos
                self._cut_short = False
                doc = self._warc_record(record, source)
                if doc is not None:
                    yield doc
        except OSError as exc:
            where = "at the start" if last_pos < 0 else f"after the record at offset {last_pos:,}"
            raise CorruptInputError(
                source, f"corrupt {where} ({_describe(exc)}); later records not read"
            ) from None
        if last_pos < 0:
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


def _tail_problem(path: Path, last_pos: int) -> str | None:
    """Check that an archive does not end inside a record fastwarc passed over.

    fastwarc stops quietly at a gzip member cut short, and at a record whose
    headers are complete but whose block is missing; the end of the file after
    the last record yielded is checked here.
    """
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic.startswith(b"\x1f\x8b"):
        return _gzip_tail_problem(path, last_pos)
    if magic == b"WARC":
        return _plain_tail_problem(path, last_pos)
    return None  # zstd, lz4, ...: trust the reader


def _plain_tail_problem(path: Path, last_pos: int) -> str | None:
    """Check an uncompressed archive: bytes after the last record's end mean a cut-off record."""
    with path.open("rb") as fh:
        fh.seek(last_pos)
        head = fh.read(1 << 16)
        end_of_headers = head.find(b"\r\n\r\n")
        if end_of_headers < 0:
            return None
        length = None
        for line in head[:end_of_headers].split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    return None
        if length is None:
            return None
        end = last_pos + end_of_headers + 4 + length + 4
        fh.seek(end)
        rest = fh.read(1 << 16)
    if rest.strip():
        return f"truncated: a record cut short at offset {end:,}; the rest of the archive is lost"
    return None


def _gzip_tail_problem(path: Path, start: int) -> str | None:
    """Say whether a gzip file ends inside a member (a cut-off download).

    fastwarc stops quietly at a truncated gzip member, so once the records run
    out, the members from the last record's offset to the end of the file are
    decompressed here (output discarded). For the usual one-member-per-record
    files that is only the tail; when the offset is not a member start the whole
    stream is checked.
    """
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            if fh.read(2) != b"\x1f\x8b":
                if start == 0:
                    return None  # not gzip
                fh.seek(0)
                if fh.read(2) != b"\x1f\x8b":
                    return None
                start = 0
            fh.seek(start)
            decomp: Any = None  # None: between members
            while chunk := fh.read(_READ_CHUNK):
                while chunk:
                    if decomp is None:
                        decomp = zlib.decompressobj(wbits=31)
                    decomp.decompress(chunk)
                    if decomp.eof:
                        chunk = decomp.unused_data
                        decomp = None
                    else:
                        chunk = b""
    except (OSError, zlib.error) as exc:
        return f"corrupt gzip data near the end ({_describe(exc)})"
    if decomp is not None:
        return "truncated: the file ends inside a gzip member; the rest of the archive is lost"
    return None


def _describe(exc: BaseException) -> str:
    return _first_line(str(exc)) or type(exc).__name__


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
