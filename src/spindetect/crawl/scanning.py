"""``spindetect.scan``: families of spun copies and near-duplicates in a crawl.

Documents stream in; texts are spooled to a temporary file (memory holds only
fingerprints, about 1.3 KB a document), unless the caller passed a sequence it
already holds in memory, which is then read in place; the stages of
:mod:`spindetect.crawl.stages`, driven by :func:`spindetect.crawl.pipeline.run`,
find and verify copy pairs; union-find groups whole-document copies into
families; each family is described (members, pair verdicts, titles, links and
who they point to) and the largest are explained with the full
:func:`~spindetect.compare` (inserted phrases, title/body mismatch, the
template text every member shares).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from spindetect._validation import (
    check_collection,
    check_instance,
    check_int,
    renamed_option,
)
from spindetect.crawl import pipeline
from spindetect.crawl.records import Progress, ScanResult
from spindetect.exceptions import InvalidParameterError
from spindetect.settings import ScanConfig
from spindetect.sources.document import Document
from spindetect.sources.skips import SkipLog

__all__ = ["scan"]


def scan(
    documents: Iterable[Document | str | tuple[str, str]],
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    batch_size: int = 2048,
    threads: int | None = None,
    progress: Progress | None = None,
    skipped: SkipLog | None = None,
    workers: int | None = None,
    inspect: bool = True,
    on_texts: pipeline.TextsHook | None = None,
) -> ScanResult:
    """Find copy pairs and families of copies among ``documents``.

    Parameters
    ----------
    documents : iterable of Document, str, or (id, text) tuples
        The crawl (for example :func:`spindetect.sources.iter_documents`);
        plain strings get ids ``"0"``, ``"1"``, ...
    config : ScanConfig, optional
        Fingerprints, LSH tables and verification thresholds.
    explain : int, default=20
        Explain this many of the largest families with the full compare.
    batch_size : int, default=2048
        Documents fingerprinted together (2048 ran faster and steadier than 8192
        or 32768 on the 100k benchmark crawl: smaller buffers, reused warm).
    threads : int or None, default=None
        Threads of the fingerprint kernel (None: all cores).
    progress : callable, optional
        Called as ``progress(stage, done, total)``.
    skipped : SkipLog, optional
        The log the reader records bad inputs in; its counts go into the summary.
    workers : int or None, default=None
        Former name of ``threads`` (deprecated).
    inspect : bool, default=True
        Give every document its spun score (:func:`spindetect.inspect_scores`, the
        text judged on its own): ``ScanResult.documents``, ``{"type": "document"}``
        records and ``summary["spun_documents"]`` (scores of at least 0.5).
    on_texts : callable, optional
        Called once at the end of the scan as ``on_texts(result, text_of,
        vocabulary)``, while the texts can still be read: ``text_of(doc_id)`` reads
        one document's text back (a report's side-by-side pair pages read the texts
        of their pairs so); ``vocabulary`` is the scan's learned
        :class:`~spindetect.FunctionWords` (None when it read no document), for
        ``compare(vocabulary=)``.

    Returns
    -------
    ScanResult

    Raises
    ------
    InvalidParameterError
        For a bad option, or ``documents`` that is a single string (which
        would be scanned one character a document) or not iterable.
    """
    check_collection("documents", documents)
    config = check_instance("config", config, ScanConfig) or ScanConfig()
    check_instance("skipped", skipped, SkipLog)
    if progress is not None and not callable(progress):
        raise InvalidParameterError(f"progress must be a callable or None, got {progress!r:.60}")
    if on_texts is not None and not callable(on_texts):
        raise InvalidParameterError(f"on_texts must be a callable or None, got {on_texts!r:.60}")
    check_int("explain", explain, low=0)
    check_int("batch_size", batch_size, low=1)
    threads = renamed_option("workers", workers, "threads", threads)
    with _cyclic_gc_paused():
        return pipeline.run(
            documents,
            config=config,
            explain=explain,
            batch_size=batch_size,
            threads=threads,
            progress=progress,
            skipped=skipped,
            inspect=inspect,
            on_texts=on_texts,
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the scan.

    A scan allocates hundreds of thousands of small acyclic objects (records,
    dicts, tuples); each allocation burst triggers full collections that walk
    the whole heap (measured: 1.0 s of a 5.0 s scan of 100k documents). Reference
    counting still frees everything; the collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
