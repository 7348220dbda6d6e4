"""Sketches: MinHash signatures, LSH band keys and sampled shingles.

Owns the compact fingerprints a crawl is compared by: the fused numba kernels
(text → shingle hashes → signatures), :class:`MinHasher` and the signature
specs, LSH banding and band tuning, the sampled word n-grams that find partial
copies by containment, and the parallel sort that pairs documents sharing a
key. Adding a fingerprint starts in ``minhash`` (a new kind of
:class:`SignatureSpec`). It may import :mod:`spindetect.text`.
"""
