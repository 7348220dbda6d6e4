"""The shipped logistic model over the inspection signals, and how it is fit.

The spun score of a text with shrunk signals :math:`x'` (see
:mod:`spindetect.inspection.signals`) is

.. math::

    s = \\sigma\\Big(b + \\sum_i w_i \\frac{x'_i - \\mu_i}{\\sigma_i}\\Big),
    \\qquad \\sigma(z) = \\frac{1}{1 + e^{-z}},

with the natural-text means :math:`\\mu` and spreads :math:`\\sigma_i`, weights
:math:`w` and intercept :math:`b` stored as JSON in
``spindetect/data/inspect_model.json`` (written by ``tools/fit_inspect.py``; no
pickle). The intercept already holds the calibrated decision: a text is judged
spun when :math:`s \\ge 0.5`. The term :math:`w_i (x'_i - \\mu_i)/\\sigma_i` is the
*contribution* of signal ``i``, in logit units.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ._deps import IndexFormatError
from .signals import SIGNALS

__all__ = ["FORMAT", "Model", "fit_model"]

FORMAT = "spindetect-inspect-model/1"

_LOCK = threading.Lock()
_DEFAULT: Model | None = None


@dataclass(frozen=True, eq=False)
class Model:
    """Coefficients of the logistic spun-text model.

    Attributes
    ----------
    signals : tuple of str
        Signal names, the column order of the arrays.
    mean, scale : numpy.ndarray of float64
        Natural-text mean and spread of each signal (standardisation).
    coef : numpy.ndarray of float64
        Weight of each standardised signal.
    intercept : float
        Logit offset, including the calibrated decision threshold.
    shrink_tokens : float
        Pseudo-tokens of natural text mixed into every text's signals.
    info : dict
        How the model was fit (data, regularisation, figures), for the record.
    """

    signals: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    shrink_tokens: float
    info: Mapping[str, Any]

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Model:
        """Build a model from its JSON document.

        Raises
        ------
        IndexFormatError
            If the document is not a model of format ``spindetect-inspect-model/1``
            over the signals this version computes.
        """
        try:
            if document.get("format") != FORMAT:
                msg = f"inspection model format must be {FORMAT!r}, got {document.get('format')!r}"
                raise IndexFormatError(msg)
            signals = tuple(document["signals"])
            if signals != SIGNALS:
                raise IndexFormatError(f"inspection model signals {signals} != {SIGNALS}")
            arrays = [np.asarray(document[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
            if any(a.shape != (len(SIGNALS),) for a in arrays) or np.any(arrays[1] <= 0):
                raise IndexFormatError("inspection model arrays have the wrong shape or scale")
            return cls(signals=signals, mean=arrays[0], scale=arrays[1], coef=arrays[2],
                       intercept=float(document["intercept"]),
                       shrink_tokens=float(document["shrink_tokens"]),
                       info=dict(document.get("info", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IndexFormatError(f"inspection model is malformed: {exc!r}") from exc

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of this model."""
        return {
            "format": FORMAT,
            "signals": list(self.signals),
            "mean": [round(float(v), 8) for v in self.mean],
            "scale": [round(float(v), 8) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "shrink_tokens": self.shrink_tokens,
            "info": dict(self.info),
        }

    @classmethod
    def load(cls, path: str | Path | None = None) -> Model:
        """Read a model file (default: the bundled ``inspect_model.json``)."""
        if path is None:
            resource: Any = resources.files("spindetect").joinpath("data", "inspect_model.json")
        else:
            resource = Path(path)
        try:
            document = json.loads(resource.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexFormatError(f"{resource}: cannot read the inspection model: {exc}") from exc
        if not isinstance(document, dict):
            raise IndexFormatError(f"{resource}: not an inspection model")
        return cls.from_dict(document)

    @classmethod
    def default(cls) -> Model:
        """Return the bundled model, loaded once per process."""
        global _DEFAULT
        if _DEFAULT is None:
            with _LOCK:
                if _DEFAULT is None:
                    _DEFAULT = cls.load()
        return _DEFAULT

    def shrink(self, raw: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """Return :math:`x' = (n x + k \\mu)/(n + k)` for rows ``raw`` with token counts ``tokens``."""
        n = np.asarray(tokens, dtype=np.float64).reshape(-1, 1)
        k = self.shrink_tokens
        return (n * raw + k * self.mean) / (n + k)

    def contributions(self, shrunk: np.ndarray) -> np.ndarray:
        """Return the per-signal logit contributions :math:`w_i (x'_i - \\mu_i)/\\sigma_i`."""
        return self.coef * (shrunk - self.mean) / self.scale

    def logits(self, shrunk: np.ndarray) -> np.ndarray:
        """Return :math:`b + \\sum_i` contributions, one per row."""
        return self.intercept + self.contributions(shrunk).sum(axis=-1)

    def scores(self, shrunk: np.ndarray) -> np.ndarray:
        """Return the spun scores :math:`\\sigma(\\text{logit})` in [0, 1], one per row."""
        z = np.clip(self.logits(shrunk), -60.0, 60.0)
        return 1.0 / (1.0 + np.exp(-z))


def fit_model(
    raw: np.ndarray,
    tokens: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    *,
    natural: np.ndarray,
    calibration: np.ndarray,
    calibration_tokens: np.ndarray,
    quantile: float = 0.99,
    c: float = 0.1,
    shrink_tokens: float = 20.0,
    signals: Sequence[int] | None = None,
    info: Mapping[str, Any] | None = None,
) -> Model:
    """Fit the logistic model (scikit-learn, L2-regularised) and calibrate its decision.

    Signals are standardised by the mean and spread of ``natural`` (raw signal
    rows of natural text); the training rows are shrunk with their token counts
    first. The decision is then put at the ``quantile`` of the logits of
    ``calibration`` (natural texts): the intercept is lowered by that logit, so
    that about ``1 - quantile`` of such texts score 0.5 or more.

    Parameters
    ----------
    raw : numpy.ndarray, shape (n, 6)
        Raw signals of the training texts (:func:`~spindetect.inspection.signals.raw_signals`).
    tokens : numpy.ndarray, shape (n,)
        Their token counts.
    labels : numpy.ndarray of {0, 1}, shape (n,)
        1 for spun.
    weights : numpy.ndarray, shape (n,)
        Sample weights.
    natural : numpy.ndarray, shape (m, 6)
        Raw signals of natural texts, for the standardisation.
    calibration : numpy.ndarray, shape (q, 6)
        Raw signals of natural texts for the decision threshold.
    calibration_tokens : numpy.ndarray, shape (q,)
        Their token counts.
    quantile : float, default=0.99
    c : float, default=0.1
        Inverse regularisation strength (scikit-learn's ``C``).
    shrink_tokens : float, default=20.0
    signals : sequence of int, optional
        Use only these signal columns (the others get weight 0).
    info : mapping, optional
        Stored with the model.

    Returns
    -------
    Model
    """
    from sklearn.linear_model import LogisticRegression

    mean = natural.mean(axis=0)
    scale = natural.std(axis=0) + 1e-6
    base = Model(signals=SIGNALS, mean=mean, scale=scale, coef=np.zeros(len(SIGNALS)),
                 intercept=0.0, shrink_tokens=shrink_tokens, info={})
    cols = list(range(len(SIGNALS))) if signals is None else list(signals)
    z_all = (base.shrink(raw, tokens) - mean) / scale
    # Every signal is oriented (more of it means more spun), so a negative weight
    # is noise of the small training set: drop such signals and refit.
    while True:
        lr = LogisticRegression(C=c, max_iter=5000).fit(z_all[:, cols], labels,
                                                         sample_weight=weights)
        negative = [col for col, w in zip(cols, lr.coef_[0]) if w < 0]
        if not negative or len(negative) == len(cols):
            break
        cols = [col for col in cols if col not in negative]
    coef = np.zeros(len(SIGNALS))
    coef[cols] = np.maximum(lr.coef_[0], 0.0)
    fitted = Model(signals=SIGNALS, mean=mean, scale=scale, coef=coef,
                   intercept=float(lr.intercept_[0]), shrink_tokens=shrink_tokens, info={})
    offset = float(np.quantile(fitted.logits(fitted.shrink(calibration, calibration_tokens)),
                               quantile))
    return Model(signals=SIGNALS, mean=mean, scale=scale, coef=coef,
                 intercept=fitted.intercept - offset, shrink_tokens=shrink_tokens,
                 info={**(info or {}), "c": c, "quantile": quantile,
                       "calibration_logit": round(offset, 6)})
