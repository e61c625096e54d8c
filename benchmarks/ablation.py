#!/usr/bin/env python3
"""What each part of strikeclf buys, measured on the dev set.

Trains each variant on the corpus (never on dev) and prints one Markdown row
per variant: dev macro-F1, keep/drop F1, content F1 and expected calibration
error, as ``shared/eval/score.py`` computes them.

usage: python benchmarks/ablation.py [--dev ../shared/dev]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.config import Settings  # noqa: E402
from strikeclf.corpus import read_corpus  # noqa: E402
from strikeclf.evaluation import evaluate_folder  # noqa: E402
from strikeclf.model import Model, load_model  # noqa: E402
from strikeclf.stacking import fit_stacked  # noqa: E402

SEEDS = [ROOT / "data" / "corpus" / "seeds"]
FULL = [ROOT / "data" / "corpus"]
BASE = Settings()
VARIANTS = [
    ("seeds only, word features, no context", SEEDS, replace(BASE, chars=False, context=False)),
    ("seeds only, word + char, with context", SEEDS, BASE),
    ("full corpus, word features, no context", FULL, replace(BASE, chars=False, context=False)),
    ("full corpus, word + char, no context", FULL, replace(BASE, context=False)),
    ("full corpus, word features, with context", FULL, replace(BASE, chars=False)),
    ("full corpus, word + char, with context, before calibration", FULL, BASE),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "dev")
    args = parser.parse_args()
    print("| variant | dev macro-F1 | dev keep/drop F1 | dev content F1 | dev ECE | seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, folders, settings in VARIANTS:
        start = time.perf_counter()
        corpus = read_corpus(folders)
        stages = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, settings)
        model = Model.from_pipelines(stages, settings)
        f = evaluate_folder(model, args.dev)["all"]
        seconds = time.perf_counter() - start
        row(name, f, seconds)
    # The shipped model is the last variant plus its calibration temperature,
    # which train.py fits on cross-validated real pages (strikeclf.calibration).
    start = time.perf_counter()
    f = evaluate_folder(load_model(), args.dev)["all"]
    row("shipped model: the same, calibrated (`python train.py`)", f, time.perf_counter() - start)


def row(name: str, f: dict[str, float], seconds: float) -> None:
    print(
        f"| {name} | {f['macro_f1']:.3f} | {f['keep_f1']:.3f} | {f['content_f1']:.3f} "
        f"| {f['ece']:.3f} | {seconds:.0f} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
