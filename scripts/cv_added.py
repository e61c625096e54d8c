#!/usr/bin/env python3
"""What new corpus pages buy as training data, with every existing outlet's fold held fixed.

Scores by-outlet cross-validation (5 folds) on the paragraphs that were there
before, without and with the new pages. Adding outlets to a plain GroupKFold
re-deals every outlet into new folds, which moves the figures of old rows by
itself (the 195 seed paragraphs, all one outlet and so all one fold, moved by
0.03 macro-F1 that way); here the old outlets keep the folds they have
without the new pages, and each new outlet is dealt into fold ``i % 5``, so a
fold's model gains exactly the new pages outside that fold.

usage:
  python scripts/cv_added.py NEW_CORPUS_DIR            # pages not yet in data/corpus
  python scripts/cv_added.py --in-corpus syn-dirfeed,syn-dirnews
                                                       # pages already in it, by doc prefix
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.config import Settings  # noqa: E402
from strikeclf.corpus import Corpus, Record, read_corpus  # noqa: E402
from strikeclf.labels import LABELS  # noqa: E402
from strikeclf.metrics import score  # noqa: E402
from strikeclf.stacking import fit_folds, group_folds  # noqa: E402

FOLDS = 5


def split_corpus(args: argparse.Namespace) -> tuple[list[Record], list[Record]]:
    """(old records, new records) from the command line."""
    folders = [ROOT / "data" / "corpus" / "seeds", ROOT / "data" / "corpus" / "synthetic"]
    corpus = read_corpus(folders)
    if args.in_corpus:
        prefixes = tuple(args.in_corpus.split(","))
        old = [r for r in corpus.records if not r.doc.startswith(prefixes)]
        new = [r for r in corpus.records if r.doc.startswith(prefixes)]
    else:
        old = list(corpus.records)
        new = list(read_corpus([args.new]).records)
    if not new:
        sys.exit("cv_added: no new pages")
    return old, new


def fixed_folds(old: list[Record], new: list[Record]) -> tuple[np.ndarray, np.ndarray]:
    """Folds of the old rows (GroupKFold by outlet, as without the new pages) and of the new."""
    old_folds = group_folds([r.outlet for r in old], FOLDS)
    new_outlets = list(dict.fromkeys(r.outlet for r in new))
    new_folds = np.array([new_outlets.index(r.outlet) % FOLDS for r in new], dtype=int)
    return old_folds, new_folds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("new", type=Path, nargs="?", help="corpus folder of the new pages")
    parser.add_argument("--in-corpus", help="comma-separated doc prefixes already in data/corpus")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if (args.new is None) == (args.in_corpus is None):
        parser.error("give either NEW_CORPUS_DIR or --in-corpus")
    old, new = split_corpus(args)
    old_folds, new_folds = fixed_folds(old, new)
    seeds = [i for i, r in enumerate(old) if r.doc.startswith("seed-")]
    gold = [r.label for r in old]
    both_folds = np.concatenate([old_folds, new_folds])
    runs = [("without", old, old_folds), ("with", old + new, both_folds)]
    for name, records, folds in runs:
        corpus = Corpus(records=tuple(records), files=())
        fits = fit_folds(
            corpus.texts,
            corpus.labels,
            corpus.docs,
            folds,
            Settings(),
            final=False,
            held_out=True,
            jobs=args.jobs,
        )
        assert fits.held_out is not None
        predicted = [LABELS[i] for i in fits.held_out[: len(old)].argmax(axis=1)]
        rows = score(gold, predicted)
        seed_rows = score([gold[i] for i in seeds], [predicted[i] for i in seeds])
        print(
            f"{name}: {len(old)} old rows macro_f1={rows['macro_f1']:.4f} "
            f"keep_f1={rows['keep_f1']:.4f}; {len(seeds)} seed rows "
            f"macro_f1={seed_rows['macro_f1']:.4f} keep_f1={seed_rows['keep_f1']:.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
