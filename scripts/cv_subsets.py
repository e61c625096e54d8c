#!/usr/bin/env python3
"""By-outlet cross-validation figures, overall and on the lines context features target.

Prints macro-F1 and keep/drop F1 of the two-stage model (5 folds by outlet,
as `python train.py`), then accuracy on footnote-marker lines and on long
paragraphs (four sentences or more). Used to compare context-stage variants
on the same corpus and folds.

usage: python scripts/cv_subsets.py [--folds 5] [--jobs 2]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.config import Settings  # noqa: E402
from strikeclf.context import fragment_features  # noqa: E402
from strikeclf.corpus import read_corpus  # noqa: E402
from strikeclf.labels import KEEP, LABELS  # noqa: E402
from strikeclf.metrics import score  # noqa: E402
from strikeclf.training import held_out_proba  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpus = read_corpus(
        [ROOT / "data" / "corpus" / "seeds", ROOT / "data" / "corpus" / "synthetic"]
    )
    proba = held_out_proba(corpus, corpus.outlets, Settings(), args.folds, jobs=args.jobs)
    predicted = [LABELS[i] for i in proba.argmax(axis=1)]
    figures = score(corpus.labels, predicted)
    print(
        f"by outlet, {args.folds} folds: macro_f1={figures['macro_f1']:.4f} "
        f"keep_f1={figures['keep_f1']:.4f}"
    )

    def subset(name: str, rows: list[int]) -> None:
        right = sum(corpus.labels[i] == predicted[i] for i in rows)
        print(f"  {name}: {right}/{len(rows)} = {right / max(len(rows), 1):.3f}")

    texts = corpus.texts
    markers = [i for i, t in enumerate(texts) if fragment_features(t)[0]]
    long = [i for i, t in enumerate(texts) if len(SENTENCE_END.split(t)) >= 4]
    subset("footnote markers", markers)
    subset("footnote markers, on-topic", [i for i in markers if corpus.labels[i] in KEEP])
    subset("paragraphs of 4+ sentences", long)
    subset("paragraphs of 4+ sentences, on-topic", [i for i in long if corpus.labels[i] in KEEP])


if __name__ == "__main__":
    main()
