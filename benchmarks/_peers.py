"""Peers of spindetect for the quality and scan benchmarks, plus shared harness helpers.

Every peer sees the same texts and, where a tokeniser applies, the same tokens:
:func:`forms` is spindetect's word definition and comparison form
(``spindetect.tokenize.WORD_PATTERN`` + ``normalize_token``, i.e. exactly
``tokenize(text).forms``) without building the span array.

Peers
-----
* ``exact_jaccard``: Jaccard of the word 5-gram string sets, ``|A & B| / |A | B|``.
* ``tfidf_cosine``: scikit-learn ``TfidfVectorizer`` (default settings, our tokens)
  fitted on every text of the benchmark, cosine of the L2-normalised rows.
* ``simhash``: 64-bit SimHash (Charikar 2002) over word n-gram features weighted
  by their count: ``v_j = sum_f w_f (2 bit_j(h_f) - 1)``, fingerprint bit ``j`` is
  ``v_j > 0``; similarity ``1 - hamming(a, b) / 64``.
* ``datasketch``: ``MinHash.bulk`` (128 permutations) on the 5-gram byte strings,
  ``MinHashLSH`` insert + query for candidate pairs.
* ``rensa``: ``RMinHash.from_token_sets`` on the 5-gram string lists (its own
  token path), ``RMinHashLSH`` insert + query; rensa needs ``bands | num_perm``,
  so datasketch's optimal (b, r) is rounded to a divisor of 128 (32x4 at 0.5,
  8x16 at 0.8).

A missing peer is an error with the pip command, never a silently dropped row.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import time
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from spindetect.text._hashing import hash_forms, ngram_hashes
from spindetect.text.normalization import normalize_token
from spindetect.text.tokens import WORD_PATTERN

PIP_HINT = "pip install -e '.[bench]'   (or: pip install datasketch rensa matplotlib psutil)"
NUM_PERM = 128
#: rensa bands for each LSH threshold (divisors of 128 nearest datasketch's optimum).
RENSA_BANDS = {0.3: 32, 0.5: 32, 0.8: 8}
SIMHASH_SEED = 0x5EED_51A5


class MissingPeerError(RuntimeError):
    """A benchmark peer is not installed."""


def require(module: str) -> ModuleType:
    """Import ``module`` or fail loudly with the command that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = f"benchmark peer {module!r} is not installed ({exc}); install it with: {PIP_HINT}"
        raise MissingPeerError(msg) from exc


def require_all() -> None:
    """Fail before any measurement when one of the peers is missing."""
    for name in ("datasketch", "rensa", "sklearn", "psutil"):
        require(name)


# --------------------------------------------------------------------------- tokens
def forms(text: str) -> list[str]:
    """Return spindetect's comparison forms of the words of ``text`` (``tokenize(text).forms``)."""
    return [normalize_token(w) for w in WORD_PATTERN.findall(text)]


def ngrams(words: Sequence[str], n: int = 5) -> list[str]:
    """Word ``n``-gram strings; fewer than ``n`` words give one shingle (spindetect's rule)."""
    if len(words) < n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


def shingle_lists(texts: Iterable[str], n: int = 5) -> list[list[str]]:
    """Word ``n``-gram string lists of every text (the Python peers' input)."""
    return [ngrams(forms(t), n) for t in texts]


# --------------------------------------------------------------------------- pair scores
def exact_jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Exact Jaccard of two shingle collections (two empty sets score 1)."""
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return 1.0 if union == 0 else len(sa & sb) / union


def tfidf_matrix(texts: Sequence[str]) -> Any:
    """Rows of L2-normalised TF-IDF vectors (sklearn defaults, spindetect tokens)."""
    text_mod = require("sklearn.feature_extraction.text")
    vec = text_mod.TfidfVectorizer(analyzer=forms)
    return vec.fit_transform(texts)


def row_cosines(matrix: Any, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cosine of rows ``left[k]`` and ``right[k]`` of an L2-normalised sparse matrix."""
    return np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1)).ravel()


