"""Seeds of the generator's random streams, derived from strings, never from ``hash()``.

Everything the generator makes is a function of ``seed``: each random stream is
named by a string such as ``"spindetect.corpus:{seed}:pair:{k}"`` and seeded from
it (SHA-512 inside :class:`random.Random` for string seeds, SHA-256 here and for
numpy generators), never from Python's salted ``hash()``. The stream names
keep the ``spindetect.corpus`` prefix of the module the generator grew in:
changing them would change every generated corpus.
"""

from __future__ import annotations

import hashlib

__all__ = ["derive_seed"]


def derive_seed(seed: int, name: str, index: int) -> int:
    """Return a stable 63-bit seed for sub-stream ``name``/``index`` of ``seed``."""
    digest = hashlib.sha256(f"spindetect.corpus:{seed}:{name}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1
