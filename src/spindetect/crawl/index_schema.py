"""The on-disk index's SQLite layout and the parameters stored with it.

Tables (measurements and the choice of SQLite in ``research/ecosystem.md``
section 5) are described in :mod:`spindetect.crawl.index`. Parameters that
change fingerprints (``ScanConfig.to_dict()`` and the signature specs) are
stored in ``meta``; an index built with other parameters is refused.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from spindetect.settings import LshTable, ScanConfig, VerifyRules
from spindetect.sketch import lsh
from spindetect.text.function_words import FunctionWords

__all__ = [
    "BAND_JOIN",
    "FORMAT",
    "PAGE_SIZE",
    "SAMPLE_JOIN",
    "SCHEMA",
    "SCHEMA_VERSION",
    "TEMP_TABLES",
    "band_keys",
    "band_tables",
    "config_from",
    "dumps",
    "meta_rows",
    "params",
    "set_pragmas",
    "spec_list",
    "split_signatures",
]

#: Version of the table layout; an index of another version is refused.
SCHEMA_VERSION = 1
FORMAT = "spindetect-index"
PAGE_SIZE = 16384
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash BLOB NOT NULL,
    title TEXT,
    url TEXT,
    source TEXT,
    added_at REAL NOT NULL,
    links TEXT,
    sigs BLOB NOT NULL,
    samples BLOB NOT NULL
);
CREATE TABLE bands (
    tbl INTEGER NOT NULL, key INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (tbl, key, doc)
) WITHOUT ROWID;
CREATE TABLE samples (
    hash INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (hash, doc)
) WITHOUT ROWID;
"""

# Capped lookups: at most max_bucket documents per band key, max_df + 1 per sample
# (a covering seek on the clustered primary key for each query row).
BAND_JOIN = """
SELECT q.rowid, b.doc FROM q_bands q JOIN bands b
ON b.tbl = q.tbl AND b.key = q.key
AND b.doc IN (SELECT doc FROM bands WHERE tbl = q.tbl AND key = q.key LIMIT ?)
"""
SAMPLE_JOIN = """
SELECT q.rowid, s.doc FROM q_samples q JOIN samples s
ON s.hash = q.hash AND s.doc IN (SELECT doc FROM samples WHERE hash = q.hash LIMIT ?)
"""

TEMP_TABLES = """
CREATE TEMP TABLE IF NOT EXISTS q_ids (id TEXT PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS q_bands (tbl INTEGER, key INTEGER);
CREATE TEMP TABLE IF NOT EXISTS q_samples (hash INTEGER);
CREATE TEMP TABLE IF NOT EXISTS q_docs (doc INTEGER PRIMARY KEY);
"""


def set_pragmas(db: sqlite3.Connection) -> None:
    """Set the connection's journal, sync, cache and temp-store pragmas."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -65536")  # 64 MiB
    db.execute("PRAGMA temp_store = MEMORY")


def spec_list(config: ScanConfig) -> list[tuple[str, int]]:
    """Return (label, num_perm) of every signature spec, in stored-blob order."""
    return [(label, spec.num_perm) for label, spec in sorted(config.specs().items())]


def params(config: ScanConfig) -> dict[str, Any]:
    """Everything that must match for stored fingerprints to be comparable."""
    return {
        **config.to_dict(),
        "specs": [
            [label, spec.kind, spec.n, spec.num_perm]
            for label, spec in sorted(config.specs().items())
        ],
    }


def dumps(data: Any) -> str:
    """Return compact, key-sorted JSON (for messages comparing parameters)."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def meta_rows(config: ScanConfig) -> list[tuple[str, str]]:
    """Return the ``meta`` rows a new index is created with."""
    from spindetect import __version__

    full = {
        "tables": [[t.kind, t.n, t.num_perm, t.threshold, t.bands, t.rows] for t in config.tables],
        "seed": config.seed,
        "sample_n": config.sample_n,
        "sample_mod": config.sample_mod,
        "min_shared": config.min_shared,
        "max_df": config.max_df,
        "max_bucket": config.max_bucket,
        "rules": dataclasses.asdict(config.rules),
    }
    return [
        ("format", FORMAT),
        ("schema_version", str(SCHEMA_VERSION)),
        ("params", json.dumps(params(config), sort_keys=True)),
        ("config", json.dumps(full, sort_keys=True)),
        ("created_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        ("created_by", f"spindetect {__version__}"),
    ]


def config_from(full: dict[str, Any]) -> ScanConfig:
    """Return the ScanConfig stored in ``meta["config"]``."""
    tables = tuple(
        LshTable(kind, n, num_perm, threshold, bands, rows)
        for kind, n, num_perm, threshold, bands, rows in full["tables"]
    )
    for table in tables:  # stored for the index lookup, not given by the user: no warning
        object.__setattr__(table, "_given_bands", False)
    return ScanConfig(
        tables=tables,
        seed=full["seed"],
        sample_n=full["sample_n"],
        sample_mod=full["sample_mod"],
        min_shared=full["min_shared"],
        max_df=full["max_df"],
        max_bucket=full["max_bucket"],
        rules=VerifyRules(**full["rules"]),
    )


def band_keys(config: ScanConfig, signatures: Mapping[str, np.ndarray]) -> np.ndarray:
    """Band keys of every table of ``config``, side by side: shape (n_docs, total bands)."""
    cols = [
        lsh.band_keys(signatures[t.label], t.bands, t.rows)  # type: ignore[arg-type]
        for t in config.tables
    ]
    return np.ascontiguousarray(np.hstack(cols))


def band_tables(config: ScanConfig) -> np.ndarray:
    """Return the table number of each column of :func:`band_keys`."""
    return np.concatenate(
        [
            np.full(t.bands, k, dtype=np.int64)  # type: ignore[arg-type]
            for k, t in enumerate(config.tables)
        ]
    )


def split_signatures(specs: list[tuple[str, int]], sigs: np.ndarray) -> dict[str, np.ndarray]:
    """Cut stored signature rows (specs side by side) into one array per spec."""
    out = {}
    col = 0
    for label, k in specs:
        out[label] = sigs[:, col : col + k]
        col += k
    return out


#: ``meta`` key of the function words the index's fingerprints were computed with.
VOCABULARY_KEY = "function_words"


def vocabulary_to_meta(words: FunctionWords) -> str:
    """Return the ``meta`` value of a vocabulary: its learned count and function-word hashes.

    ``learned == 0`` means the English list (no hashes stored).
    """
    hashes = [] if words.learned == 0 else words.hashes.view(np.int64).tolist()
    return json.dumps({"learned": int(words.learned), "hashes": hashes})


def vocabulary_from_meta(value: str | None) -> FunctionWords:
    """Return the function words of an index (the English list when none was stored).

    An index written before the vocabulary was stored was fingerprinted with the
    English list, so a missing value means English.
    """
    english = FunctionWords.english()
    if value is None:
        return english
    data = json.loads(value)
    learned = int(data["learned"])
    if learned == 0:
        return english
    hashes = np.unique(np.asarray(data["hashes"], dtype=np.int64).view(np.uint64))
    return dataclasses.replace(english, hashes=hashes, learned=learned)
