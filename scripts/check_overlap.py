#!/usr/bin/env python3
"""List 8-word sequences a corpus page shares with the dev pages or the seeds.

Third-party text must not enter the synthetic corpus; run this on new pages
before importing them. Prints each shared sequence and a count (0 is clean).
Sequences of footnote numerals and stock phrases are judged by hand.

usage: python scripts/check_overlap.py [PAGE.txt ...]   (default: data/raw/synthetic/*.txt)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
N = 8


def ngrams(text: str) -> set[str]:
    words = re.findall(r"[\w']+", text.lower())
    return {" ".join(words[i : i + N]) for i in range(len(words) - N + 1)}


def grams_of(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        found |= ngrams(path.read_text(encoding="utf-8"))
    return found


def main(argv: list[str]) -> None:
    pages = [Path(a) for a in argv] or sorted((ROOT / "data" / "raw" / "synthetic").glob("*.txt"))
    references = {"dev": grams_of(SHARED / "dev"), "seed": grams_of(SHARED / "seeds")}
    hits = 0
    for page in pages:
        grams = ngrams(page.read_text(encoding="utf-8"))
        for name, reference in references.items():
            for gram in sorted(grams & reference):
                print(f"{name}\t{page}\t{gram}")
                hits += 1
    print(f"{hits} shared {N}-word sequences in {len(pages)} pages")


if __name__ == "__main__":
    main(sys.argv[1:])