def simhash(texts: Iterable[str], *, n: int = 1) -> np.ndarray:
    """64-bit SimHash fingerprints (uint64) over word ``n``-gram features."""
    out = []
    for text in texts:
        words = forms(text)
        if not words:
            out.append(np.uint64(0))
            continue
        feats = ngram_hashes(hash_forms(words), n, seed=SIMHASH_SEED)
        uniq, counts = np.unique(feats, return_counts=True)
        bits = np.unpackbits(
            uniq.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little"
        )
        weights_sign = bits.astype(np.int64) * 2 - 1
        v = counts.astype(np.int64) @ weights_sign
        packed = np.packbits(v > 0, bitorder="little").view("<u8")[0]
        out.append(np.uint64(packed))
    return np.array(out, dtype=np.uint64)


def simhash_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``1 - hamming(a, b) / 64`` for arrays of 64-bit fingerprints."""
    return 1.0 - np.bitwise_count(np.bitwise_xor(a, b)).astype(np.float64) / 64.0


def datasketch_minhashes(shingles: Sequence[Sequence[str]]) -> list:
    """Return datasketch ``MinHash.bulk`` of 5-gram byte strings (128 permutations, seed 1)."""
    ds = require("datasketch")
    return ds.MinHash.bulk([[s.encode() for s in sh] for sh in shingles], num_perm=NUM_PERM, seed=1)


def rensa_minhashes(shingles: Sequence[Sequence[str]]) -> list:
    """Return rensa `RMinHash.from_token_sets` of 5-gram string lists (128 perms, seed 1)."""
    rensa = require("rensa")
    return rensa.RMinHash.from_token_sets(shingles, NUM_PERM, 1)


# --------------------------------------------------------------------------- LSH peers
def _pairs_from_queries(results: Iterable[Iterable[int]]) -> np.ndarray:
    found = set()
    for i, keys in enumerate(results):
        for j in keys:
            j = int(j)
            if j != i:
                found.add((i, j) if i < j else (j, i))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.array(sorted(found), dtype=np.int64)


def datasketch_lsh_pairs(minhashes: Sequence, threshold: float) -> np.ndarray:
    """``MinHashLSH(threshold)``: insert every document, query every document; pairs i < j."""
    ds = require("datasketch")
    index = ds.MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for i, m in enumerate(minhashes):
        index.insert(i, m, check_duplication=False)
    return _pairs_from_queries(index.query(m) for m in minhashes)


def rensa_lsh_pairs(minhashes: Sequence, threshold: float) -> np.ndarray:
    """``RMinHashLSH(threshold, 128, bands)``: insert_many + query_all; pairs i < j."""
    rensa = require("rensa")
    index = rensa.RMinHashLSH(threshold, NUM_PERM, RENSA_BANDS[threshold])
    index.insert_many(minhashes, 0)
    return _pairs_from_queries(index.query_all(minhashes))


def estimate_pairs(minhashes: Sequence, pairs: np.ndarray) -> np.ndarray:
    """Each peer's own Jaccard estimate (``m.jaccard(other)``) for candidate pairs."""
    return np.array(
        [minhashes[i].jaccard(minhashes[j]) for i, j in pairs.tolist()], dtype=np.float64
    )


