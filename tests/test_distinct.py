"""Fitting once per distinct row (strikeclf.distinct) minimises the plain fit's objective."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from strikeclf.distinct import distinct_rows, fit_distinct


def test_distinct_rows_keeps_first_occurrences_and_counts_copies():
    features = sparse.csr_matrix(
        np.array([[1.0, 0, 2], [0, 0, 1], [1.0, 0, 2], [1.0, 0, 2], [0, 0, 1], [0, 0, 0]])
    )
    labels = ["a", "b", "a", "c", "b", "a"]
    rows, counts = distinct_rows(features, labels)
    # Row 3 equals row 0 but has another label: a distinct row.
    assert rows.tolist() == [0, 1, 3, 5]
    assert counts.tolist() == [2, 2, 1, 1]


def test_distinct_rows_ignores_the_order_of_stored_indices():
    sorted_row = sparse.csr_matrix(
        (np.array([1.0, 2.0]), np.array([0, 2]), np.array([0, 2])), (1, 3)
    )
    unsorted_row = sparse.csr_matrix(
        (np.array([2.0, 1.0]), np.array([2, 0]), np.array([0, 2])), (1, 3)
    )
    unsorted_row.has_sorted_indices = False
    both = sparse.vstack([sorted_row, unsorted_row]).tocsr()
    both.has_sorted_indices = False
    rows, counts = distinct_rows(both, ["a", "a"])
    assert rows.tolist() == [0] and counts.tolist() == [2]
    # The caller's matrix is not re-ordered in place.
    assert both.indices.tolist() == [0, 2, 2, 0]


@pytest.mark.parametrize("class_weight", [None, "balanced", {"a": 1.0, "b": 3.0, "c": 0.5}])
def test_fit_distinct_matches_fitting_every_copy(class_weight):
    rng = np.random.default_rng(0)
    base = sparse.random(40, 30, density=0.2, random_state=1, format="csr")
    labels = np.array(["a", "b", "c", "a"] * 10)
    copies = rng.integers(0, 40, size=80)  # chrome: the same lines again, unevenly often
    features = sparse.vstack([base, base[copies]]).tocsr()
    all_labels = list(labels) + list(labels[copies])
    model = LogisticRegression(C=4.0, class_weight=class_weight, solver="newton-cg", tol=1e-10)
    plain = clone(model).fit(features, all_labels)
    collapsed = fit_distinct(model, features, all_labels)
    assert collapsed is model
    # The parameter says how the model was meant to be fitted.
    assert model.get_params()["class_weight"] == class_weight
    assert list(collapsed.classes_) == list(plain.classes_)
    np.testing.assert_allclose(collapsed.coef_, plain.coef_, atol=1e-6)
    np.testing.assert_allclose(collapsed.intercept_, plain.intercept_, atol=1e-6)
    np.testing.assert_allclose(
        collapsed.predict_proba(features), plain.predict_proba(features), atol=1e-7
    )


def test_fit_distinct_restores_class_weight_when_the_fit_fails():
    model = LogisticRegression(class_weight="balanced")
    with pytest.raises(ValueError):
        fit_distinct(model, sparse.csr_matrix(np.ones((3, 2))), ["a", "a", "a"])  # one class
    assert model.get_params()["class_weight"] == "balanced"
