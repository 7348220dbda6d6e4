"""Path planning: the ordered list of files to read from the paths given, and their kinds.

Directories are walked recursively in sorted order without following a cycle;
each file found is named by its path relative to the directory (POSIX
separators). A subdirectory that cannot be listed is skipped and counted as
``unreadable``; the walk goes on. ``include``/``exclude`` globs choose the files
read from directories (:class:`_Filter`). The kind of a file (``warc``,
``jsonl``, ``html``, ``text`` or ``other``) comes from its suffix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from spindetect.exceptions import InputError, InputNotFoundError
from spindetect.sources.skips import SkipRecord, _error_record

_TEXT_SUFFIXES = (".txt", ".text", ".md")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")


@dataclass(frozen=True, slots=True)
class _Filter:
    """Which files found in a directory are read: ``--include`` / ``--exclude`` globs.

    A pattern is matched (:func:`fnmatch.fnmatchcase`: case-sensitive, ``*``
    also crosses ``/``) against the file's path relative to the directory given,
    POSIX separators. A file is read when no include pattern is given or one
    matches it, and no exclude pattern matches it or one of its parent
    directories (``truth`` or ``*/truth`` leaves out a whole subdirectory, which
    is then not walked).
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def keeps_file(self, rel: str) -> bool:
        if self.include and not any(fnmatchcase(rel, p) for p in self.include):
            return False
        return not any(fnmatchcase(rel, p) for p in self.exclude)

    def keeps_dir(self, rel: str) -> bool:
        return not any(fnmatchcase(rel, p) for p in self.exclude)


_ALL = _Filter()


def _walk(
    root: Path, visited: set[tuple[int, int]], rel: str = "", keep: _Filter = _ALL
) -> Iterator[tuple[str, Path | OSError]]:
    """Yield ``(relative posix path, path)`` of the files under ``root``, sorted, no cycles.

    A directory that cannot be listed yields ``(its relative path, the OSError)``
    and the walk goes on with its siblings.
    """
    try:
        st = root.stat()
        key = (st.st_dev, st.st_ino)
        if key in visited:
            return
        visited.add(key)
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield rel.rstrip("/"), exc
        return
    for entry in entries:
        name = f"{rel}{entry.name}"
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if keep.keeps_dir(name):
                yield from _walk(path, visited, f"{name}/", keep)
        elif keep.keeps_file(name):
            yield name, path


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file to read, with the name its documents are called by."""

    path: Path
    name: str


def plan_sources(
    sources: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[SourceFile | SkipRecord]:
    """Expand ``sources`` lazily into the files to read, in order, and the paths to skip.

    ``include`` and ``exclude`` filter the files found in directories (:class:`_Filter`).
    """
    keep = _Filter(tuple(include), tuple(exclude))
    for src in sources:
        path = Path(os.fspath(src))
        source = str(path)
        try:
            if path.is_dir():
                yield from _plan_dir(path, keep)
                continue
            if not path.exists():
                raise InputNotFoundError(source, "no such file or directory")
        except InputError as exc:
            yield _error_record(exc)
            continue
        except OSError as exc:
            yield SkipRecord("unreadable", source, None, f"cannot access ({exc.strerror or exc})")
            continue
        yield SourceFile(path, path.name)


def _plan_dir(root: Path, keep: _Filter = _ALL) -> Iterator[SourceFile | SkipRecord]:
    for rel, found in _walk(root, set(), "", keep):
        if isinstance(found, OSError):  # an unreadable (or vanished) directory: skip it only
            where = str(root / rel) if rel else str(root)
            yield SkipRecord("unreadable", where, None, f"cannot list ({found.strerror or found})")
        else:
            yield SourceFile(found, rel)


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
