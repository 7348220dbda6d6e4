"""Sources: where documents come from.

Owns the input record (:class:`Document`), the log of skipped inputs
(:class:`SkipLog`), reading files and directories of every supported format
(plain text, HTML, JSONL, WARC/WET, gzip), HTML-to-text extraction and
encoding detection, and the process pool that reads large inputs in parallel.
One concept per module: ``document`` (the record), ``skips`` (the skip log),
``paths`` (path planning and file kinds), ``reader`` (one file of each
format), ``http_body`` (HTTP transfer/content coding), ``archive_tail``
(truncated-archive checks), ``pool`` (the reader processes) and ``iterate``
(:func:`~spindetect.sources.iterate.iter_documents`, the entry point).
Adding an input format starts in ``reader`` and ``paths``. It may import
:mod:`spindetect.text` and the shared private helpers, nothing above.
"""
