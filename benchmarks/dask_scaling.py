#!/usr/bin/env python3
"""Scale-out: 20,000 pages on a LocalCluster with 1 worker, then 2 workers.

Target on this 2-core machine: 2 workers at least 1.7x faster than 1. Each
run starts its cluster, classifies every page of a generated folder with
strikeclf.dask, and collects all rows; the cluster start-up is not timed.

usage: python benchmarks/dask_scaling.py [--pages 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import report, site_like_pages


def run(folder: str, workers: int, pages_per_partition: int) -> tuple[float, int]:
    from dask.distributed import Client, LocalCluster

    from strikeclf.dask import classify_folder

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("strikeclf.dask").dask.worker_model())  # load once per worker
        start = time.perf_counter()
        rows = len(classify_folder(folder, pages_per_partition=pages_per_partition).compute())
        return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages-per-partition", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for i, page in enumerate(site_like_pages(args.pages, seed=3)):
            Path(folder, f"page-{i:05d}.txt").write_text("\n".join(page) + "\n", encoding="utf-8")
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for workers in (1, 2):
                seconds, rows = run(folder, workers, args.pages_per_partition)
                times[workers].append(seconds)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    report(
        f"dask, {args.pages} pages ({rows:,} paragraphs), 2 workers",
        two,
        "s (median)",
        f"1 worker {one:.1f} s (median)",
        one / two,
        ">= 1.7",
    )


if __name__ == "__main__":
    main()
