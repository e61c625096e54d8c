"""Pictures for ``strikeclf evaluate --plot``: confusion matrix and reliability diagram.

matplotlib is an optional extra (``pip install 'strikeclf[plot]'``); nothing
else in strikeclf imports this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .labels import LABELS
from .metrics import confusion_matrix, expected_calibration_error

BINS = 10


def plot_evaluation(rows: Sequence[tuple[str, str, str, float]], path: Path) -> None:
    """Draw ``(doc, gold, predicted, probability)`` rows into one PNG with two panels."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt

    scored = [(g, p, c) for _, g, p, c in rows if p in LABELS]
    gold = [g for g, _, _ in scored]
    predicted = [p for _, p, _ in scored]
    matrix = confusion_matrix(gold, predicted)

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    left.imshow(matrix, cmap="Blues")
    left.set_xticks(range(len(LABELS)), LABELS, rotation=30, ha="right")
    left.set_yticks(range(len(LABELS)), LABELS)
    left.set_xlabel("predicted")
    left.set_ylabel("gold")
    left.set_title(f"confusion matrix (n={len(scored)})")
    peak = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            colour = "white" if count > peak / 2 else "black"
            left.text(j, i, str(count), ha="center", va="center", color=colour)

    confidence = [c for _, _, c in scored]
    correct = [g == p for g, p, _ in scored]
    centres, accuracy, sizes = [], [], []
    for b in range(BINS):
        members = [i for i, c in enumerate(confidence) if min(int(c * BINS), BINS - 1) == b]
        if members:
            centres.append(sum(confidence[i] for i in members) / len(members))
            accuracy.append(sum(correct[i] for i in members) / len(members))
            sizes.append(len(members))
    ece = expected_calibration_error(confidence, correct, BINS)
    right.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    right.scatter(centres, accuracy, s=[20 + 200 * n / max(sizes) for n in sizes], zorder=3)
    right.plot(centres, accuracy, marker="", label="strikeclf")
    right.set_xlim(0, 1)
    right.set_ylim(0, 1)
    right.set_xlabel("probability of the predicted label")
    right.set_ylabel("share correct")
    right.set_title(f"reliability diagram (ECE={ece:.3f}; dot size = paragraphs)")
    right.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
