#!/usr/bin/env python3
"""Training time and model size: `python train.py` (default and --search).

Targets: default run (cross-validation included) <= 60 s; --search <= 10 min;
model files <= 20 MB. Trains into a temporary folder; the shipped model is
left alone.

usage: python benchmarks/training_time.py [--search]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from _common import ROOT, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--search", action="store_true", help="also time train.py --search")
    args = parser.parse_args()
    runs = [("default", [], 60.0)] + ([("--search", ["--search"], 600.0)] if args.search else [])
    for name, extra, budget in runs:
        with tempfile.TemporaryDirectory() as out:
            command = [sys.executable, str(ROOT / "train.py"), "--no-dev", "--out", out, *extra]
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
            sizes = {f: os.path.getsize(os.path.join(out, f)) / 1e6 for f in os.listdir(out)}
        report(f"train.py {name}", seconds, "s", f"budget {budget:.0f} s", seconds / budget, "<= 1")
        largest = max(sizes.values())
        listing = ", ".join(f"{f} {mb:.1f} MB" for f, mb in sorted(sizes.items()))
        report("model files", largest, "MB (largest)", listing, largest / 20, "<= 1")


if __name__ == "__main__":
    main()
