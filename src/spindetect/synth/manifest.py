"""What a written set records and how its files are written: versions, provenance, checksums.

Every writer (:func:`~spindetect.synth.pair_sets.write_pairs`,
:func:`~spindetect.synth.crawls.write_crawl`) writes its JSONL files through
:class:`OutputFile` (UTF-8, ``\\n`` line ends, optionally gzip with mtime 0 and
no file name, so equal content gives equal bytes) and ends with a
``manifest.json`` (:func:`write_json`: sorted keys, two-space indent) holding
:data:`GENERATOR_VERSION`, the seed and parameters, counts, the text source's
and the lexicon's sha256 (:func:`lexicon_provenance`) and the sha256 of every
file written (:func:`file_sha256`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["GENERATOR_VERSION", "OutputFile", "file_sha256", "lexicon_provenance", "write_json"]

#: Bumped whenever the same seed would produce different documents.
GENERATOR_VERSION = "2.0"


class OutputFile:
    """A text file open for writing, plain or as deterministic gzip (mtime 0, no name).

    Use it as a context manager: ``with OutputFile(path, compress) as handle:``
    gives a text handle; leaving the block closes the gzip stream and the file.
    """

    def __init__(self, path: Path, compress: bool) -> None:
        self._raw = path.open("wb")
        if compress:
            self._gz: gzip.GzipFile | None = gzip.GzipFile(
                filename="", mode="wb", fileobj=self._raw, compresslevel=9, mtime=0
            )
            self._text: io.TextIOWrapper[Any] = io.TextIOWrapper(
                self._gz, encoding="utf-8", newline="\n"
            )
        else:
            self._gz = None
            self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="\n")

    def __enter__(self) -> io.TextIOWrapper[Any]:
        return self._text

    def __exit__(self, *exc: object) -> None:
        self._text.close()
        self._raw.close()


def lexicon_provenance() -> dict[str, str] | None:
    """Name and sha256 of the bundled synonym table the spins were made with."""
    from importlib import resources

    try:
        data = resources.files("spindetect").joinpath("data", "wordnet.json.gz").read_bytes()
    except OSError:
        return None
    return {"file": "wordnet.json.gz", "sha256": hashlib.sha256(data).hexdigest()}


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as JSON with sorted keys, two-space indent and a final newline."""
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
