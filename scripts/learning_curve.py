#!/usr/bin/env python3
"""Learning curve: gold-folder figures of models trained on random shares of the corpus's pages.

Would more pages of the kinds the corpus has help on real pages, or has the
model stopped learning from them? For each fraction, ``--repeats`` random
subsets of the synthetic pages (whole pages, seeded; the real seed pages are
always in) train the two-stage model, which is scored on a gold folder
(``../shared/dev`` by default: measured, never trained on). Settings stay the
shipped ones at every size, so only the data changes; no calibration
temperature is fitted, which leaves labels, and so every printed figure,
unchanged.

usage: python scripts/learning_curve.py [--fractions 0.25,0.5,0.75,1] [--repeats 3]
                                        [--gold ../shared/dev] [--jobs 2]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.config import Settings  # noqa: E402
from strikeclf.corpus import Record, read_corpus  # noqa: E402
from strikeclf.evaluation import evaluate_folder  # noqa: E402
from strikeclf.model import Model  # noqa: E402
from strikeclf.stacking import fit_stacked  # noqa: E402

CORPUS = ROOT / "data" / "corpus"


def subset(records: list[Record], synthetic: set[str], fraction: float, seed: int) -> list[Record]:
    """The real pages and a random ``fraction`` of the synthetic ones, in corpus order."""
    pages = sorted(synthetic)
    chosen = set(random.Random(seed).sample(pages, round(fraction * len(pages))))
    return [r for r in records if r.doc not in synthetic or r.doc in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fractions", default="0.25,0.5,0.75,1")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "dev")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    records = list(read_corpus([CORPUS / "seeds", CORPUS / "synthetic"]).records)
    synthetic = set(read_corpus([CORPUS / "synthetic"]).docs)
    settings = Settings()
    print("fraction  pages (real + synthetic)  paragraphs  macro-F1  keep/drop F1  content F1")
    for fraction in (float(f) for f in args.fractions.split(",")):
        repeats = 1 if fraction >= 1 else args.repeats
        macro, keep = [], []
        for repeat in range(repeats):
            rows = subset(records, synthetic, fraction, seed=1000 + repeat)
            stages = fit_stacked(
                [r.text for r in rows],
                [r.label for r in rows],
                [r.doc for r in rows],
                [r.outlet for r in rows],
                settings,
                jobs=args.jobs,
            )
            figures = evaluate_folder(Model.from_pipelines(stages, settings), args.gold)["all"]
            macro.append(figures["macro_f1"])
            keep.append(figures["keep_f1"])
            print(
                f"{fraction:8.2f}  {len({r.doc for r in rows}):24d}  {len(rows):10d}  "
                f"{figures['macro_f1']:8.3f}  {figures['keep_f1']:12.3f}  "
                f"{figures['content_f1']:10.3f}",
                flush=True,
            )
        if repeats > 1:
            print(
                f"{fraction:8.2f}  {'mean of ' + str(repeats):>24}  {'':>10}  "
                f"{statistics.mean(macro):8.3f}  {statistics.mean(keep):12.3f}"
            )


if __name__ == "__main__":
    main()
