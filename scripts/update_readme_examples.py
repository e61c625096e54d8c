#!/usr/bin/env python3
"""Re-run the commands shown in README.md and paste their real output.

A block to refresh looks like this in the README:

    <!-- run: strikeclf clean data/raw/seeds/003_11234080d2b886d8.txt -->
    ```console
    (replaced by "$ <command>" and its output)
    ```

Run from the repository root with strikeclf installed: python scripts/update_readme_examples.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- run: (?P<cmd>.+?) -->\n)```console\n.*?```", re.S)


def refresh(match: re.Match[str]) -> str:
    command = match.group("cmd")
    result = subprocess.run(
        command, shell=True, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode not in (0, 141):
        sys.exit(f"`{command}` failed ({result.returncode}):\n{result.stderr}")
    return f"{match.group(1)}```console\n$ {command}\n{result.stdout.rstrip()}\n```"


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(BLOCK.sub(refresh, text), encoding="utf-8")


if __name__ == "__main__":
    main()
