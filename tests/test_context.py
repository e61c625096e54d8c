"""Unit tests of the page-context features (strikeclf.context) on plain arrays."""

import numpy as np
import pytest

from strikeclf.context import (
    N_LABELS,
    citation_anchors,
    inherit_citations,
    lone_line_features,
    n_features,
    page_context,
    page_features,
)

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


def test_a_run_of_markers_of_any_length_cites_the_paragraph_above():
    texts = ["Drones hit a depot in Bryansk.", "[i]", "[ii]", "[iii]", "[iv]", "[v]"]
    own = own_scores(texts, [ON_TOPIC] + [CHROME] * 5)
    assert own.tolist() == [ON_TOPIC] * 6


@pytest.mark.parametrize(
    ("texts", "anchors"),
    [
        (["Depot hit.", "[12]", "[xli]", "Subscribe"], [-1, 0, 0, -1]),
        (["Depot hit.", "¹", "**[2]**", "Next.", "⁴⁵"], [-1, 0, 0, -1, 3]),
        (["Depot hit.", "3", "[4]"], [-1, -1, 0]),  # a bare number is no citation...
        (["[7] Interfax, March 3.", "[8]", "[9]"], [-1, -1, -1]),  # ...nor a note list
        (["[1]", "[2]", "Depot hit."], [-1, -1, -1]),  # nothing above to cite
        ([], []),
    ],
)
def test_citation_anchors(texts, anchors):
    assert citation_anchors(texts) == anchors
    proba = np.full((len(texts), N_LABELS), 0.25)
    assert page_context(texts, proba).anchors == anchors  # the same from the features' pass


def test_inherit_citations_gives_each_marker_its_paragraphs_final_row():
    texts = ["Drones hit a depot in Bryansk.", "[xli]", "[xlii]", "Russian Effort – Northern Axis"]
    proba = np.array([ON_TOPIC, CHROME, CHROME, CHROME])
    inherited = inherit_citations(proba, citation_anchors(texts))
    assert inherited.tolist() == [ON_TOPIC, ON_TOPIC, ON_TOPIC, CHROME]
    assert proba[1].tolist() == CHROME  # the input is not changed in place


def test_feature_count_matches_n_features():
    texts = ["Subscribe", "Drones hit a depot.", "[1]", "said"]
    assert features(texts, [CHROME, ON_TOPIC, CHROME, CHROME]).shape == (4, n_features())
    assert page_features([], np.zeros((0, N_LABELS))).shape == (
        0,
        n_features(),
    )


def test_lone_line_features_equal_each_line_as_a_one_line_page():
    texts = [
        "Drones hit a depot in Bryansk, local media reported.",
        "[xli]",
        "¹²",
        "2",
        "said",
        "in a video address on Telegram that the fire was out.",
        "News Feed",
        "8:42 PM",
        "Subscribe",
        "",
    ]
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(N_LABELS), size=len(texts))
    expected = np.vstack([page_features([t], proba[i : i + 1]) for i, t in enumerate(texts)])
    assert np.array_equal(lone_line_features(texts, proba), expected)
    assert lone_line_features([], np.zeros((0, N_LABELS))).shape == (0, n_features())
