"""Honest probabilities: temperature scaling fitted on real pages from unseen outlets.

The model is fitted mostly on pages the team wrote. Cross-validated by
outlet, its probabilities are well calibrated *on those pages* (calibration
error about 0.01), yet on real pages from sites it never saw it is more sure
of itself than it should be. Calibrating on the synthetic pages would learn
nothing; instead one temperature ``T`` is fitted, by maximum likelihood, to
the held-out probabilities of the *real* (non-synthetic) pages in the
by-outlet cross-validation, where the models never saw those pages' outlet.
The final stage's logistic-regression coefficients are then divided by
``T``: probabilities soften (``T > 1``) or sharpen, the arg-max label of every
paragraph stays the same, and the served arrays and the scikit-learn
pipeline carry the same calibrated coefficients.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .labels import LABELS
from .metrics import expected_calibration_error

#: Fewer held-out real paragraphs than this and the temperature stays 1.
MIN_PARAGRAPHS = 100
#: The search range of the temperature.
BOUNDS = (0.25, 8.0)


def with_temperature(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities as the model would give them with its logits divided by ``temperature``."""
    logits = np.log(np.clip(proba, 1e-300, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def _nll(proba: np.ndarray, targets: np.ndarray) -> float:
    return float(-np.log(np.clip(proba[np.arange(len(targets)), targets], 1e-300, 1.0)).mean())


def _ece(proba: np.ndarray, targets: np.ndarray) -> float:
    predicted = proba.argmax(axis=1)
    return expected_calibration_error(proba.max(axis=1).tolist(), (predicted == targets).tolist())


def fit_temperature(proba: np.ndarray, labels: list[str]) -> dict[str, Any]:
    """The temperature minimising the negative log-likelihood of ``labels``, with a report.

    ``proba``: held-out probabilities (rows in LABELS order) of real pages.
    """
    targets = np.array([LABELS.index(label) for label in labels], dtype=int)
    report: dict[str, Any] = {"paragraphs": len(labels), "temperature": 1.0}
    if len(labels) < MIN_PARAGRAPHS:
        report["skipped"] = f"fewer than {MIN_PARAGRAPHS} held-out paragraphs of real pages"
        return report
    from scipy.optimize import minimize_scalar

    # The likelihood is smooth and unimodal in log T: a bounded scalar search suffices.
    found = minimize_scalar(
        lambda log_t: _nll(with_temperature(proba, float(np.exp(log_t))), targets),
        bounds=tuple(np.log(BOUNDS)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    temperature = round(float(np.exp(found.x)), 4)
    calibrated = with_temperature(proba, temperature)
    report.update(
        temperature=temperature,
        nll_before=_nll(proba, targets),
        nll_after=_nll(calibrated, targets),
        ece_before=_ece(proba, targets),
        ece_after=_ece(calibrated, targets),
    )
    return report


def apply_temperature(model: dict[str, Any], temperature: float) -> None:
    """Divide the final stage's logits by ``temperature``, in place (labels unchanged)."""
    final = model["context"] if model["context"] is not None else model["paragraph"]
    classifier = final.steps[-1][1]
    classifier.coef_ = classifier.coef_ / temperature
    classifier.intercept_ = classifier.intercept_ / temperature
