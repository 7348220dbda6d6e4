"""Documents from crawl inputs: directories, JSONL, WARC/WET archives, HTML and text files.

:func:`iter_documents` streams :class:`Document` objects from any mix of paths,
one record at a time. Bad input never stops the iteration and is never dropped
silently: each skipped file or record is counted by category in a
:class:`SkipLog` (or logged as a warning on the ``spindetect.sources`` logger
when no log is given). With ``processes > 1`` files are parsed in a pool of
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

import codecs
import itertools
import os
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path

from spindetect._parallel import resolve_workers
from spindetect._validation import UNSET, Unset, check_collection, check_int, renamed_option
from spindetect.exceptions import InvalidParameterError
from spindetect.sources.document import Document
from spindetect.sources.paths import _Filter, _walk, plan_sources
from spindetect.sources.pool import _peek, _read_parallel, _size
from spindetect.sources.reader import FileReader, _read_serial
from spindetect.sources.skips import _DUPLICATE, SkipLog, SkipRecord, _WarningLog
from spindetect.sources.textfile import DEFAULT_MAX_BYTES

__all__ = ["estimate_size", "iter_documents"]


def iter_documents(
    sources: Iterable[str | os.PathLike[str]],
    *,
    errors: SkipLog | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_extract: bool = True,
    processes: int | None = 1,
    workers: int | Unset | None = UNSET,
    include: str | Sequence[str] = (),
    exclude: str | Sequence[str] = (),
    encoding: str | None = None,
) -> Generator[Document, None, None]:
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
    processes : int or None, default=1
        Reader processes parsing files side by side (None: one per available
        core). The documents, their ids and the log are the same whatever the
        number; see Notes.
    workers : int or None, optional
        Former name of ``processes`` (deprecated).
    include : str or sequence of str, default=()
        Glob patterns (:func:`fnmatch.fnmatchcase`: case-sensitive, ``*`` also
        matches ``/``) choosing the files read from directories, matched against
        the path relative to the directory given (``"*.txt"``, ``"susp/*"``).
        Empty: every file. Files given directly are always read.
    exclude : str or sequence of str, default=()
        Glob patterns of files (or whole subdirectories: ``"*truth*"``,
        ``"annotations"``) under the directories given to leave out, matched
        the same way; they win over ``include``.
    encoding : str or None, default=None
        The encoding of text files (``.txt``, ``.md``, files of no known kind)
        that are not valid UTF-8 and start with no byte-order mark, e.g.
        ``"cp1252"``; UTF-8 files are still read as UTF-8. None: such files are
        skipped as ``decode``. HTML, JSONL and WARC carry their own charsets.

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

    With ``processes > 1`` the inputs are expanded into their ordered list of
    files (directories walked lazily, as above) and the files are handed to a
    pool of reader processes (start method ``forkserver`` where available, else
    ``spawn``). Each process reads its files in order and sends back chunks of
    at most 256 items (documents and skips); this process puts the chunks back
    in input order, records the skips and renames duplicate ids, so documents,
    ids and log equal those of ``processes=1``. Small files travel in groups of
    up to 64 files or 1 MiB; at most ``2 * processes`` groups are in flight, and
    a process waits while its last chunk is unread, so memory stays bounded.
    One large file (a big WARC or JSONL) streams chunk by chunk, but from one
    process: parallelism comes from having several files. Inputs under 4 MiB
    in total, or of a single file, are read in this process, since starting
    the pool would cost more than it saves. A reader process that dies (a
    crash in a native parser) costs the file it was reading, counted as
    ``unreadable``; a new process reads the files it had left.
    """
    max_bytes = check_int("max_bytes", max_bytes, low=1)
    processes = renamed_option(
        "workers", workers, "processes", processes, unset=UNSET, new_default=1
    )
    n_workers = resolve_workers(processes, name="processes")
    encoding = _encoding(encoding)
    include = _patterns("include", include)
    exclude = _patterns("exclude", exclude)
    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]  # one path, not an iterable of its characters
    sources = _paths_only(check_collection("sources", sources, of="paths"))
    log = errors if errors is not None else _WarningLog()
    plan = plan_sources(sources, include=include, exclude=exclude)
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
                encoding=encoding,
            )
    if stream is None:
        reader = FileReader(
            log=log, max_bytes=max_bytes, html_extract=bool(html_extract), encoding=encoding
        )
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


def estimate_size(
    sources: Iterable[str | os.PathLike[str]],
    *,
    include: str | Sequence[str] = (),
    exclude: str | Sequence[str] = (),
) -> int:
    """Total size in bytes of the files under ``sources`` (for a progress bar).

    Missing or unreadable paths count as 0; compressed files count their
    compressed size. ``include`` and ``exclude`` as in :func:`iter_documents`.
    """
    keep = _Filter(_patterns("include", include), _patterns("exclude", exclude))
    total = 0
    for src in sources:
        path = Path(os.fspath(src))
        try:
            if path.is_dir():
                total += sum(
                    p.stat().st_size for _, p in _walk(path, set(), "", keep) if isinstance(p, Path)
                )
            elif path.is_file():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def _encoding(value: str | None) -> str | None:
    """Return the codec name of ``value`` (None stays None), refusing unknown names."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return codecs.lookup(value).name
        except LookupError:
            pass
    msg = f"encoding must be a known text encoding (e.g. 'cp1252'), got {value!r}"
    raise InvalidParameterError(msg)


def _patterns(name: str, value: str | Sequence[str]) -> tuple[str, ...]:
    """Return ``value`` as a tuple of glob patterns (one string is one pattern)."""
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(p, str) and p for p in value):
        msg = f"{name} must be a glob pattern or a sequence of non-empty patterns, got {value!r}"
        raise InvalidParameterError(msg)
    return tuple(value)


def _rename(doc: Document, seen: set[str], log: SkipLog) -> Document:
    n = 2
    while f"{doc.id}#{n}" in seen:
        n += 1
    new_id = f"{doc.id}#{n}"
    log.add(
        _DUPLICATE, doc.source, f"id {doc.id!r} already taken; kept as {new_id!r}", where=doc.id
    )
    return Document(new_id, doc.text, doc.title, doc.url, doc.links, doc.source, doc.origin)


def _paths_only(sources: Iterable[object]) -> Iterator[str | os.PathLike[str]]:
    """Yield ``sources``, raising on an item that is not a path (``iter_documents([5])``)."""
    for k, src in enumerate(sources):
        if not isinstance(src, (str, os.PathLike)):
            raise InvalidParameterError(
                f"sources must hold paths (str or os.PathLike); item {k} is "
                f"{type(src).__name__}: {src!r:.60}"
            )
        yield src