def shared_sample_counts(samples: Any, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Count the sampled n-grams that documents ``left[k]`` and ``right[k]`` share, for every k.

    ``samples`` is a :class:`spindetect.containment.SampledShingles` (each document's
    samples unique), as ``stages.fingerprint`` returns them.
    """
    h, off = samples.hashes, samples.offsets
    return np.array(
        [
            np.intersect1d(h[off[i] : off[i + 1]], h[off[j] : off[j + 1]], assume_unique=True).size
            for i, j in zip(left.tolist(), right.tolist(), strict=True)
        ],
        dtype=np.int64,
    )


def roc_metrics(pos: np.ndarray, neg: np.ndarray, *, fpr: float = 0.01) -> dict:
    """Recall at ``fpr``, ROC-AUC, the threshold and score medians."""
    from sklearn.metrics import roc_auc_score, roc_curve

    y = np.r_[np.ones(pos.size), np.zeros(neg.size)]
    s = np.r_[pos, neg]
    f, t, thr = roc_curve(y, s, drop_intermediate=False)
    ok = np.flatnonzero(f <= fpr)
    best = ok[np.argmax(t[ok])]
    return {
        "recall_at_fpr": float(t[best]),
        "threshold": float(thr[best]) if np.isfinite(thr[best]) else None,
        "auc": float(roc_auc_score(y, s)),
        "median_pos": float(np.median(pos)),
        "median_neg": float(np.median(neg)),
    }


# --------------------------------------------------------------------------- memory, time
def status_kib(field: str) -> int:
    """Return a /proc/self/status field in KiB (VmRSS, VmHWM); ru_maxrss if unreadable."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def reset_peak() -> bool:
    """Reset the kernel's RSS high-water mark; return False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class Stage:
    """Wall and CPU time of a block and its peak RSS: growth above the RSS before it, and absolute.

    The kernel's high-water mark is reset first (``/proc/self/clear_refs``), so the
    peak is the block's own; use one fresh process per measurement.
    """

    def __enter__(self) -> Stage:
        self.reset = reset_peak()
        self.rss0_kib = status_kib("VmRSS")
        self.c0 = time.process_time()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t0
        self.cpu_seconds = time.process_time() - self.c0
        peak = status_kib("VmHWM") if self.reset else status_kib("VmRSS")
        self.peak_mib = peak / 1024
        self.growth_mib = max(0, peak - self.rss0_kib) / 1024


# --------------------------------------------------------------------------- provenance
def package_version(name: str) -> str:
    """Installed version of a distribution, or ``'absent'``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def cpu_model() -> str:
    """CPU model from /proc/cpuinfo (platform.processor() as a fallback)."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict:
    """CPU model, cores, memory, OS, python and the versions of every package measured."""
    psutil = require("psutil")
    from spindetect import synth

    return {
        "cpu": cpu_model(),
        "cores_logical": os.cpu_count(),
        "cores_physical": psutil.cpu_count(logical=False),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "loadavg": list(os.getloadavg()),
        "generator_version": synth.GENERATOR_VERSION,
        "packages": {
            name: package_version(name)
            for name in (
                "spindetect",
                "numpy",
                "numba",
                "scikit-learn",
                "scipy",
                "datasketch",
                "rensa",
                "matplotlib",
                "psutil",
                "ftfy",
            )
        },
    }


def generator_fingerprint() -> str:
    """Short sha256 of the generator's sources (every module of ``spindetect.synth``).

    Cached data are named by ``GENERATOR_VERSION`` + parameters; this fingerprint is
    stored next to them so that an edit not (yet) reflected in the version also
    regenerates them.
    """
    import hashlib

    h = hashlib.sha256()
    package = Path(str(importlib.import_module("spindetect.synth").__file__)).parent
    for source in sorted(package.glob("*.py")):
        h.update(source.read_bytes())
    return h.hexdigest()[:16]


def write_json(path: str | os.PathLike[str], data: dict) -> None:
    """Write ``data`` as indented JSON (via a temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=float) + "\n")
    tmp.replace(path)


def growth_exponent(n1: float, t1: float, n2: float, t2: float) -> float:
    """Exponent ``k`` of ``t ~ N**k`` between two sizes: ``log(t2/t1) / log(n2/n1)``."""
    return float(np.log(t2 / t1) / np.log(n2 / n1))


DEFAULT_DATA_DIR = Path(os.environ.get("SPINDETECT_BENCH_DATA", "/tmp/spindetect-bench"))
