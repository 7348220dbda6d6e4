"""Tests of spindetect.minhash: the MinHasher reference path and the fused text kernel."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spindetect.exceptions import IncompatibleSketchError, InvalidParameterError
from spindetect.sketch import _kernels
from spindetect.sketch.minhash import (
    EMPTY_VALUE,
    Fingerprinter,
    MinHasher,
    SignatureSpec,
    estimate_jaccard,
    fingerprint_texts,
    merge,
    multi_signatures,
    signatures,
)
from spindetect.text.shingles import content_shingles, skeleton_shingles, word_shingles
from spindetect.text.tokens import WORD_PATTERN, tokenize

M64 = (1 << 64) - 1


def brute_signature(hasher: MinHasher, shingles: list[int]) -> list[int]:
    """Python-int oracle of the multiply-shift permutations."""
    out = []
    for a, b in zip(hasher.a.tolist(), hasher.b.tolist(), strict=True):
        out.append(min((((a * x + b) & M64) >> 32) for x in shingles) if shingles else 0xFFFFFFFF)
    return out


def reference(text: str, kind: str, n: int | None, hasher: MinHasher) -> np.ndarray:
    forms = tokenize(text).forms
    if kind == "word":
        shingles = word_shingles(forms, n or 5)
    elif kind == "skeleton":
        shingles = skeleton_shingles(forms, n or 4)
    else:
        shingles = content_shingles(forms)
    return hasher.signature(shingles)


VARIED = [
    "",
    "   \n\t ",
    "...!?",
    "word",
    "Two words",
    "The quick brown fox jumps over the lazy dog.",
    "They're here, aren't they? Don't panic: it's rock'n'roll.",
    "Curly \u2019quotes\u2019 they\u2019re joined; dogs\u2019 tails\u2019 "
    "and \u2018single\u2019 ones",
    "a''b a'' ''a it's' 'tis o'clock \u2019\u2019x y\u2019\u2019",
    "a''b a'' ''a it's' 'tis o'clock x' 'y '' ' a'b'c' z'",  # ASCII-only (fast path)
    "'leading and trailing'",
    "x'",
    "Numbers 1,234.56 and 2024-01-31 plus 3rd_place and snake_case_words",
    "Na\u00efve caf\u00e9 \u00c0 LA CR\u00c8ME \u00d6sterreich \u00c6sir \u00de\u00f0 \u00ff\u00dd",
    "Stra\u00dfe GROSS \u00b5m \u00aa \u00ba 2\u00b2 \u00bc cup \u00b9\u00b3",
    "\uff26\uff55\uff4c\uff4c width \ufb01ne \u2160 ligatures \u2460",
    "Ελληνικά ΟΔΟΣ τελικός Σ Русский ТЕКСТ",
    "中文字符 日本語のテキスト العربية",
    "emoji \U0001f600 between \U0001f44d words \U0001d400\U0001d401 math bold",
    "combining e\u0301 accent and \u0130stanbul I\u0307 dotted",
    "\ud55c\uad6d\uc5b4 \u1100\u1161 jamo and \u3131\u314f compat",
    "lone \ud800 surrogate in text",
    "the of and to a in that is was he for it with as his on be at by this had",
    "one two three",
    "Peer support's benefits can't be overstated; it is what it is, isn't it?",
]


@pytest.mark.parametrize(
    "kind,n",
    [("word", 5), ("word", 1), ("word", 3), ("skeleton", 4), ("skeleton", 2), ("content", None)],
)
def test_kernel_equals_reference_path(kind: str, n: int | None) -> None:
    hasher = MinHasher(64, seed=7)
    got = signatures(VARIED, num_perm=64, seed=7, kind=kind, n=n, threads=1)
    want = np.stack([reference(t, kind, n, hasher) for t in VARIED])
    for i, text in enumerate(VARIED):
        assert np.array_equal(got[i], want[i]), (kind, n, text)


def test_kernel_equals_reference_on_random_unicode() -> None:
    rng = np.random.default_rng(3)
    pieces = [chr(c) for c in rng.integers(0x20, 0x3000, size=4000) if not 0xD800 <= c < 0xE000]
    pieces += list("aZ '\u2019 .,") * 200
    rng.shuffle(pieces)
    texts = ["".join(pieces[i : i + 400]) for i in range(0, len(pieces), 400)]
    hasher = MinHasher(32)
    for kind in ("word", "skeleton", "content"):
        got = signatures(texts, num_perm=32, kind=kind, n=2 if kind != "content" else None)
        want = np.stack([reference(t, kind, 2, hasher) for t in texts])
        assert np.array_equal(got, want), kind


def test_ascii_fast_path_equals_general_tokenizer() -> None:
    ascii_tab, cp_idx, form_off, form_blob = _kernels.codepoint_tables()
    rng = np.random.default_rng(5)
    alphabet = np.frombuffer(b"aB9_ '.'x\n-'", dtype=np.uint8)
    for length in [0, 1, 2, 3, 5, 50, 500]:
        for _ in range(20):
            buf = rng.choice(alphabet, size=length)
            fast = np.zeros(length + 2, dtype=np.uint64)
            slow = np.zeros(length + 2, dtype=np.uint64)
            n_fast = _kernels.tokenize_ascii(buf, 0, length, ascii_tab, fast)
            n_slow = _kernels.tokenize_hashes(
                buf, 0, length, ascii_tab, cp_idx, form_off, form_blob, slow
            )
            assert n_fast == n_slow
            assert np.array_equal(fast[:n_fast], slow[:n_slow]), bytes(buf)


def test_short_text_is_one_whole_sequence_shingle() -> None:
    # Fewer tokens than n: one shingle of the whole sequence, so two texts of
    # the same three words match exactly and differ from a different order.
    sig = signatures(["red green blue", "Red, green; BLUE!", "blue green red"], kind="word")
    assert estimate_jaccard(sig[0], sig[1]) == 1.0
    assert estimate_jaccard(sig[0], sig[2]) < 0.2


def test_empty_and_wordless_documents_give_empty_signature() -> None:
    sig = signatures(["", "  ... !!", "\U0001f600"], kind="word", num_perm=16)
    assert (sig == EMPTY_VALUE).all()
    # Content kind: a text made only of stopwords has no content words.
    assert (signatures(["the of and"], kind="content", num_perm=8) == EMPTY_VALUE).all()


def test_fallback_documents_are_flagged_and_still_exact() -> None:
    # Hangul jamo compose under NFKC across characters; the kernel hands such
    # documents to the reference path (and their value must still be exact).
    text = "\u1100\u1161 plus ordinary words here"
    _, cp_idx, _, _ = _kernels.codepoint_tables()
    assert cp_idx[0x1161] == _kernels.CP_RISKY
    hasher = MinHasher(16)
    assert np.array_equal(
        signatures([text], num_perm=16, kind="word")[0], reference(text, "word", 5, hasher)
    )


def test_word_characters_match_the_regex_for_every_code_point() -> None:
    ascii_tab, cp_idx, _, _ = _kernels.codepoint_tables()
    cps = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    text = "\x00".join(chr(c) for c in cps)
    regex_words = {ord(m.group()) for m in WORD_PATTERN.finditer(text)}
    table_words = {c for c in range(128) if ascii_tab[c] >= 2}
    table_words |= {
        int(c)
        for c in np.flatnonzero(
            (cp_idx >= 0) | (cp_idx == _kernels.CP_SAME) | (cp_idx == _kernels.CP_RISKY)
        )
        if c >= 128
    }
    assert regex_words == table_words


def test_stopword_table_holds_exactly_the_stopwords() -> None:
    from spindetect.text._hashing import hash_forms
    from spindetect.text.stopwords import STOPWORDS

    table = _kernels.stopword_table()
    mask = np.uint64(table.size - 1)

    def member(h: np.uint64) -> bool:
        return bool(table[h & mask] == h or table[(h >> np.uint64(32)) & mask] == h)

    assert all(member(h) for h in hash_forms(sorted(STOPWORDS)))
    others = hash_forms(["cat", "system", "thee", "them's", "yous", "ab"])
    assert not any(member(h) for h in others)
    assert np.count_nonzero(table) == len(STOPWORDS)


def test_threads_batches_and_generators_do_not_change_results() -> None:
    texts = [f"document number {i} says {'word ' * (i % 7)} and the end" for i in range(300)]
    one = signatures(texts, kind="word", n=2, threads=1)
    two = signatures(iter(texts), kind="word", n=2, threads=2, batch_size=100)  # threaded
    small = signatures(iter(texts), kind="word", n=2, threads=3, batch_size=17)  # inline
    assert np.array_equal(one, two) and np.array_equal(one, small)
    assert one.shape == (300, 128) and one.dtype == np.uint32


def test_workers_is_the_former_name_of_threads() -> None:
    texts = VARIED[:12]
    new = signatures(texts, kind="word", n=2, threads=2)
    with pytest.warns(DeprecationWarning, match="workers= is now called threads="):
        old = signatures(texts, kind="word", n=2, workers=2)
    np.testing.assert_array_equal(old, new)
    with pytest.warns(DeprecationWarning, match="threads="):
        multi = multi_signatures(texts, {"w": ("word", 2)}, workers=2)
    np.testing.assert_array_equal(multi["w"], new)
    with pytest.raises(InvalidParameterError, match="threads=1 and workers=2"):
        signatures(texts, threads=1, workers=2)


def test_multi_signatures_equal_single_kind_calls() -> None:
    texts = VARIED[:12]
    out = multi_signatures(
        texts, {"c": "content", "s": ("skeleton", 3, 32), "w": ("word", 5)}, seed=3
    )
    assert set(out) == {"c", "s", "w"}
    assert np.array_equal(out["c"], signatures(texts, kind="content", seed=3))
    assert np.array_equal(out["s"], signatures(texts, kind="skeleton", n=3, num_perm=32, seed=3))
    assert np.array_equal(out["w"], signatures(texts, kind="word", seed=3))
    assert out["s"].flags.c_contiguous


def test_multi_signatures_sequence_labels() -> None:
    out = multi_signatures(["a b c"], [SignatureSpec("word", 2), "content", ("skeleton",)])
    assert list(out) == ["word:2", "content", "skeleton:4"]
    with pytest.raises(InvalidParameterError, match="unique labels"):
        multi_signatures(["a"], [("word", 5, 64), ("word", 5, 128)])


def test_empty_collection_gives_empty_array() -> None:
    assert signatures([], num_perm=8).shape == (0, 8)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"kind": "char"}, "char"),
        ({"kind": "words"}, "kind must be one of"),
        ({"kind": "content", "n": 2}, "n must be an integer in \\[1, 1\\]"),
        ({"kind": "word", "n": 0}, "n must be"),
        ({"num_perm": 0}, "num_perm"),
        ({"seed": -1}, "seed"),
        ({"threads": 0}, "threads must be an integer"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_signatures_validates_options(kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        signatures(["some text"], **kwargs)


def test_signatures_rejects_a_single_string_and_non_strings() -> None:
    with pytest.raises(InvalidParameterError, match="single str"):
        signatures("just one text")
    with pytest.raises(InvalidParameterError, match="must hold str"):
        signatures(["fine", b"bytes"])


# -- MinHasher ---------------------------------------------------------------


def test_minhasher_parameters_are_deterministic_odd_and_prefix_stable() -> None:
    h = MinHasher(64, seed=5)
    assert np.array_equal(h.a, MinHasher(64, seed=5).a)
    assert not np.array_equal(h.a, MinHasher(64, seed=6).a)
    assert (h.a & np.uint64(1) == 1).all()
    big = MinHasher(256, seed=5)
    assert np.array_equal(big.a[:64], h.a) and np.array_equal(big.b[:64], h.b)
    raw = np.random.PCG64(5).random_raw(4)
    assert int(h.a[0]) == int(raw[0]) | 1 and int(h.b[0]) == int(raw[1])
    assert h == MinHasher(64, seed=5) and h != MinHasher(64, seed=6)
    assert not h.a.flags.writeable


def test_signature_matches_python_integer_oracle() -> None:
    rng = np.random.default_rng(0)
    shingles = rng.integers(0, 2**63, size=300, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    h = MinHasher(24, seed=11)
    want = brute_signature(h, [int(x) for x in shingles])
    assert h.signature(shingles).tolist() == want
    assert h.signatures([shingles, shingles[:5]])[0].tolist() == want
    few = [int(x) for x in shingles[:5]]
    assert h.signatures([shingles[:5]])[0].tolist() == brute_signature(h, few)


def test_signature_of_empty_set_and_duplicates() -> None:
    h = MinHasher(16)
    assert (h.signature(np.empty(0, dtype=np.uint64)) == EMPTY_VALUE).all()
    x = np.array([5, 9, 5, 9, 9], dtype=np.uint64)
    assert np.array_equal(h.signature(x), h.signature(np.array([9, 5], dtype=np.uint64)))
    bulk = h.signatures([x, np.empty(0, dtype=np.uint64)])
    assert (bulk[1] == EMPTY_VALUE).all() and np.array_equal(bulk[0], h.signature(x))


def test_signature_handles_sets_larger_than_one_block() -> None:
    x = np.arange(10_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h = MinHasher(8)
    assert np.array_equal(h.signature(x), h.signatures([x])[0])


def test_signature_input_validation() -> None:
    h = MinHasher(8)
    with pytest.raises(InvalidParameterError, match="1-D"):
        h.signature(np.zeros((2, 2), dtype=np.uint64))
    with pytest.raises(InvalidParameterError, match="integers"):
        h.signature(np.array([0.5]))
    assert np.array_equal(h.signature([1, 2, 3]), h.signature(np.array([1, 2, 3], np.uint64)))


def test_to_dict_round_trip_and_scheme_check() -> None:
    h = MinHasher(32, seed=9)
    d = h.to_dict()
    assert d == {"scheme": "multiply-shift-64", "num_perm": 32, "seed": 9}
    assert MinHasher.from_dict(d) == h
    with pytest.raises(IncompatibleSketchError, match="scheme"):
        MinHasher.from_dict({**d, "scheme": "affine32"})
    with pytest.raises(InvalidParameterError, match="num_perm"):
        MinHasher.from_dict({"seed": 1})


@pytest.mark.parametrize("num_perm", [0, 8193, 1.5, True])
def test_minhasher_rejects_bad_num_perm(num_perm: object) -> None:
    with pytest.raises(InvalidParameterError, match="num_perm"):
        MinHasher(num_perm)  # type: ignore[arg-type]


# -- estimator and merge ------------------------------------------------------


def test_estimate_jaccard_values_and_shapes() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint32)
    b = np.array([1, 2, 0, 0], dtype=np.uint32)
    assert estimate_jaccard(a, b) == 0.5
    assert estimate_jaccard(a, a) == 1.0
    rows = estimate_jaccard(np.stack([a, a]), np.stack([b, a]))
    assert rows.tolist() == [0.5, 1.0]
    with pytest.raises(IncompatibleSketchError, match="same shape"):
        estimate_jaccard(a, a[:3])
    with pytest.raises(IncompatibleSketchError):
        estimate_jaccard(np.stack([a, a]), a)


def test_estimate_tracks_exact_jaccard_on_text() -> None:
    base = " ".join(f"w{i}" for i in range(400))
    edited = base.replace("w10 ", "x10 ").replace("w200 ", "x200 ")
    sig = signatures([base, edited], kind="word", num_perm=256)
    exact = 386 / 406  # 396 five-grams each, 10 differ on each side
    assert abs(estimate_jaccard(sig[0], sig[1]) - exact) < 4 / 16


def test_merge_is_signature_of_union() -> None:
    h = MinHasher(32)
    x = np.arange(0, 50, dtype=np.uint64)
    y = np.arange(30, 90, dtype=np.uint64)
    assert np.array_equal(merge(h.signature(x), h.signature(y)), h.signature(np.union1d(x, y)))
    with pytest.raises(IncompatibleSketchError):
        merge(h.signature(x), MinHasher(16).signature(x))
    with pytest.raises(InvalidParameterError):
        merge()


@pytest.mark.parametrize("workers", [1, 2])
def test_fingerprint_texts_fuses_signatures_and_samples(workers: int) -> None:
    specs = {"skel": SignatureSpec("skeleton", 4, 64), "cont": SignatureSpec("content", 1, 32)}
    texts = VARIED * 30  # enough documents for several thread ranges
    sigs, samples = fingerprint_texts(
        texts, specs, workers=workers, batch_size=200, sample_n=3, sample_mod=2
    )
    alone = multi_signatures(texts, specs, threads=workers)
    for name in specs:
        np.testing.assert_array_equal(sigs[name], alone[name])
    assert len(samples) == len(texts)
    for d, text in enumerate(texts):
        forms = tokenize(text).forms
        grams = word_shingles(forms, 3)
        want = grams[grams % np.uint64(2) == 0]  # sorted and unique, as word_shingles is
        got = samples.hashes[samples.offsets[d] : samples.offsets[d + 1]]
        assert np.unique(got).size == got.size  # unique (in text order)
        np.testing.assert_array_equal(np.sort(got), want, err_msg=repr(text))
        assert samples.totals[d] == max(len(forms) - 2, min(len(forms), 1))


@pytest.mark.parametrize("expected_docs", [0, 3, 1000])
def test_fingerprinter_batches_equal_one_pass(expected_docs: int) -> None:
    # Batches of uneven size (one empty, several single) through stores that start
    # empty, too small or too large must give what one pass over all texts gives.
    specs = {"skel": SignatureSpec("skeleton", 4, 32), "cont": SignatureSpec("content", 1, 16)}
    texts = VARIED * 9
    sigs, samples = fingerprint_texts(texts, specs, workers=2, sample_n=3, sample_mod=2)
    cuts = [0, 1, 1, 2, 7, 70, len(texts)]
    with Fingerprinter(
        specs, workers=2, sample_n=3, sample_mod=2, expected_docs=expected_docs
    ) as fingerprinter:
        for lo, hi in itertools.pairwise(cuts):
            fingerprinter.add(texts[lo:hi])
        got_sigs, got = fingerprinter.result()
    assert len(fingerprinter) == len(texts)
    for name in specs:
        assert got_sigs[name].flags.c_contiguous
        np.testing.assert_array_equal(got_sigs[name], sigs[name])
    np.testing.assert_array_equal(got.offsets, samples.offsets)
    np.testing.assert_array_equal(got.hashes, samples.hashes)
    np.testing.assert_array_equal(got.totals, samples.totals)


def test_fingerprinter_without_samples_and_from_a_generator() -> None:
    specs = {"w": SignatureSpec("word", 2, 16)}
    texts = VARIED * 3
    from_list, none = fingerprint_texts(texts, specs, batch_size=5)
    from_stream, _ = fingerprint_texts(iter(texts), specs, batch_size=5)
    np.testing.assert_array_equal(from_list["w"], from_stream["w"])
    assert none.offsets.tolist() == [0] * (len(texts) + 1)
    assert none.totals.tolist() == [0] * len(texts)
    with pytest.raises(InvalidParameterError, match="expected_docs"):
        Fingerprinter(specs, expected_docs=-1)


def test_fingerprint_texts_without_samples_and_validation() -> None:
    sigs, samples = fingerprint_texts(["a b c", "d e"], {"w": SignatureSpec("word", 2, 16)})
    assert sigs["w"].shape == (2, 16)
    assert samples.hashes.size == 0 and samples.offsets.tolist() == [0, 0, 0]
    with pytest.raises(InvalidParameterError, match="sample_n"):
        fingerprint_texts(["x"], {}, sample_n=-1)
    with pytest.raises(InvalidParameterError, match="sample_mod"):
        fingerprint_texts(["x"], {}, sample_n=2, sample_mod=0)
