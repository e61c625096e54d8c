#!/usr/bin/env python3
"""Turn annotated page sources into a raw page plus corpus records.

An annotated source (``<doc>.ann``) has one line per line of the page:
``TAG<TAB>raw text`` where TAG is E (event_report), O (official_claim),
B (boilerplate) or U (unrelated); an empty line stays an empty line of the
page. The script writes ``<raw_dir>/<doc>.txt`` (the page, exactly the raw
text after the tab) and ``<corpus_dir>/<doc>.jsonl`` (one record per
non-empty line, in the LABELING.md format).

usage: import_annotated.py RAW_DIR CORPUS_DIR FILE.ann [FILE.ann ...]
       import_annotated.py --check FILE.ann [...]   (validate only)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TAGS = {"E": "event_report", "O": "official_claim", "B": "boilerplate", "U": "unrelated"}


def parse(path: Path) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Return the page lines and the (line, text, label) records, or exit naming file:line."""
    page: list[str] = []
    records: list[tuple[int, str, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            page.append("")
            continue
        tag, sep, text = raw.partition("\t")
        if not sep or tag not in TAGS:
            sys.exit(f"{path}:{number}: expected 'E|O|B|U<TAB>text', got {raw[:60]!r}")
        if not text.strip():
            sys.exit(f"{path}:{number}: tag {tag} on an empty paragraph")
        page.append(text)
        records.append((number, text.strip(), TAGS[tag]))
    while page and not page[-1]:
        page.pop()
    return page, records


def main(argv: list[str]) -> None:
    check_only = argv[:1] == ["--check"]
    files = argv[1:] if check_only else argv[2:]
    if not files:
        sys.exit(__doc__)
    for name in files:
        path = Path(name)
        page, records = parse(path)
        counts: dict[str, int] = {}
        for _, _, label in records:
            counts[label] = counts.get(label, 0) + 1
        print(f"{path.stem}: {len(records)} paragraphs {counts}")
        if check_only:
            continue
        raw_dir, corpus_dir = Path(argv[0]), Path(argv[1])
        raw_dir.mkdir(parents=True, exist_ok=True)
        corpus_dir.mkdir(parents=True, exist_ok=True)
        (raw_dir / f"{path.stem}.txt").write_text("\n".join(page) + "\n", encoding="utf-8")
        with open(corpus_dir / f"{path.stem}.jsonl", "w", encoding="utf-8") as out:
            for line, text, label in records:
                record = {"doc": path.stem, "line": line, "text": text, "label": label}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
