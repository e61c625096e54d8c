"""Output formats shared by every command that prints paragraph records.

``jsonl`` is the stable machine contract: one object per paragraph with at
least ``file``, ``line``, ``label``, ``proba`` (all four labels) and ``text``.
``tsv`` is for people and spreadsheets: a header, then
``file, line, label, probability (of that label), text``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

FORMATS = ("tsv", "jsonl")
TSV_COLUMNS = ("file", "line", "label", "probability", "text")


def _tsv_field(value: str) -> str:
    # A tab or line break inside a field would shift or split the row.
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


class RecordWriter:
    """Writes records in one format; call :meth:`write` per batch, :meth:`close` at the end."""

    def __init__(self, stream: TextIO, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        self.stream = stream
        self.fmt = fmt
        self._started = False

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        out = self.stream
        if self.fmt == "jsonl":
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
            return
        if not self._started:
            out.write("\t".join(TSV_COLUMNS) + "\n")
            self._started = True
        for r in records:
            out.write(
                f"{_tsv_field(r['file'])}\t{r['line']}\t{r['label']}\t"
                f"{r['proba'][r['label']]:.4f}\t{_tsv_field(r['text'])}\n"
            )

    def close(self) -> None:
        self.stream.flush()
