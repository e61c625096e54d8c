"""Fit and apply the two-stage model: paragraph TF-IDF + LR, then page context.

The second stage learns from *out-of-fold* first-stage probabilities (grouped
by outlet), so it is trained on scores like those it will see on a new site,
not on the over-confident scores of lines the first stage memorised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from .config import Settings
from .context import page_features
from .labels import LABELS
from .pipeline import build_context_pipeline, build_pipeline


def ordered_proba(estimator: Any, features: Any) -> np.ndarray:
    """``predict_proba`` with columns in LABELS order (zeros for unseen labels)."""
    raw = np.asarray(estimator.predict_proba(features))
    classes = list(estimator.classes_)
    out = np.zeros((raw.shape[0], len(LABELS)))
    for j, label in enumerate(LABELS):
        if label in classes:
            out[:, j] = raw[:, classes.index(label)]
    return out


def page_slices(docs: Sequence[str]) -> list[slice]:
    """Contiguous runs of the same doc: the pages, in corpus order."""
    slices, start = [], 0
    for i in range(1, len(docs) + 1):
        if i == len(docs) or docs[i] != docs[start]:
            slices.append(slice(start, i))
            start = i
    return slices


def context_matrix(texts: Sequence[str], proba: np.ndarray, docs: Sequence[str]) -> np.ndarray:
    return np.vstack([page_features(texts[s], proba[s]) for s in page_slices(docs)])


def out_of_fold_paragraph_proba(
    texts: Sequence[str], labels: Sequence[str], groups: Sequence[str], settings: Settings
) -> np.ndarray:
    """First-stage probabilities for every paragraph from a model that never saw its group."""
    n_groups = len(set(groups))
    proba = np.zeros((len(texts), len(LABELS)))
    text_array, label_array = np.array(texts, dtype=object), np.array(labels, dtype=object)
    for train, test in GroupKFold(n_splits=min(settings.context_folds, n_groups)).split(
        text_array, label_array, np.array(groups, dtype=object)
    ):
        stage1 = build_pipeline(settings).fit(list(text_array[train]), list(label_array[train]))
        proba[test] = ordered_proba(stage1, list(text_array[test]))
    return proba


def fit_stacked(
    texts: Sequence[str],
    labels: Sequence[str],
    docs: Sequence[str],
    groups: Sequence[str],
    settings: Settings,
) -> dict[str, Any]:
    """Fit both stages on paragraphs in page order; returns ``{"paragraph", "context"}``.

    ``groups`` (outlets) decide the folds for the out-of-fold scores; with a
    single outlet, pages are used instead.
    """
    paragraph = build_pipeline(settings).fit(list(texts), list(labels))
    fold_groups = groups if len(set(groups)) > 1 else docs
    if not settings.context or len(set(fold_groups)) < 2:
        # Out-of-fold scores need at least two groups; a one-page corpus gets stage one only.
        return {"paragraph": paragraph, "context": None}
    oof = out_of_fold_paragraph_proba(texts, labels, fold_groups, settings)
    features, targets = context_matrix(texts, oof, docs), list(labels)
    if settings.context_singletons:
        alone = np.vstack([page_features([t], oof[i : i + 1]) for i, t in enumerate(texts)])
        features, targets = np.vstack([features, alone]), targets + list(labels)
    context = build_context_pipeline(settings).fit(features, targets)
    return {"paragraph": paragraph, "context": context}


def predict_page_proba(model: dict[str, Any], texts: Sequence[str]) -> np.ndarray:
    """Final probabilities for the paragraphs of one page, in LABELS order."""
    if len(texts) == 0:
        return np.zeros((0, len(LABELS)))
    proba = ordered_proba(model["paragraph"], list(texts))
    if model["context"] is None:
        return proba
    return ordered_proba(model["context"], page_features(texts, proba))
