"""The shipped logistic model over the inspection signals, and how it is fit.

A text's counts (:func:`~spindetect.inspection.signals.count_texts`: ``n`` tokens
and per-signal sums :math:`c_i`) become one feature per signal. With
:math:`\\rho_i` the rate of signal ``i`` per token in natural text:

* the four word signals (``spinner_vocabulary``, ``thesaurus_choice``,
  ``function_word_gap``, ``spinner_words``) are means shrunk toward natural text,
  :math:`f_i = (c_i + k \\rho_i) / (n + k)` with ``k`` pseudo-tokens, so a short
  text carries little evidence;
* the two phrase counts (``tortured_phrases``, ``spinner_phrases``) are Poisson
  excesses over the natural rate, :math:`f_i = (c_i - \\rho_i n) / \\sqrt{1 + \\rho_i n}`:
  a long page with many known spinner phrases stands out, one stray phrase does not;
* ``mojibake`` is :math:`f = \\ln(1 + c)`, so that a badly decoded page cannot
  outweigh the other signals.

The spun score is then

.. math::

    s = \\sigma\\Big(b + \\sum_i w_i \\frac{f_i - \\mu_i}{\\sigma_i}\\Big),
    \\qquad \\sigma(z) = \\frac{1}{1 + e^{-z}},

with the natural-text mean :math:`\\mu_i` and spread :math:`\\sigma_i` of each
feature, weights :math:`w_i \\ge 0` and intercept ``b``, stored as JSON in
``spindetect/data/inspect_model.json`` (written by ``tools/fit_inspect.py``; no
pickle). The intercept already holds the calibrated decision: a text is judged
spun when :math:`s \\ge 0.5`. The term :math:`w_i (f_i - \\mu_i)/\\sigma_i` is the
*contribution* of signal ``i``, in logit units.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from spindetect.exceptions import IndexFormatError
from spindetect.inspection.signals import SIGNALS

__all__ = ["FORMAT", "Model", "features", "fit_model"]

FORMAT = "spindetect-inspect-model/3"
WORD_SIGNALS = 4  # the first four signals are per-form means
PHRASE_SIGNALS = (4, 5)  # Poisson excess counts
MOJIBAKE = 6
SCALE_FLOOR = np.array([1e-4, 1e-4, 1e-4, 1e-4, 0.5, 0.5, 0.5])
"""Least spread of each feature: a count that natural text never shows still has a unit."""

_LOCK = threading.Lock()
_DEFAULT: Model | None = None


def features(counts: np.ndarray, rate: np.ndarray, shrink_tokens: float) -> np.ndarray:
    """Return the model features of :func:`count_texts` rows, shape (n, 7).

    Parameters
    ----------
    counts : numpy.ndarray, shape (n, 9)
        Token and distinct-form counts, then the per-signal sums.
    rate : numpy.ndarray, shape (7,)
        Natural rate of each signal per distinct form (word signals) or per
        token (the others), :math:`\\rho`.
    shrink_tokens : float
        Pseudo-tokens ``k`` of natural text mixed into the word signals.
    """
    counts = np.asarray(counts, dtype=np.float64).reshape(-1, len(SIGNALS) + 2)
    n = counts[:, :1]
    types = counts[:, 1:2]
    sums = counts[:, 2:]
    out = np.empty_like(sums)
    k = shrink_tokens
    w = slice(0, WORD_SIGNALS)
    out[:, w] = (sums[:, w] + k * rate[w]) / (types + k)
    for i in PHRASE_SIGNALS:
        expected = rate[i] * n[:, 0]
        out[:, i] = (sums[:, i] - expected) / np.sqrt(1.0 + expected)
    out[:, MOJIBAKE] = np.log1p(sums[:, MOJIBAKE])
    return out


def _array(document: Mapping[str, Any], key: str) -> np.ndarray:
    value = np.asarray(document[key], dtype=np.float64)
    if value.shape != (len(SIGNALS),) or not np.all(np.isfinite(value)):
        raise IndexFormatError(f"inspection model: {key!r} must hold {len(SIGNALS)} numbers")
    return value


@dataclass(frozen=True, eq=False)
class Model:
    """Coefficients of the logistic spun-text model.

    Attributes
    ----------
    signals : tuple of str
        Signal names, the column order of the arrays.
    rate : numpy.ndarray of float64
        Natural rate of each signal per token (:math:`\\rho`).
    mean, scale : numpy.ndarray of float64
        Natural-text mean and spread of each feature (standardisation).
    coef : numpy.ndarray of float64
        Weight of each standardised feature (all :math:`\\ge 0`).
    intercept : float
        Logit offset, including the calibrated decision threshold.
    shrink_tokens : float
        Pseudo-tokens of natural text mixed into the word signals.
    info : dict
        How the model was fit (data, regularisation), for the record.
    """

    signals: tuple[str, ...]
    rate: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    shrink_tokens: float
    info: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Model:
        """Build a model from its JSON document.

        Raises
        ------
        IndexFormatError
            If the document is not a model of format ``spindetect-inspect-model/3``
            over the signals this version computes.
        """
        try:
            if document.get("format") != FORMAT:
                msg = f"inspection model format must be {FORMAT!r}, got {document.get('format')!r}"
                raise IndexFormatError(msg)
            signals = tuple(document["signals"])
            if signals != SIGNALS:
                raise IndexFormatError(f"inspection model signals {signals} != {SIGNALS}")
            scale = _array(document, "scale")
            if np.any(scale <= 0):
                raise IndexFormatError("inspection model: every 'scale' must be positive")
            return cls(
                signals=signals,
                rate=_array(document, "rate"),
                mean=_array(document, "mean"),
                scale=scale,
                coef=_array(document, "coef"),
                intercept=float(document["intercept"]),
                shrink_tokens=float(document["shrink_tokens"]),
                info=dict(document.get("info", {})),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IndexFormatError(f"inspection model is malformed: {exc!r}") from exc

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of this model."""
        return {
            "format": FORMAT,
            "signals": list(self.signals),
            "rate": [float(f"{v:.6g}") for v in self.rate],
            "mean": [float(f"{v:.6g}") for v in self.mean],
            "scale": [float(f"{v:.6g}") for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "shrink_tokens": self.shrink_tokens,
            "info": dict(self.info),
        }

    @classmethod
    def load(cls, path: str | Path | None = None) -> Model:
        """Read a model file (default: the bundled ``inspect_model.json``).

        Raises
        ------
        IndexFormatError
            If the file cannot be read or is not a model.
        """
        resource: Any
        if path is None:
            resource = resources.files("spindetect").joinpath("data", "inspect_model.json")
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

    def features(self, counts: np.ndarray) -> np.ndarray:
        """Return the features of :func:`count_texts` rows (see :func:`features`)."""
        return features(counts, self.rate, self.shrink_tokens)

    def contributions(self, counts: np.ndarray) -> np.ndarray:
        """Return the per-signal logit contributions :math:`w_i (f_i - \\mu_i)/\\sigma_i`."""
        return self.coef * (self.features(counts) - self.mean) / self.scale  # type: ignore[no-any-return]

    def logits(self, counts: np.ndarray) -> np.ndarray:
        """Return :math:`b + \\sum_i` contributions, one per row."""
        return np.asarray(self.intercept + self.contributions(counts).sum(axis=-1))

    def scores(self, counts: np.ndarray) -> np.ndarray:
        """Return the spun scores :math:`\\sigma(\\text{logit})` in [0, 1], one per row."""
        z = np.clip(self.logits(counts), -60.0, 60.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))


