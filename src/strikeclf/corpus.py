"""Read and validate the labelled corpus (JSONL records, LABELING.md format).

A corpus folder holds ``*.jsonl`` files, searched recursively; each line is
``{"doc": ..., "line": ..., "text": ..., "label": ...}``. Every problem stops
loading with a :class:`CorpusError` that names ``file:line`` and the reason,
because a silently skipped record is a silently wrong model.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .labels import LABELS

REQUIRED_KEYS = ("doc", "line", "text", "label")
_PAGE_NUMBER = re.compile(r"-\d+$")


class CorpusError(ValueError):
    """A corpus file is malformed; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Record:
    """One labelled paragraph."""

    doc: str
    line: int
    text: str
    label: str

    @property
    def outlet(self) -> str:
        """The site a page comes from, by naming convention: ``syn-wire-03`` → ``syn-wire``.

        Pages named without a trailing ``-NN`` are their own outlet.
        """
        return _PAGE_NUMBER.sub("", self.doc)


@dataclass(frozen=True)
class Corpus:
    """Validated records in page order, plus where they came from."""

    records: tuple[Record, ...]
    files: tuple[Path, ...]

    # The columns, built once (training reads them in loops over paragraphs) and
    # shared between callers: treat them as read-only.
    @cached_property
    def texts(self) -> list[str]:
        return [r.text for r in self.records]

    @cached_property
    def labels(self) -> list[str]:
        return [r.label for r in self.records]

    @cached_property
    def docs(self) -> list[str]:
        return [r.doc for r in self.records]

    @cached_property
    def outlets(self) -> list[str]:
        return [r.outlet for r in self.records]

    def label_counts(self) -> dict[str, int]:
        return {label: sum(r.label == label for r in self.records) for label in LABELS}

    def sha256(self) -> str:
        """Hash of the records' content, independent of file names and order of files."""
        digest = hashlib.sha256()
        for r in sorted(self.records, key=lambda r: (r.doc, r.line)):
            digest.update(json.dumps([r.doc, r.line, r.text, r.label]).encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()


def parse_record(line: str, where: str) -> Record:
    """Parse and check one JSONL line; ``where`` is ``file:line`` for messages."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise CorpusError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in obj]
    if missing:
        raise CorpusError(f"{where}: missing key(s) {', '.join(missing)}")
    doc, number, text, label = (obj[key] for key in REQUIRED_KEYS)
    if not isinstance(doc, str) or not doc:
        raise CorpusError(f"{where}: 'doc' must be a non-empty string")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise CorpusError(f"{where}: 'line' must be a positive integer, got {number!r}")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    if label not in LABELS:
        raise CorpusError(f"{where}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
    return Record(doc=doc, line=number, text=text, label=label)


def corpus_files(folders: Iterable[Path]) -> list[Path]:
    """All ``*.jsonl`` files below the given folders (or the files themselves), sorted."""
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
        elif folder.is_dir():
            found.extend(sorted(folder.rglob("*.jsonl")))
        else:
            raise CorpusError(f"{folder}: no such corpus file or folder")
    return found


def read_corpus(folders: Sequence[Path]) -> Corpus:
    """Read and validate every record below ``folders``.

    Records are returned page by page, each page in line order, whatever the
    order in the files (``strikeclf annotate`` writes least confident first).
    Raises :class:`CorpusError` for malformed lines, unknown labels, duplicate
    ``(doc, line)`` pairs, or a corpus with no records at all.
    """
    files = corpus_files(folders)
    pages: dict[str, list[Record]] = {}
    seen: dict[tuple[str, int], str] = {}
    for path in files:
        with open(path, encoding="utf-8-sig") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                where = f"{path}:{number}"
                record = parse_record(raw, where)
                key = (record.doc, record.line)
                if key in seen:
                    raise CorpusError(
                        f"{where}: duplicate record for doc {record.doc!r} line {record.line}"
                        f" (first at {seen[key]})"
                    )
                seen[key] = where
                pages.setdefault(record.doc, []).append(record)
    records = [r for page in pages.values() for r in sorted(page, key=lambda r: r.line)]
    if not records:
        names = ", ".join(str(f) for f in folders) or "(no folders)"
        raise CorpusError(f"{names}: empty corpus, no records found")
    return Corpus(records=tuple(records), files=tuple(files))
