"""A tiny deterministic generator of English-like documents for speed benchmarks.

Words follow a Zipf-Mandelbrot law (s = 1.0, q = 2.7) over a vocabulary whose
150 most frequent ranks are real function words (about 40 % of running words,
like perf.md's corpus) and the rest pseudo-words of 2-12 letters (English letter
frequencies). Sentences have geometric lengths (mean 16 words), start with a
capital and end in ". ", ", ", "? " or "; ". About 3.3 KB per 500-word doc.
Only for timing: the documents carry no near-duplicate structure.
"""

from __future__ import annotations

import numpy as np

FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but "
    "from or have an they which one you were her all she there would their we him been has when "
    "who will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most made "
    "after also did many before must through back years where much your way well down should "
    "because each just those people how too little state good very make world still own see men "
    "work long get here between both life being under never day same another know while last "
    "might us great old year off come since against go came right used take three four"
).split()


def make_docs(n_docs: int, *, words: int = 500, seed: int = 0, vocab: int = 50_000) -> list[str]:
    """Return ``n_docs`` documents of ``words`` +- 50 words each (deterministic in ``seed``)."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    freq = np.array(
        [
            12.7,
            9.1,
            8.2,
            7.5,
            7.0,
            6.7,
            6.3,
            6.1,
            6.0,
            4.3,
            4.0,
            2.8,
            2.8,
            2.4,
            2.4,
            2.2,
            2.0,
            2.0,
            1.9,
            1.5,
            1.0,
            0.8,
            0.2,
            0.2,
            0.1,
            0.1,
        ]
    )
    lengths = rng.integers(2, 13, size=vocab)
    pool = rng.choice(letters, size=int(lengths.sum()), p=freq / freq.sum())
    cuts = np.concatenate(([0], np.cumsum(lengths)))
    pseudo = ["".join(pool[cuts[i] : cuts[i + 1]]) for i in range(vocab)]
    head = FUNCTION_WORDS[:150]
    table = np.array(head + pseudo[: vocab - len(head)], dtype=object)
    capital = np.array([w.capitalize() for w in table], dtype=object)
    ranks = np.arange(1, vocab + 1, dtype=np.float64)
    cdf = np.cumsum(1.0 / (ranks + 2.7))
    cdf /= cdf[-1]
    counts = rng.integers(words - 50, words + 51, size=n_docs)
    bounds = np.concatenate(([0], np.cumsum(counts)))
    total = int(bounds[-1])
    ids = np.minimum(np.searchsorted(cdf, rng.random(total), side="right"), vocab - 1)
    is_end = rng.random(total) < 1 / 16  # sentences of geometric length, mean 16
    is_end[bounds[1:] - 1] = True
    is_start = np.zeros(total, dtype=bool)
    is_start[1:] = is_end[:-1]
    is_start[bounds[:-1]] = True
    punct = rng.choice(
        np.array([". ", ", ", "? ", "; "], dtype=object), size=total, p=[0.8, 0.1, 0.05, 0.05]
    )
    parts = np.where(is_start, capital[ids], table[ids]) + np.where(is_end, punct, " ")
    return ["".join(parts[bounds[d] : bounds[d + 1]].tolist()).rstrip() for d in range(n_docs)]


def add_near_duplicates(
    docs: list[str], *, share: float = 0.1, rate: tuple[float, float] = (0.02, 0.10), seed: int = 1
) -> tuple[list[str], list[tuple[int, int]]]:
    """Append edited copies of a ``share`` of ``docs``; return (docs, (source, copy) pairs).

    Each copy substitutes, inserts or deletes a ``rate`` fraction of its source's
    words (uniform in the given range), like perf.md's near-duplicates.
    """
    rng = np.random.default_rng(seed)
    n = len(docs)
    sources = rng.choice(n, size=int(n * share), replace=False)
    out = list(docs)
    pairs = []
    for src in sources.tolist():
        words = docs[src].split(" ")
        edits = max(1, int(len(words) * rng.uniform(*rate)))
        for pos in sorted(rng.choice(len(words), size=edits, replace=False).tolist(), reverse=True):
            op = rng.integers(3)
            if op == 0:
                words[pos] = "zq" + words[pos]
            elif op == 1:
                words.insert(pos, "inserted")
            else:
                del words[pos]
        pairs.append((src, len(out)))
        out.append(" ".join(words))
    return out, pairs
