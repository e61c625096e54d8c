#!/usr/bin/env python3
"""How far dev figures move when only the solver's rounding changes.

Trains the shipped settings on the corpus several times. Each time the
distinct training rows (strikeclf.distinct) reach newton-cg in another seeded
order: the same objective and the same features, summed in another order.
Every model is scored on dev. Order 0 is the library's own order, the
shipped model's. The spread is the floor under any dev comparison of two
models: the solvers stop at a tolerance, and the context stage can turn the
last digits of stage-one scores into a few other labels. With scikit-learn's
default tolerances the dev macro-F1 of one corpus spread over 0.815–0.839;
at the tolerances of ``Settings`` (tol, context_tol) every order gives the
same figures (README, "Steadier fits").

Fits run in this process (``jobs=1``): the reordering is a patch of this
process's strikeclf.distinct, which worker processes would not see. About two
minutes per order.

usage: python scripts/solver_noise.py [--orders 0,1,2,3] [--corpus DIR ...]
       (default corpus: data/corpus/seeds and data/corpus/synthetic)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import strikeclf.distinct as distinct  # noqa: E402
from strikeclf.training import train  # noqa: E402

CORPUS = ROOT / "data" / "corpus"
DEV = ROOT.parent / "shared" / "dev"


def reordered(order: int) -> Any:
    """``distinct_rows`` with its rows in a seeded random order (0: unchanged)."""
    original = distinct.distinct_rows

    def rows_in_order(features: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
        rows, counts = original(features, labels)
        if order == 0:
            return rows, counts
        permutation = np.random.default_rng(order).permutation(len(rows))
        return rows[permutation], counts[permutation]

    return rows_in_order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", default="0,1,2,3", help="comma-separated seeds")
    parser.add_argument("--corpus", type=Path, action="append", help="synthetic corpus folder")
    args = parser.parse_args()
    synthetic = args.corpus or [CORPUS / "synthetic"]
    original = distinct.distinct_rows
    for order in [int(o) for o in args.orders.split(",")]:
        distinct.distinct_rows = reordered(order)
        with tempfile.TemporaryDirectory() as out:
            result = train(
                [CORPUS / "seeds", *synthetic],
                Path(out),
                seeds_dir=CORPUS / "seeds",
                synthetic_dirs=synthetic,
                dev_dir=DEV,
            )
        distinct.distinct_rows = original
        dev = result.metadata["dev"]["all"]
        cv = result.metadata["cross_validation"]["by_outlet"]
        print(
            f"order {order}: dev macro_f1={dev['macro_f1']:.4f} keep_f1={dev['keep_f1']:.4f} "
            f"content_f1={dev['content_f1']:.4f}; by outlet macro_f1={cv['macro_f1']:.4f} "
            f"keep_f1={cv['keep_f1']:.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
