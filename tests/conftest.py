"""Shared fixtures: a tiny hand-written corpus and a small model trained from it.

Tests train their own small models into tmp_path; only tests marked
``shipped`` look at the model in models/.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from strikeclf.config import Settings
from strikeclf.model import Model, load_model
from strikeclf.training import train

# Three short pages, written for the tests, covering all four labels.
PAGES = {
    "tiny-a-01": [
        ("Skip to content", "boilerplate"),
        ("Subscribe to our newsletter", "boilerplate"),
        ("Drones struck an oil depot in Bryansk overnight, starting a large fire.", "event_report"),
        ("Governor Bogomaz said on Telegram that nobody was hurt in the attack.", "official_claim"),
        ("Residents reported loud explosions near the depot before dawn.", "event_report"),
        ("Parliament passed a new budget for schools on Tuesday.", "unrelated"),
        ("Read more", "boilerplate"),
    ],
    "tiny-a-02": [
        ("Skip to content", "boilerplate"),
        (
            "A refinery in Ryazan caught fire after a drone attack, local media reported.",
            "event_report",
        ),
        (
            "The defence ministry said air defences downed twelve drones over the region.",
            "official_claim",
        ),
        ("Football club wins the national cup after extra time.", "unrelated"),
        ("Subscribe to our newsletter", "boilerplate"),
        ("Share this article", "boilerplate"),
    ],
    "tiny-b-01": [
        ("Menu", "boilerplate"),
        (
            "Explosions were heard at an airfield in Crimea, and smoke rose over the base.",
            "event_report",
        ),
        (
            "The regional governor claimed debris fell on a warehouse without casualties.",
            "official_claim",
        ),
        ("Russian missiles hit a power plant in Kharkiv, Ukrainian officials said.", "unrelated"),
        ("Elections in Moldova go to a second round.", "unrelated"),
        ("Sign up for our daily briefing", "boilerplate"),
    ],
}

SMALL_SETTINGS = Settings(word_min_df=1, char_min_df=1, char_ngrams=(2, 4), max_iter=500)


def paragraphs_of_pages() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PAGES as paragraph texts, labels and fold numbers (one fold per page)."""
    rows = [(doc, text, label) for doc, lines in PAGES.items() for text, label in lines]
    texts = np.array([text for _, text, _ in rows], dtype=object)
    labels = np.array([label for _, _, label in rows], dtype=object)
    folds = np.array([list(PAGES).index(doc) for doc, _, _ in rows])
    return texts, labels, folds


def write_corpus(folder: Path, pages: dict[str, list[tuple[str, str]]] = PAGES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc, lines in pages.items():
        with open(folder / f"{doc}.jsonl", "w", encoding="utf-8") as out:
            for number, (text, label) in enumerate(lines, start=1):
                record = {"doc": doc, "line": number, "text": text, "label": label}
                out.write(json.dumps(record) + "\n")
    return folder


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory, tiny_corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("model")
    return train([tiny_corpus], out, SMALL_SETTINGS).model_path


@pytest.fixture(scope="session")
def tiny_model(tiny_model_path: Path) -> Model:
    return load_model(tiny_model_path)


REPO = Path(__file__).resolve().parents[1]
SHIPPED_MODEL = REPO / "models" / "strikeclf.npz"
SEEDS = sorted((REPO / "data" / "raw" / "seeds").glob("*.txt"))
DEV_DIR = REPO.parent / "shared" / "dev"
