"""Temperature scaling: fitted by likelihood, applied to the final stage, labels unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from strikeclf.calibration import (
    MIN_PARAGRAPHS,
    apply_temperature,
    fit_temperature,
    with_temperature,
)
from strikeclf.labels import LABELS
from strikeclf.stacking import fit_stacked, predict_page_proba

from .conftest import PAGES, SMALL_SETTINGS


def _overconfident_sample(temperature: float, n: int = 4000) -> tuple[np.ndarray, list[str]]:
    """Labels drawn from softmax(z), probabilities reported as softmax(z * temperature)."""
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=2.0, size=(n, len(LABELS)))
    honest = with_temperature(np.exp(logits) / np.exp(logits).sum(1, keepdims=True), 1.0)
    labels = [LABELS[rng.choice(len(LABELS), p=row)] for row in honest]
    return with_temperature(honest, 1 / temperature), labels


def test_fit_temperature_recovers_the_overconfidence():
    proba, labels = _overconfident_sample(2.0)
    report = fit_temperature(proba, labels)
    assert report["temperature"] == pytest.approx(2.0, rel=0.1)
    assert report["nll_after"] < report["nll_before"]
    assert report["ece_after"] < report["ece_before"]


def test_calibrated_probabilities_get_temperature_near_one():
    proba, labels = _overconfident_sample(1.0)
    assert fit_temperature(proba, labels)["temperature"] == pytest.approx(1.0, rel=0.1)


def test_too_few_real_paragraphs_leave_the_model_alone():
    proba, labels = _overconfident_sample(2.0, n=MIN_PARAGRAPHS - 1)
    report = fit_temperature(proba, labels)
    assert report["temperature"] == 1.0 and "skipped" in report


def test_apply_temperature_softens_probabilities_not_labels():
    texts = [t for page in PAGES.values() for t, _ in page]
    labels = [label for page in PAGES.values() for _, label in page]
    docs = [doc for doc, page in PAGES.items() for _ in page]
    model = fit_stacked(texts, labels, docs, docs, SMALL_SETTINGS)
    page = [t for t, _ in PAGES["tiny-b-01"]]
    before = predict_page_proba(model, page)
    apply_temperature(model, 2.0)
    after = predict_page_proba(model, page)
    np.testing.assert_allclose(after, with_temperature(before, 2.0), atol=1e-12)
    assert (after.argmax(1) == before.argmax(1)).all()
    assert after.max(1).mean() < before.max(1).mean()
