"""The pipeline is a plain scikit-learn estimator built from Settings."""

import numpy as np
import pytest
from sklearn.base import clone

from strikeclf.config import Settings
from strikeclf.features import normalise_all
from strikeclf.pipeline import build_char_counter, build_pipeline
from strikeclf.shared import char_tfidf, shared_counts, word_tfidf
from strikeclf.stacking import _fit_stage_one
from tests.conftest import paragraphs_of_pages


def test_settings_reach_the_estimators():
    settings = Settings(C=0.5, char_ngrams=(3, 4), seed=3)
    params = build_pipeline(settings).get_params()
    assert params["classifier__C"] == 0.5
    assert params["classifier__random_state"] == 3
    assert params["features__chars__ngram_range"] == (3, 4)


def test_clone_and_fit_predict():
    pipeline = clone(build_pipeline(Settings(word_min_df=1, char_min_df=1)))
    texts = ["Subscribe now", "Drones hit a refinery", "Governor said no one was hurt", "Cup final"]
    labels = ["boilerplate", "event_report", "official_claim", "unrelated"]
    pipeline.fit(texts, labels)
    proba = pipeline.predict_proba(texts)
    assert proba.shape == (4, 4)
    assert abs(proba.sum(axis=1) - 1).max() < 1e-9


def test_settings_round_trip_through_a_sidecar_dict():
    settings = Settings(word_ngrams=(1, 3), class_weight=None)
    data = settings.to_dict()
    data["word_ngrams"] = list(data["word_ngrams"])  # as JSON gives it back
    assert Settings.from_dict(data) == settings


@pytest.mark.parametrize("min_df", [1, 2])
def test_shared_char_counts_give_the_vectorizers_features(min_df):
    settings = Settings(char_min_df=min_df, char_ngrams=(2, 4))
    texts, _, folds = paragraphs_of_pages()
    normalised = np.array(normalise_all(texts), dtype=object)
    counts = build_char_counter(settings).fit_transform(list(normalised)).tocsr()
    train = folds != 0
    features_of, train_features, _ = char_tfidf(counts, train, settings)

    vectorizer = build_pipeline(settings).named_steps["features"].transformer_list[1][1]
    expected_train = vectorizer.fit_transform(list(normalised[train]))
    expected_held = vectorizer.transform(list(normalised[~train]))
    assert train_features.shape == expected_train.shape
    assert abs(train_features - expected_train).max() < 1e-12
    assert abs(features_of(~train) - expected_held).max() < 1e-12


@pytest.mark.parametrize("min_df", [1, 2])
def test_shared_word_counts_give_the_vectorizers_features(min_df):
    settings = Settings(word_min_df=min_df)
    texts, _, folds = paragraphs_of_pages()
    # Held-out words the training rows lack, whose stems they have: the
    # pipeline keeps such a word as it is, so "refineries" must not become
    # the training rows' "refineri", nor "attacking" their "attack".
    texts = np.append(texts, ["Drones kept attacking refineries, officials claimed."])
    folds = np.append(folds, 0)
    train = folds != 0
    shared = shared_counts(list(texts), settings)
    features_of, train_features, _ = word_tfidf(shared, train, settings)

    words = build_pipeline(settings).named_steps["features"].transformer_list[0][1]
    normalised = normalise_all(texts)
    expected_train = words.fit_transform([t for t, keep in zip(normalised, train) if keep])
    expected_held = words.transform([t for t, keep in zip(normalised, train) if not keep])
    assert train_features.shape == expected_train.shape
    assert abs(train_features - expected_train).max() < 1e-12
    assert abs(features_of(~train) - expected_held).max() < 1e-12
    if min_df == 1:
        # The case is there: the stems are training features, the words are not.
        vocabulary = words.named_steps["tfidf"].vocabulary_
        assert {"refineri", "attack"} <= set(vocabulary)
        assert not {"refineries", "attacking"} & set(vocabulary)


def test_stage_one_scores_from_shared_counts_match_the_pipelines():
    settings = Settings(word_min_df=1, char_min_df=1, char_ngrams=(2, 4), max_iter=500)
    texts, labels, folds = paragraphs_of_pages()
    shared = shared_counts(texts, settings)
    for excluded in [(0,), (2,), (0, 1)]:
        by_pipeline = _fit_stage_one(texts, labels, folds, excluded, settings, False).scores
        by_counts = _fit_stage_one(texts, labels, folds, excluded, settings, False, shared).scores
        assert by_pipeline.keys() == by_counts.keys() == set(excluded)
        for k in excluded:
            # Same features to 1e-16; newton-cg stops at a tolerance, so scores
            # agree to its precision, not bit for bit.
            assert np.allclose(by_pipeline[k], by_counts[k], atol=1e-3)
