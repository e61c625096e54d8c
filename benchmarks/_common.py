"""Shared helpers for the benchmark scripts: timing medians, synthetic pages.

Speed on a shared machine is noisy, so every script reports medians of
several runs and compares against a reference measured in the same run.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def median_seconds(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_command_seconds(command: list[str], repeat: int = 7) -> float:
    def run() -> None:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    run()  # warm the file cache
    return median_seconds(run, repeat)


def corpus_paragraphs() -> list[str]:
    """Every paragraph of the corpus, in page order (real page text, our own)."""
    texts = []
    for path in sorted((ROOT / "data" / "corpus").rglob("*.jsonl")):
        texts.extend(json.loads(line)["text"] for line in path.read_text("utf-8").splitlines())
    return texts


def synthetic_pages(count: int, seed: int = 7) -> list[str]:
    """``count`` pages stitched from corpus paragraphs (deterministic)."""
    rng = random.Random(seed)
    paragraphs = corpus_paragraphs()
    pages = []
    for _ in range(count):
        start = rng.randrange(len(paragraphs))
        length = rng.randrange(20, 120)
        pages.append("\n".join(paragraphs[start : start + length]) + "\n")
    return pages


def letter_tag(number: int) -> str:
    """``number`` written in letters (base 26): 1 → "b", 27 → "bb"."""
    tag = ""
    while True:
        number, digit = divmod(number, 26)
        tag = "abcdefghijklmnopqrstuvwxyz"[digit] + tag
        if number == 0:
            return tag


def site_like_pages(count: int, seed: int = 7) -> list[list[str]]:
    """``count`` pages shaped like a crawl of known sites: each copies a corpus page,
    keeps its chrome lines verbatim (they repeat across a site's pages) and makes
    every other line unique, as article text is."""
    rng = random.Random(seed)
    pages: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((ROOT / "data" / "corpus").rglob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            pages.setdefault(record["doc"], []).append((record["text"], record["label"]))
    templates = list(pages.values())
    out, unique = [], 0
    for _ in range(count):
        page = []
        for text, label in rng.choice(templates):
            if label != "boilerplate":
                # A tag of letters, not digits: the model maps digits to 0, and a
                # numbered copy would be a repeat to its caches, not a new line.
                unique += 1
                text = f"{text} ({letter_tag(unique)})"
            page.append(text)
        out.append(page)
    return out


def report(name: str, value: float, unit: str, reference: str, ratio: float, target: str) -> None:
    print(f"{name}: {value:.4g} {unit}; {reference}; ratio {ratio:.2f} (target {target})")
