"""The NumPy serving path gives the scikit-learn pipelines' probabilities (to 1e-9)."""

from __future__ import annotations

import numpy as np
import pytest

from strikeclf.corpus import read_corpus
from strikeclf.model import Model, load_model
from strikeclf.segment import split_paragraphs
from strikeclf.stacking import fit_stacked, page_slices, predict_page_proba

from .conftest import DEV_DIR, REPO, SHIPPED_MODEL, SMALL_SETTINGS

ODD = [
    "Сeasefire",  # Cyrillic С
    "x",
    "a" * 7000,
    "  spaced\t\tout  words ",
    "Ｆｕｌｌｗｉｄｔｈ ＤＲＯＮＥ",
    "emoji 🚀 and 0:00",
    "[xiv]",
    ", said",
]


def assert_same(model: Model, stages: dict, pages: list[list[str]]) -> None:
    worst = 0.0
    for texts in pages:
        served = model.predict_proba(texts)
        reference = predict_page_proba(stages, texts)
        worst = max(worst, float(np.abs(served - reference).max(initial=0.0)))
    assert worst < 1e-9, worst


def corpus_pages(corpus) -> list[list[str]]:
    return [corpus.texts[s] for s in page_slices(corpus.docs)]


def test_serving_equals_pipelines_on_a_small_model(tiny_corpus):
    corpus = read_corpus([tiny_corpus])
    stages = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, SMALL_SETTINGS)
    model = Model.from_pipelines(stages, SMALL_SETTINGS)
    assert_same(model, stages, [*corpus_pages(corpus), ODD, ODD[:1], []])


@pytest.mark.shipped
@pytest.mark.skipif(not SHIPPED_MODEL.exists(), reason="no shipped model in models/")
def test_serving_equals_pipelines_on_the_whole_corpus_and_dev_set():
    model = load_model(SHIPPED_MODEL)
    stages = {"paragraph": model.pipeline, "context": model.context}
    pages = corpus_pages(read_corpus([REPO / "data" / "corpus"]))
    if DEV_DIR.is_dir():
        for path in sorted(DEV_DIR.glob("*.txt")):
            pages.append([p.text for p in split_paragraphs(path.read_text(encoding="utf-8"))])
    assert_same(model, stages, pages)


def test_pickled_model_round_trips(tiny_model):
    import pickle

    page = ["Skip to content", "Drones struck a depot in Kursk."]
    clone = pickle.loads(pickle.dumps(tiny_model))
    assert (clone.predict_proba(page) == tiny_model.predict_proba(page)).all()
