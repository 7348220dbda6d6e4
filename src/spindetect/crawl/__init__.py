"""Crawl: finding copies among many documents.

Owns the one pipeline runner (``pipeline``: fingerprint → candidates →
verify → families → records) that :func:`scan`, :class:`SpinIndex` and any
other engine drive, the stages it runs, the records it produces, family
description, and the on-disk SQLite index. A new engine calls the stages of
``stages`` and the runner's steps. It may import every layer below it
(``text``, ``sources``, ``sketch``, ``pairwise``).
"""
