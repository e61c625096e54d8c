#!/usr/bin/env python3
"""Memory: peak RSS of `strikeclf predict` streaming a large generated file.

Target: at most 300 MB for a 1 GB file. The output's equality with processing
the file in pieces is checked by tests/test_streaming.py.

usage: python benchmarks/memory.py [--mb 1024]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from _common import report, synthetic_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=1024)
    args = parser.parse_args()
    strikeclf = shutil.which("strikeclf") or sys.exit("strikeclf is not installed")
    with tempfile.TemporaryDirectory() as folder:
        big = os.path.join(folder, "big.txt")
        texts = synthetic_pages(20000, seed=5)
        with open(big, "w", encoding="utf-8") as out:
            written, i = 0, 0
            while written < args.mb * 1_048_576:
                # a running number makes most lines distinct, the worst case for caches
                written += out.write(f"{i} " + texts[i % len(texts)].replace("\n", f" {i}\n"))
                i += 1
        size = os.path.getsize(big)
        start = time.perf_counter()
        with open(os.devnull, "w") as sink:
            subprocess.run(
                [strikeclf, "predict", "--format", "jsonl", big], stdout=sink, check=True
            )
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report(
        f"peak RSS streaming {size / 1_048_576:.0f} MiB ({seconds:.0f} s)",
        peak_mb,
        "MiB",
        "target 300 MiB",
        peak_mb / 300,
        "<= 1",
    )


if __name__ == "__main__":
    main()
