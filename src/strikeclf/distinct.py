"""Fit a classifier once per distinct training row, weighted by how often it occurs.

Site chrome repeats verbatim across pages: a third of the corpus's paragraphs
are copies of another with the same label. The logistic loss of ``n`` equal
rows is ``n`` times one row's, so fitting each distinct (row, label) once with
weight ``n`` minimises the same objective, regularisation included, as fitting
every copy. The solver's arithmetic runs in a different order, so coefficients
agree to its tolerance, not to the last bit (at ``Settings.tol``, dev
probabilities to 0.002: see scripts/solver_noise.py). A fit on the round-13 corpus took 8%
less time: its copies are short lines, 31% of the rows but 7% of the non-zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.utils.class_weight import compute_class_weight


def distinct_rows(
    features: Any, labels: Sequence[str] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first of each distinct (row, label) of a CSR matrix, and its count.

    Rows are equal when their column indices and values are; the indices come
    in the order of first occurrence.
    """
    features = features.tocsr()
    if not features.has_sorted_indices:
        features = features.sorted_indices()  # a copy: the caller's matrix is left alone
    seen: dict[tuple[bytes, bytes, str], int] = {}
    first: list[int] = []
    counts: list[int] = []
    indptr, indices, data = features.indptr, features.indices, features.data
    for i, label in enumerate(labels):
        start, end = indptr[i], indptr[i + 1]
        key = (indices[start:end].tobytes(), data[start:end].tobytes(), label)
        number = seen.setdefault(key, len(first))
        if number == len(first):
            first.append(i)
            counts.append(1)
        else:
            counts[number] += 1
    return np.array(first, dtype=np.intp), np.array(counts, dtype=np.float64)


def fit_distinct(
    classifier: Any,
    features: Any,
    labels: Sequence[str],
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> Any:
    """``classifier.fit(features, labels)``, fitted on the distinct rows with counts as weights.

    ``classifier`` is a scikit-learn classifier whose loss is a sum over rows
    (logistic regression). Its ``class_weight`` is computed from all the rows,
    as a plain fit would, and folded into the sample weights; the parameter is
    restored afterwards, so ``get_params`` still says how the model was meant
    to be fitted, and ``clone(...).fit`` reproduces it to the solver's tolerance.
    ``start`` (coefficients, intercepts) is where the solver begins instead of
    zeros (strikeclf.warm): the same optimum, sooner; ``warm_start`` too is
    restored afterwards.
    """
    label_array = np.asarray(labels, dtype=object)
    rows, counts = distinct_rows(features, label_array)
    weights = counts
    class_weight = classifier.get_params()["class_weight"]
    if class_weight is not None:
        classes = np.unique(label_array)
        per_class = dict(
            zip(classes, compute_class_weight(class_weight, classes=classes, y=label_array))
        )
        weights = counts * np.array([per_class[label] for label in label_array[rows]])
    warm_start = classifier.get_params()["warm_start"]
    classifier.set_params(class_weight=None)
    if start is not None:
        classifier.set_params(warm_start=True)
        classifier.coef_, classifier.intercept_ = start
    try:
        classifier.fit(features[rows], list(label_array[rows]), sample_weight=weights)
    finally:
        classifier.set_params(class_weight=class_weight, warm_start=warm_start)
    return classifier
