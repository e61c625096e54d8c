"""The figures this project is judged by, computed exactly as ``shared/eval/score.py`` does.

Plain Python, no scikit-learn: ``strikeclf evaluate`` and ``train.py`` print
the same numbers as the project's scorer for the same predictions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from .labels import BOILERPLATE, KEEP, LABELS


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 (over labels present in ``gold``), accuracy, keep/drop and content F1,
    per-class precision/recall/F1 and the confusion counts ``"gold->predicted"``."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    pairs = list(zip(gold, predicted))
    n = len(pairs)
    per_class: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        per_class[label] = {
            "p": precision,
            "r": recall,
            "f1": _f1(precision, recall),
            "support": tp + fn,
        }
    present = [label for label in LABELS if per_class[label]["support"]]
    macro = sum(per_class[c]["f1"] for c in present) / len(present) if present else 0.0

    keep_tp = sum(g in KEEP and p in KEEP for g, p in pairs)
    keep_fp = sum(g not in KEEP and p in KEEP for g, p in pairs)
    keep_fn = sum(g in KEEP and p not in KEEP for g, p in pairs)
    keep_p, keep_r = _ratio(keep_tp, keep_tp + keep_fp), _ratio(keep_tp, keep_tp + keep_fn)

    content_tp = sum(g != BOILERPLATE and p != BOILERPLATE for g, p in pairs)
    content_fp = sum(g == BOILERPLATE and p != BOILERPLATE for g, p in pairs)
    content_fn = sum(g != BOILERPLATE and p == BOILERPLATE for g, p in pairs)
    content_p = _ratio(content_tp, content_tp + content_fp)
    content_r = _ratio(content_tp, content_tp + content_fn)

    confusion = Counter(pairs)
    return {
        "n": n,
        "accuracy": _ratio(sum(g == p for g, p in pairs), n),
        "macro_f1": macro,
        "keep_f1": _f1(keep_p, keep_r),
        "keep_p": keep_p,
        "keep_r": keep_r,
        "content_f1": _f1(content_p, content_r),
        "per_class": per_class,
        "confusion": {f"{g}->{p}": k for (g, p), k in sorted(confusion.items())},
    }


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """ECE: how far the predicted label's probability is from the observed accuracy.

    Paragraphs are put in ``bins`` equal-width bins by the probability of the
    label predicted; the gaps |accuracy - mean probability| are averaged,
    weighted by bin size. 0 means the probabilities can be taken at face value.
    """
    n = len(confidence)
    if n == 0:
        return 0.0
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, sum of confidence, correct
    for p, ok in zip(confidence, correct):
        b = min(int(p * bins), bins - 1)
        totals[b][0] += 1
        totals[b][1] += p
        totals[b][2] += int(ok)
    return sum(
        abs(hits / count - conf / count) * count / n for count, conf, hits in totals if count
    )


def confusion_matrix(gold: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    """Counts with gold labels as rows and predictions as columns, both in LABELS order."""
    index = {label: i for i, label in enumerate(LABELS)}
    matrix = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted):
        matrix[index[g]][index[p]] += 1
    return matrix


def format_report(figures: dict[str, Any], title: str = "") -> str:
    """Human-readable block: headline figures, per-class lines, confusion matrix."""
    lines = []
    if title:
        lines.append(title)
    lines.append(
        f"  n={figures['n']} macro_f1={figures['macro_f1']:.3f} acc={figures['accuracy']:.3f} "
        f"keep_f1={figures['keep_f1']:.3f} (p={figures['keep_p']:.3f} r={figures['keep_r']:.3f}) "
        f"content_f1={figures['content_f1']:.3f}"
        + (f" ece={figures['ece']:.3f}" if "ece" in figures else "")
    )
    for label in LABELS:
        pc = figures["per_class"][label]
        lines.append(
            f"    {label:15s} p={pc['p']:.3f} r={pc['r']:.3f} f1={pc['f1']:.3f} n={pc['support']}"
        )
    matrix = figures.get("matrix")
    if matrix:
        short = [label[:8] for label in LABELS]
        lines.append("    gold \\ pred     " + " ".join(f"{s:>8s}" for s in short))
        for label, row in zip(LABELS, matrix):
            lines.append(f"    {label:15s} " + " ".join(f"{k:8d}" for k in row))
    return "\n".join(lines)
