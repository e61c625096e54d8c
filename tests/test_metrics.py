"""The library's figures must equal the project scorer's."""

import importlib.util
import random

import pytest

from strikeclf.labels import LABELS
from strikeclf.metrics import confusion_matrix, expected_calibration_error, score

from .conftest import REPO

SCORER = REPO.parent / "shared" / "eval" / "score.py"


def test_known_small_case():
    gold = ["event_report", "boilerplate", "boilerplate", "unrelated"]
    pred = ["event_report", "boilerplate", "unrelated", "unrelated"]
    figures = score(gold, pred)
    assert figures["accuracy"] == 0.75
    assert figures["keep_f1"] == 1.0
    assert figures["per_class"]["boilerplate"] == {"p": 1.0, "r": 0.5, "f1": 2 / 3, "support": 2}
    # macro-F1 averages only the labels present in gold (official_claim is absent)
    assert figures["macro_f1"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    assert confusion_matrix(gold, pred)[2] == [0, 0, 1, 1]


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score.py not present")
def test_matches_project_scorer_on_random_labels():
    spec = importlib.util.spec_from_file_location("score", SCORER)
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    rng = random.Random(7)
    for _ in range(20):
        gold = [rng.choice(LABELS) for _ in range(200)]
        pred = [rng.choice(LABELS) for _ in range(200)]
        assert score(gold, pred) == scorer.metrics(list(zip(gold, pred)))


def test_expected_calibration_error():
    # four predictions at 0.75 of which three are right: perfectly calibrated
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == 0.0
    # always 0.95 sure, right half the time: off by 0.45
    assert expected_calibration_error([0.95] * 2, [True, False]) == pytest.approx(0.45)
    assert expected_calibration_error([], []) == 0.0
