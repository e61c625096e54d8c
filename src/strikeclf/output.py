"""Output formats shared by every command that prints paragraph records.

- ``jsonl`` is the stable machine contract: one object per paragraph with at
  least ``file``, ``line``, ``label``, ``proba`` (all four labels) and ``text``.
- ``json``: the same objects as one JSON array.
- ``tsv`` is for people: a header, then ``file, line, label, probability (of
  that label), text``.
- ``csv``: a header, then ``file, line, label, probability``, one
  ``p_<label>`` column per label, and ``text`` (RFC 4180 quoting).

With ``--min-proba`` every format also carries ``uncertain`` (true/false).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from .labels import LABELS

FORMATS = ("tsv", "jsonl", "json", "csv")
TSV_COLUMNS = ("file", "line", "label", "probability", "text")
CSV_COLUMNS = ("file", "line", "label", "probability", *(f"p_{label}" for label in LABELS), "text")


def _tsv_field(value: str) -> str:
    # A tab or line break inside a field would shift or split the row.
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


_RECORD_KEYS = ["file", "line", "label", "proba", "text"]


def _jsonl(r: dict[str, Any]) -> str:
    """``json.dumps(r, ensure_ascii=False) + "\\n"``, spelled out for the common record.

    Twice as fast as json.dumps on these records, byte for byte the same
    (floats use repr, as json does); anything else goes through json.dumps.
    """
    proba = r.get("proba")
    if list(r) != _RECORD_KEYS or not isinstance(proba, dict) or list(proba) != list(LABELS):
        return json.dumps(r, ensure_ascii=False) + "\n"
    p = [float.__repr__(float(proba[label])) for label in LABELS]
    return (
        f'{{"file": {json.dumps(r["file"], ensure_ascii=False)}, "line": {int(r["line"])}, '
        f'"label": {json.dumps(r["label"])}, "proba": {{"event_report": {p[0]}, '
        f'"official_claim": {p[1]}, "boilerplate": {p[2]}, "unrelated": {p[3]}}}, '
        f'"text": {json.dumps(r["text"], ensure_ascii=False)}}}\n'
    )


class RecordWriter:
    """Writes records in one format; call :meth:`write` per batch, :meth:`close` at the end."""

    def __init__(self, stream: TextIO, fmt: str, uncertain: bool = False) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        self.stream = stream
        self.fmt = fmt
        self.uncertain = uncertain
        self.count = 0
        self._csv = csv.writer(stream, lineterminator="\n") if fmt == "csv" else None

    def _header(self) -> None:
        extra = ("uncertain",) if self.uncertain else ()
        if self.fmt == "tsv":
            self.stream.write("\t".join((*TSV_COLUMNS[:-1], *extra, "text")) + "\n")
        elif self._csv is not None:
            self._csv.writerow((*CSV_COLUMNS[:-1], *extra, "text"))
        elif self.fmt == "json":
            self.stream.write("[")

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for r in records:
            if self.count == 0:
                self._header()
            self._write_one(r)
            self.count += 1

    def _write_one(self, r: dict[str, Any]) -> None:
        out = self.stream
        probability = r["proba"][r["label"]]
        extra = [str(r["uncertain"]).lower()] if self.uncertain else []
        if self.fmt == "jsonl":
            out.write(_jsonl(r))
        elif self.fmt == "json":
            out.write(("\n" if self.count == 0 else ",\n") + json.dumps(r, ensure_ascii=False))
        elif self.fmt == "tsv":
            fields = [_tsv_field(r["file"]), str(r["line"]), r["label"], f"{probability:.4f}"]
            out.write("\t".join([*fields, *extra, _tsv_field(r["text"])]) + "\n")
        elif self._csv is not None:
            probabilities = [repr(r["proba"][label]) for label in LABELS]
            self._csv.writerow(
                [
                    r["file"],
                    r["line"],
                    r["label"],
                    repr(probability),
                    *probabilities,
                    *extra,
                    r["text"],
                ]
            )

    def close(self) -> None:
        """Finish the output (a JSON array is closed even when empty)."""
        if self.fmt == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        elif self.count == 0:
            self._header()
        self.stream.flush()
