"""Sources: where documents come from.

Owns the input record (:class:`Document`), the log of skipped inputs
(:class:`SkipLog`), reading files and directories of every supported format
(plain text, HTML, JSONL, WARC/WET, gzip), HTML-to-text extraction and
encoding detection, and the process pool that reads large inputs in parallel.
Adding an input format starts in ``formats``/``reading``. It may import
:mod:`spindetect.text` and the shared private helpers, nothing above.
"""
