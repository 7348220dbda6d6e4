"""Render: results for people and programs.

Owns the terminal and JSON rendering of a comparison, the HTML reports
(jinja2, autoescaped, strict CSP) with their templates, and the scan output
writers (JSONL, CSV, Parquet, HTML). A new output format goes into
``writers``. It may import ``pairwise`` and ``crawl`` records, never the
reverse.
"""
