#!/usr/bin/env python3
"""Throughput: paragraphs/s through the Python API, and MB/s through the CLI.

1. API, one core: the shipped model (both stages) on pages stitched from the
   corpus, against the plain scikit-learn word + character TF-IDF + logistic
   regression pipeline (strikeclf's first stage, no context) on the same text.
   Targets: >= 20,000 paragraphs/s and >= 4x the scikit-learn pipeline. Two
   figures: "cold" (a fresh model, every paragraph new to its caches: one pass
   over the 12,446 distinct corpus paragraphs, the worst case) and "site crawl"
   (pages shaped like a crawl of known sites: chrome lines repeat across pages
   as they do on the web, every other line is unique). The cold figure is also
   taken without the optional C speed-ups (``strikeclf.speedups``), to show
   what they buy.
2. CLI: `strikeclf predict --format jsonl` streaming a generated 100 MB file.
   Target: >= 5 MB/s.

usage: python benchmarks/throughput.py [--pages 2000] [--mb 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, for both sides
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from _common import corpus_paragraphs, median_seconds, report, site_like_pages, synthetic_pages

from strikeclf import speedups
from strikeclf.context import line_features
from strikeclf.model import load_model
from strikeclf.serving import ArrayModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages for the typical figure")
    parser.add_argument("--mb", type=int, default=100, help="size of the CLI input file")
    args = parser.parse_args()

    distinct = corpus_paragraphs()
    distinct_pages = [distinct[i : i + 80] for i in range(0, len(distinct), 80)]

    def cold() -> None:
        model = load_model()  # fresh caches
        line_features.cache_clear()  # the context stage's per-line cache is module-wide
        for page in distinct_pages:
            model.predict_proba(page)

    load_seconds = median_seconds(load_model, 3)
    cold_seconds = median_seconds(cold, 3) - load_seconds

    def cold_pure_python() -> None:
        shipped = load_model()
        model = ArrayModel(shipped._header, shipped._arrays, compiled=False)
        line_features.cache_clear()
        for page in distinct_pages:
            model.page_proba(page)

    # The context stage's line counts stay compiled here (chosen at import);
    # the paragraph stage, most of the work, runs in Python and NumPy.
    pure_seconds = median_seconds(cold_pure_python, 3) - load_seconds
    pages = site_like_pages(args.pages)
    n_typical = sum(len(p) for p in pages)

    def typical() -> None:
        model = load_model()  # fresh caches: only what repeats within the crawl is reused
        line_features.cache_clear()
        for page in pages:
            model.predict_proba(page)

    typical_seconds = median_seconds(typical, 3) - load_seconds
    sklearn_pipeline = load_model().pipeline  # the fitted first stage, plain scikit-learn
    sample = distinct[:4000]
    sklearn_seconds = median_seconds(lambda: sklearn_pipeline.predict_proba(sample), 3)
    sklearn_rate = len(sample) / sklearn_seconds

    cold_rate = len(distinct) / cold_seconds
    typical_rate = n_typical / typical_seconds
    reference = f"scikit-learn word+char pipeline {sklearn_rate:,.0f} paragraphs/s"
    report(
        "API, cold caches", cold_rate, "paragraphs/s", reference, cold_rate / sklearn_rate, ">= 4"
    )
    if speedups.available():
        pure_rate = len(distinct) / pure_seconds
        report(
            "API, cold caches, paragraph stage without the C speed-ups",
            pure_rate,
            "paragraphs/s",
            reference,
            pure_rate / sklearn_rate,
            "(for comparison)",
        )
    report(
        f"API, site crawl ({args.pages} pages, {n_typical:,} paragraphs)",
        typical_rate,
        "paragraphs/s",
        reference,
        typical_rate / sklearn_rate,
        ">= 4",
    )

    strikeclf = shutil.which("strikeclf") or sys.exit("strikeclf is not installed")
    with tempfile.TemporaryDirectory() as folder:
        big = os.path.join(folder, "big.txt")
        with open(big, "w", encoding="utf-8") as out:
            written, i = 0, 0
            texts = synthetic_pages(5000, seed=11)
            while written < args.mb * 1_000_000:
                written += out.write(texts[i % len(texts)])
                i += 1
        size_mb = os.path.getsize(big) / 1e6

        def run_cli() -> None:
            with open(os.devnull, "w") as sink:
                subprocess.run(
                    [strikeclf, "predict", "--format", "jsonl", big], stdout=sink, check=True
                )

        start = time.perf_counter()
        run_cli()
        seconds = time.perf_counter() - start
    rate = size_mb / seconds
    report(
        f"CLI streaming {size_mb:.0f} MB",
        rate,
        "MB/s",
        f"{seconds:.1f} s for the file",
        rate / 5,
        ">= 1 (5 MB/s)",
    )


if __name__ == "__main__":
    main()
