#!/usr/bin/env python3
"""Retrain the shipped model from data/corpus into models/.

A thin wrapper over ``strikeclf train`` (same options; ``python train.py --help``).
It uses the package source beside it, so a clone trains with its own code.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.cli import train  # noqa: E402

if __name__ == "__main__":
    train.main(prog_name="train.py", default_map={"root": str(ROOT)})
