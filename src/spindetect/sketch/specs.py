"""What to compute from a text: :class:`SignatureSpec` (shingle kind, n, permutations).

The fused kernel of :mod:`spindetect.sketch.minhash` computes word, skeleton and
content signatures; a spec names one of them, and :func:`named_specs` turns what
a caller passes (a spec, a kind name, a tuple, a list or a mapping of them) into
the labelled specs a run computes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spindetect._validation import check_choice, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.sketch.minhasher import MAX_PERM

__all__ = ["SignatureSpec", "named_specs"]

_KERNEL_KINDS = ("word", "skeleton", "content")
_DEFAULT_N = {"word": 5, "skeleton": 4, "content": 1}


@dataclass(frozen=True)
class SignatureSpec:
    """One signature to compute from text: shingle kind, n-gram length, permutations.

    Parameters
    ----------
    kind : {'word', 'skeleton', 'content'}
        ``word``: word n-grams; ``skeleton``: n-grams of the function-word
        sequence; ``content``: content-word unigrams (see :mod:`spindetect.shingle`).
    n : int or None, default=None
        Words per shingle: 5 for ``word``, 4 for ``skeleton``; ``content`` only
        accepts 1 or None.
    num_perm : int, default=128
        Signature length.
    """

    kind: str
    n: int | None = None
    num_perm: int = 128

    def __post_init__(self) -> None:
        if self.kind == "char":
            raise InvalidParameterError(
                "kind 'char' is not computed by the fused kernel; use "
                "MinHasher.signatures([char_shingles(t, n) for t in texts])"
            )
        check_choice("kind", self.kind, _KERNEL_KINDS)
        if self.n is None:
            object.__setattr__(self, "n", _DEFAULT_N[self.kind])
        elif self.kind == "content":
            check_int("n", self.n, low=1, high=1)
        else:
            check_int("n", self.n, low=1, high=64)
        check_int("num_perm", self.num_perm, low=1, high=MAX_PERM)

    @property
    def label(self) -> str:
        """Default result key: ``'content'``, ``'word:5'``, ``'skeleton:4'``."""
        return self.kind if self.kind == "content" else f"{self.kind}:{self.n}"

    @classmethod
    def coerce(cls, spec: SignatureSpec | str | Sequence[Any]) -> SignatureSpec:
        """Accept a spec, a kind name, or a tuple ``(kind[, n[, num_perm]])``."""
        if isinstance(spec, SignatureSpec):
            return spec
        if isinstance(spec, str):
            return cls(spec)
        if isinstance(spec, Sequence) and 1 <= len(spec) <= 3:
            return cls(*spec)
        raise InvalidParameterError(
            f"spec must be a SignatureSpec, a kind or a tuple (kind, n, num_perm), got {spec!r}"
        )


def named_specs(specs: Any) -> dict[str, SignatureSpec]:
    """Return ``{label: spec}`` for a spec, a kind, a tuple, or a sequence or mapping of them."""
    if isinstance(specs, Mapping):
        named = {str(k): SignatureSpec.coerce(v) for k, v in specs.items()}
    elif isinstance(specs, (str, SignatureSpec)):
        named = {SignatureSpec.coerce(specs).label: SignatureSpec.coerce(specs)}
    elif isinstance(specs, Sequence):
        coerced = [SignatureSpec.coerce(s) for s in specs]
        named = {s.label: s for s in coerced}
        if len(named) != len(coerced):
            labels = [s.label for s in coerced]
            raise InvalidParameterError(
                f"specs must have unique labels (pass a mapping to name them), got {labels!r}"
            )
    else:
        raise InvalidParameterError(f"specs must be a mapping or a sequence, got {specs!r}")
    if not named:
        raise InvalidParameterError("specs must hold at least one spec, got none")
    return named
