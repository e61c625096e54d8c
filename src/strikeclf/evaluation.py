"""Score a model on a folder of pages with gold labels (``<doc>.txt`` + ``<doc>.gold.tsv``).

The figures and the pages/feeds subsets are those of the project's scorer
(``shared/eval/score.py``): a page whose name contains ``-rss-`` counts as a
feed listing. A gold line the model gives no label counts as wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from .inputs import InputError, read_text
from .labels import LABELS
from .metrics import confusion_matrix, expected_calibration_error, score

MISSING = "<missing>"


class _Classifier(Protocol):
    def classify_page(self, text: str) -> list[dict[str, Any]]: ...


class GoldError(ValueError):
    """A gold folder or file is malformed; the message names ``file:line``."""


def read_gold(path: Path) -> dict[int, str]:
    """``line<TAB>label`` rows of one gold file."""
    gold: dict[int, str] = {}
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not row.strip():
            continue
        line, sep, label = row.partition("\t")
        if not sep or not line.strip().isdigit():
            raise GoldError(f"{path}:{number}: expected 'line<TAB>label', got {row[:60]!r}")
        label = label.strip()
        if label not in LABELS:
            raise GoldError(f"{path}:{number}: unknown label {label!r}")
        gold[int(line)] = label
    return gold


def gold_pages(gold_dir: Path) -> list[tuple[str, Path, Path]]:
    """``(doc, text file, gold file)`` for every ``*.gold.tsv`` in ``gold_dir``."""
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a folder")
    pages = []
    for gold_file in sorted(gold_dir.glob("*.gold.tsv")):
        doc = gold_file.name[: -len(".gold.tsv")]
        text_file = gold_dir / f"{doc}.txt"
        if not text_file.is_file():
            raise GoldError(f"{gold_file}: no page text {text_file.name} beside it")
        pages.append((doc, text_file, gold_file))
    if not pages:
        raise GoldError(f"{gold_dir}: no *.gold.tsv files")
    return pages


def predictions_against_gold(
    model: _Classifier, gold_dir: Path
) -> list[tuple[str, str, str, float]]:
    """``(doc, gold, predicted, probability of predicted)`` for every gold line, in page order."""
    rows = []
    for doc, text_file, gold_file in gold_pages(gold_dir):
        try:
            text = read_text(str(text_file))  # decoded exactly as strikeclf predict decodes it
        except InputError as exc:
            raise GoldError(str(exc)) from None
        predicted = {r["line"]: r for r in model.classify_page(text)}
        for line, label in sorted(read_gold(gold_file).items()):
            record = predicted.get(line)
            if record is None:
                rows.append((doc, label, MISSING, 0.0))
            else:
                rows.append((doc, label, record["label"], record["proba"][record["label"]]))
    return rows


def evaluate_folder(model: _Classifier, gold_dir: Path) -> dict[str, Any]:
    """Figures for ``pages``, ``feeds`` (where present) and ``all``, as the scorer prints them."""
    rows = predictions_against_gold(model, gold_dir)
    subsets: dict[str, list[tuple[str, str, float]]] = {"pages": [], "feeds": [], "all": []}
    for doc, gold, predicted, confidence in rows:
        subsets["feeds" if "-rss-" in doc else "pages"].append((gold, predicted, confidence))
        subsets["all"].append((gold, predicted, confidence))
    result: dict[str, Any] = {}
    for name, pairs in subsets.items():
        if not pairs:
            continue
        gold_labels = [g for g, _, _ in pairs]
        predicted_labels = [p for _, p, _ in pairs]
        figures = score(gold_labels, predicted_labels)
        figures["ece"] = expected_calibration_error(
            [c for _, _, c in pairs], [g == p for g, p, _ in pairs]
        )
        figures["missing"] = predicted_labels.count(MISSING)
        figures["matrix"] = (
            None if figures["missing"] else confusion_matrix(gold_labels, predicted_labels)
        )
        result[name] = figures
    return result
