#!/usr/bin/env python3
"""List corpus records the cross-validated model confidently disagrees with.

Each record is scored by a model that never saw its outlet (grouped folds);
records whose gold label gets less than ``1 - THRESHOLD`` while another label
gets at least THRESHOLD are printed, most confident first, for a human to
re-check against LABELING.md. A disagreement is a question, not a verdict.

usage: python scripts/audit_labels.py [CORPUS_DIR ...] [--threshold 0.9]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.config import Settings  # noqa: E402
from strikeclf.corpus import read_corpus  # noqa: E402
from strikeclf.labels import LABELS  # noqa: E402
from strikeclf.training import held_out_proba  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, nargs="*", default=[ROOT / "data" / "corpus"])
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    proba = held_out_proba(corpus, corpus.outlets, Settings(), folds=5)
    flagged = []
    for record, row in zip(corpus.records, proba):
        best = int(row.argmax())
        if LABELS[best] != record.label and row[best] >= args.threshold:
            flagged.append((row[best], record, LABELS[best]))
    for p, record, predicted in sorted(flagged, key=lambda f: -f[0]):
        print(f"{record.doc}\t{record.line}\t{record.label}\t{predicted}\t{p:.2f}\t{record.text}")
    print(f"{len(flagged)} of {len(corpus.records)} records flagged", file=sys.stderr)


if __name__ == "__main__":
    main()
