"""Compiled kernels of the Markov chain: walk many chains at once, spell their sentences.

:func:`walk` runs chains on a block of uniforms and keeps the sentences that
are new (see :class:`spindetect.synth.markov.MarkovChain`) and, with a seen
filter (:class:`spindetect.synth.streams.SeenFilter`), not handed out before;
:func:`seen_probe` tests and sets one item of that filter; :func:`spell` turns
rows of word ids into UTF-8 text. They are numba-compiled (and cached on disk)
and take only numpy arrays and scalars.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["seen_probe", "spell", "walk"]


@numba.njit(cache=True, nogil=True)
def seen_probe(seen: np.ndarray, h: np.uint64, add: bool) -> bool:  # pragma: no cover
    """Test (and with ``add`` set) hash ``h`` in the one-word-per-item Bloom filter ``seen``."""
    x = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
    word = np.int64(x & np.uint64(seen.size - 1))
    bits = (
        (np.uint64(1) << (x >> np.uint64(58)))
        | (np.uint64(1) << ((x >> np.uint64(52)) & np.uint64(63)))
        | (np.uint64(1) << ((x >> np.uint64(46)) & np.uint64(63)))
    )
    found: bool = (seen[word] & bits) == bits
    if add:
        seen[word] |= bits
    return found


@numba.njit(cache=True, nogil=True)
def walk(
    uniforms: np.ndarray,
    offsets: np.ndarray,
    counts: np.ndarray,
    next_word: np.ndarray,
    next_state: np.ndarray,
    backoff: np.ndarray,
    backoff_rate: float,
    form_hash: np.ndarray,
    word_tokens: np.ndarray,
    run_bits: np.ndarray,
    training_runs: np.ndarray,
    training_sentences: np.ndarray,
    run: int,
    keep_copies: bool,
    seen: np.ndarray,
    gram: int,
    out: np.ndarray,
    length: np.ndarray,
    new: np.ndarray,
) -> int:  # pragma: no cover
    """Run chains on ``uniforms`` until ``out`` is full or they run out; return rows filled.

    A row gets the word ids of one sentence of 6 to 40 words, its length and
    whether it is new (no training sentence, no run of ``run`` training words).
    After the first word, a share ``backoff_rate`` of the steps continue from
    the order-1 context of the last word (``backoff[state]``).
    Without ``keep_copies`` a chain stops at the first copied run and its
    sentence is dropped. ``run_bits`` marks the top 21 bits of the training
    runs' hashes, so most runs skip the binary search. With a ``seen`` filter
    (more than one word) a sentence is also dropped when it, or one of its runs
    of ``gram`` tokens (shortest runs of words holding that many tokens of
    :data:`spindetect.text.tokens.WORD_PATTERN`, ``word_tokens`` per word, with a
    start and an end marker of one token each, so the 7 tokens that open or
    close a sentence make a run) was handed out before; kept ones are added to
    it. ``gram=0`` checks whole sentences only.
    """
    mult = np.uint64(0x9E3779B97F4A7C15)
    width = out.shape[1]
    forms = np.zeros(width, dtype=np.uint64)
    marked = np.zeros(width + 2, dtype=np.uint64)
    tokens = np.zeros(width + 2, dtype=np.int64)
    use_seen = seen.size > 1
    rows = 0
    used = 0
    while rows < out.shape[0] and used + width <= uniforms.size:
        state = 0
        size = 0
        copied = False
        ended = False
        while size < width:
            u = uniforms[used]
            used += 1
            if size > 0:
                if u < backoff_rate:
                    state = backoff[state]
                    u = u / backoff_rate
                else:
                    u = (u - backoff_rate) / (1.0 - backoff_rate)
            slot = np.int64(offsets[state]) + min(
                np.int64(u * counts[state]), np.int64(counts[state]) - 1
            )
            word = next_word[slot]
            if word == 0:
                ended = True
                break
            out[rows, size] = word
            forms[size] = form_hash[word]
            size += 1
            if size >= run and not copied:
                h = np.uint64(0)
                for k in range(size - run, size):
                    h = h * mult + forms[k]
                top = h >> np.uint64(43)
                if (run_bits[top >> np.uint64(3)] >> (top & np.uint64(7))) & np.uint8(1):
                    at = np.searchsorted(training_runs, h)
                    if at < training_runs.size and training_runs[at] == h:
                        copied = True
                        if not keep_copies:
                            break
            state = next_state[slot]
        if not ended or size < 6 or (copied and not keep_copies):
            continue
        whole = np.uint64(0)
        for k in range(width):
            whole = whole * mult + (forms[k] if k < size else np.uint64(0))
        if not copied:
            at = np.searchsorted(training_sentences, whole)
            copied = bool(at < training_sentences.size and training_sentences[at] == whole)
            if copied and not keep_copies:
                continue
        if use_seen:
            # the sentence between start and end markers (forms 1 and 2, one token each)
            marked[0] = 1
            tokens[0] = 1
            for k in range(size):
                marked[k + 1] = forms[k]
                tokens[k + 1] = word_tokens[out[rows, k]]
            marked[size + 1] = 2
            tokens[size + 1] = 1
            repeated = seen_probe(seen, whole, False)
            for add in (False, True):
                if repeated:
                    break
                if add:
                    seen_probe(seen, whole, True)
                for start in range(size + 2 if gram > 0 else 0):
                    h = np.uint64(0)
                    count = 0
                    end = start
                    while end < size + 2 and count < gram:
                        h = h * mult + marked[end]
                        count += tokens[end]
                        end += 1
                    if count < gram:
                        break
                    if add:
                        seen_probe(seen, h, True)
                    elif seen_probe(seen, h, False):
                        repeated = True
                        break
            if repeated:
                continue
        for k in range(size, width):
            out[rows, k] = 0
        length[rows] = size
        new[rows] = not copied
        rows += 1
    return rows


@numba.njit(cache=True, nogil=True)
def spell(
    out: np.ndarray, length: np.ndarray, blob: np.ndarray, offsets: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """Return the UTF-8 bytes of the rows' words, spaces between words, newlines between rows."""
    total = 0
    for r in range(length.size):
        for k in range(length[r]):
            w = out[r, k]
            total += offsets[w + 1] - offsets[w] + 1
    text = np.empty(total - 1, dtype=np.uint8)
    at = 0
    for r in range(length.size):
        for k in range(length[r]):
            w = out[r, k]
            for b in range(offsets[w], offsets[w + 1]):
                text[at] = blob[b]
                at += 1
            if at < text.size:
                text[at] = 32 if k + 1 < length[r] else 10
                at += 1
    return text
