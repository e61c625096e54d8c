"""Unit tests of the page-context features (strikeclf.context) on plain arrays."""

import numpy as np
import pytest

from strikeclf.context import N_LABELS, n_features, page_features

ON_TOPIC = [0.7, 0.2, 0.05, 0.05]
CHROME = [0.05, 0.05, 0.8, 0.1]


def features(texts, proba):
    return page_features(texts, np.array(proba, dtype=float))


def own_scores(texts, proba):
    return features(texts, proba)[:, :N_LABELS]


def test_an_inline_citation_marker_takes_the_paragraph_above_as_its_own():
    texts = ["Drones hit a depot in Bryansk, local media reported.", "[xli]", "[xlii]"]
    own = own_scores(texts, [ON_TOPIC, CHROME, CHROME])
    assert own.tolist() == [ON_TOPIC, ON_TOPIC, ON_TOPIC]


@pytest.mark.parametrize(
    "texts",
    [
        ["Drones hit a depot in Bryansk.", "2"],  # a bare number: pagination as often as a note
        ["[7] Interfax, report of March 3.", "[8]"],  # a marker in a list of notes
    ],
)
def test_markers_that_are_not_inline_citations_keep_their_own_scores(texts):
    own = own_scores(texts, [ON_TOPIC, CHROME])
    assert own[1].tolist() == CHROME


def test_a_long_run_of_markers_is_a_list_not_citations():
    texts = ["Note: sources are listed below.", "[i]", "[ii]", "[iii]", "[iv]", "[v]"]
    own = own_scores(texts, [ON_TOPIC] + [CHROME] * 5)
    assert own[1:4].tolist() == [ON_TOPIC] * 3
    assert own[4:].tolist() == [CHROME] * 2


def test_feature_count_matches_n_features():
    texts = ["Subscribe", "Drones hit a depot.", "[1]", "said"]
    assert features(texts, [CHROME, ON_TOPIC, CHROME, CHROME]).shape == (4, n_features())
    assert page_features([], np.zeros((0, N_LABELS))).shape == (
        0,
        n_features(),
    )
