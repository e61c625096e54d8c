#!/usr/bin/env python3
"""Cold start: `strikeclf predict one-page.txt` against `python -c "import numpy"`.

Target: the ratio of medians is at most 3. Both are whole processes started
the same way, measured alternately in one run.

usage: python benchmarks/startup.py [--repeat 11]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

from _common import ROOT, report


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    page = str(ROOT / "data" / "raw" / "seeds" / "003_11234080d2b886d8.txt")
    strikeclf = shutil.which("strikeclf") or sys.exit("strikeclf is not installed")
    numpy_cmd = [sys.executable, "-c", "import numpy"]
    predict_cmd = [strikeclf, "predict", page]
    wall(numpy_cmd), wall(predict_cmd)  # warm the file cache
    numpy_times, predict_times = [], []
    for _ in range(args.repeat):  # alternate, so machine noise hits both alike
        numpy_times.append(wall(numpy_cmd))
        predict_times.append(wall(predict_cmd))
    reference, value = statistics.median(numpy_times), statistics.median(predict_times)
    report(
        "cold start, strikeclf predict one page",
        value,
        "s (median)",
        f"python -c 'import numpy' {reference:.3f} s (median)",
        value / reference,
        "<= 3",
    )


if __name__ == "__main__":
    main()
