"""Path planning: the ordered list of files to read from the paths given, and their kinds.

Directories are walked recursively in sorted order without following a cycle;
each file found is named by its path relative to the directory (POSIX
separators). The kind of a file (``warc``, ``jsonl``, ``html``, ``text`` or
``other``) comes from its suffix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spindetect.exceptions import InputError, InputNotFoundError
from spindetect.sources.skips import SkipRecord, _error_record

_TEXT_SUFFIXES = (".txt", ".text", ".md")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")


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