def fit_model(
    counts: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    *,
    natural: np.ndarray,
    calibration: np.ndarray,
    quantile: float = 0.99,
    c: float = 0.1,
    shrink_tokens: float = 20.0,
    info: Mapping[str, Any] | None = None,
) -> Model:
    """Fit the logistic model (scikit-learn, L2-regularised) and calibrate its decision.

    The natural rates :math:`\\rho` and the standardisation come from ``natural``
    (count rows of natural text). Every signal is oriented (more of it means more
    spun), so a signal whose weight comes out negative is noise of the small
    training set: it is dropped and the model refit. The decision is then put at
    the ``quantile`` of the logits of ``calibration`` (natural texts): the
    intercept is lowered by that logit, so that about ``1 - quantile`` of such
    texts score 0.5 or more.

    Parameters
    ----------
    counts : numpy.ndarray, shape (n, 9)
        :func:`~spindetect.inspection.signals.count_texts` rows of the training texts.
    labels : numpy.ndarray of {0, 1}, shape (n,)
        1 for spun.
    weights : numpy.ndarray, shape (n,)
        Sample weights.
    natural : numpy.ndarray, shape (m, 8)
        Count rows of natural texts, for the rates and the standardisation.
    calibration : numpy.ndarray, shape (q, 8)
        Count rows of other natural texts, for the decision threshold.
    quantile : float, default=0.99
        Share of calibration texts left below the decision.
    c : float, default=0.1
        Inverse regularisation strength (scikit-learn's ``C``).
    shrink_tokens : float, default=20.0
        Pseudo-tokens of the word signals.
    info : mapping, optional
        Stored with the model.

    Returns
    -------
    Model
    """
    from sklearn.linear_model import LogisticRegression

    natural = np.asarray(natural, dtype=np.float64)
    rate = natural[:, 2:].sum(axis=0) / max(float(natural[:, 0].sum()), 1.0)
    rate[:WORD_SIGNALS] = natural[:, 2 : 2 + WORD_SIGNALS].sum(axis=0) / max(
        float(natural[:, 1].sum()), 1.0
    )
    nat_features = features(natural, rate, shrink_tokens)
    mean = nat_features.mean(axis=0)
    scale = np.maximum(nat_features.std(axis=0), SCALE_FLOOR)
    z_all = (features(counts, rate, shrink_tokens) - mean) / scale
    cols: Sequence[int] = list(range(len(SIGNALS)))
    while True:
        lr = LogisticRegression(C=c, max_iter=5000).fit(
            z_all[:, cols], labels, sample_weight=weights
        )
        negative = [col for col, w in zip(cols, lr.coef_[0], strict=False) if w < 0]
        if not negative or len(negative) == len(cols):
            break
        cols = [col for col in cols if col not in negative]
    coef = np.zeros(len(SIGNALS))
    coef[list(cols)] = np.maximum(lr.coef_[0], 0.0)
    fitted = Model(SIGNALS, rate, mean, scale, coef, float(lr.intercept_[0]), shrink_tokens)
    offset = float(np.quantile(fitted.logits(calibration), quantile))
    return Model(
        SIGNALS,
        rate,
        mean,
        scale,
        coef,
        fitted.intercept - offset,
        shrink_tokens,
        info={**(info or {}), "c": c, "quantile": quantile, "calibration_logit": round(offset, 6)},
    )
