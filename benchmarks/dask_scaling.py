#!/usr/bin/env python3
"""Scale-out: 20,000 pages on a LocalCluster with 1 worker, then 2 workers.

Target on this 2-core machine: 2 workers at least 1.7x faster than 1. Each
run starts its cluster (not timed), then classifies every page of a generated
folder with strikeclf.dask and counts the rows on the workers, as a job that
writes its output from the workers (to_parquet) does. A second figure also
gathers all 1.5 million rows into the client process, which on two cores
competes with the workers for CPU.

usage: python benchmarks/dask_scaling.py [--pages 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import report, site_like_pages


def run(folder: str, workers: int, pages_per_partition: int, gather: bool) -> tuple[float, int]:
    from dask.distributed import Client, LocalCluster

    from strikeclf.dask import classify_folder

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("strikeclf.dask").dask.worker_model())  # load once per worker
        start = time.perf_counter()
        paragraphs = classify_folder(folder, pages_per_partition=pages_per_partition)
        rows = len(paragraphs.compute()) if gather else len(paragraphs)
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
        for gather, repeat in ((False, args.repeat), (True, 1)):
            times: dict[int, list[float]] = {1: [], 2: []}
            for _ in range(repeat):
                for workers in (1, 2):
                    seconds, rows = run(folder, workers, args.pages_per_partition, gather)
                    times[workers].append(seconds)
            one, two = statistics.median(times[1]), statistics.median(times[2])
            what = "rows gathered to the client" if gather else "rows counted on the workers"
            report(
                f"dask, {args.pages} pages ({rows:,} paragraphs, {what}), 2 workers",
                two,
                f"s (median of {repeat})",
                f"1 worker {one:.1f} s",
                one / two,
                ">= 1.7",
            )


if __name__ == "__main__":
    main()
