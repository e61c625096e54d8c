"""The pipeline is a plain scikit-learn estimator built from Settings."""

from sklearn.base import clone

from strikeclf.config import Settings
from strikeclf.pipeline import build_pipeline


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
