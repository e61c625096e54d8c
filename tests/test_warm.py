"""Warm starts (strikeclf.warm): matched by name, same optimum, nothing the fit must not see."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from strikeclf.config import Settings
from strikeclf.distinct import fit_distinct
from strikeclf.pipeline import build_pipeline
from strikeclf.shared import first_stage_features, shared_counts
from strikeclf.warm import NamedCoefficients, feature_names, pipeline_feature_names
from tests.conftest import paragraphs_of_pages


def _start(names, classes=("a", "b", "c")):
    coef = np.arange(len(classes) * len(names), dtype=float).reshape(len(classes), len(names))
    return NamedCoefficients(
        np.array(names, dtype=object), np.array(classes), coef, np.array([0.5, -1.0, 0.5])
    )


def test_aligned_matches_columns_by_name_and_starts_new_ones_at_zero():
    start = _start(["w drone", "w said", "c dro"])
    names = np.array(["c dro", "w new", "w drone"])
    coef, intercept = start.aligned(names, np.array(["a", "b", "c"]))
    # A row per class; a column per new name: "c dro", "w new" (unseen), "w drone".
    assert coef.tolist() == [[2.0, 0.0, 0.0], [5.0, 0.0, 3.0], [8.0, 0.0, 6.0]]
    assert intercept.tolist() == [0.5, -1.0, 0.5]
    assert intercept is not start.intercept  # the fit may not write into the start


def test_aligned_gives_no_start_when_the_classes_differ():
    start = _start(["w drone"])
    assert start.aligned(np.array(["w drone"]), np.array(["a", "b"])) is None


def test_feature_names_keep_words_and_characters_apart():
    names = feature_names(["war", "war crime"], ["war"])
    assert names.tolist() == ["w war", "w war crime", "c war"]
    assert feature_names(["war"], None).tolist() == ["w war"]


def test_names_from_shared_counts_are_the_pipelines():
    settings = Settings(word_min_df=2, char_min_df=2, char_ngrams=(2, 4))
    texts, _, folds = paragraphs_of_pages()
    train = folds != 0
    _, features, names = first_stage_features(shared_counts(list(texts), settings), train, settings)
    pipeline = build_pipeline(settings)
    expected = pipeline[:-1].fit_transform(list(texts[train]))
    assert names.tolist() == pipeline_feature_names(pipeline).tolist()
    assert features.shape == expected.shape


def _problem():
    """Labels that depend on the features, as a text classifier's do."""
    rng = np.random.default_rng(3)
    features = sparse.random(400, 60, density=0.15, random_state=4, format="csr")
    scores = features @ rng.normal(size=(60, 3)) * 4 + rng.normal(size=(400, 3))
    return features, list(np.array(["a", "b", "c"])[scores.argmax(axis=1)])


def test_a_warm_start_reaches_the_cold_fits_optimum_in_fewer_steps():
    features, labels = _problem()
    names = np.array([f"f{j}" for j in range(60)], dtype=object)
    subset = LogisticRegression(solver="newton-cg", C=8.0).fit(features[:320], labels[:320])
    start = NamedCoefficients.of(subset, names).aligned(names, np.unique(labels))
    assert start is not None

    def model():
        return LogisticRegression(solver="newton-cg", C=8.0, tol=1e-8, class_weight="balanced")

    cold = fit_distinct(model(), features, labels)
    warm = fit_distinct(model(), features, labels, start)
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-6)
    np.testing.assert_allclose(warm.intercept_, cold.intercept_, atol=1e-6)
    assert warm.n_iter_[0] < cold.n_iter_[0]
    # The parameter says how the model was meant to be fitted.
    assert warm.get_params()["warm_start"] is False


def test_a_start_of_the_wrong_shape_is_refused_and_the_parameters_restored():
    features, labels = _problem()
    model = LogisticRegression(solver="newton-cg", class_weight="balanced")
    with pytest.raises(ValueError):
        fit_distinct(model, features, labels, (np.zeros((3, 7)), np.zeros(3)))
    assert model.get_params()["warm_start"] is False
    assert model.get_params()["class_weight"] == "balanced"
