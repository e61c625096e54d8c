"""Classify many inputs: files, folders, stdin; streamed, or in parallel in input order.

The CLI and pipelines share this: each input yields one :class:`PageResult`
(its records, or the error that stopped it), in the order the inputs were
given, whatever ``jobs`` is. With ``jobs=1`` records are streamed (memory
stays flat on a 1 GB file); worker processes return each page's records whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .inputs import STDIN, InputError, open_input
from .model import Model


@dataclass
class PageResult:
    """What became of one input. ``warnings`` is complete once ``records`` is consumed."""

    name: str
    records: Iterable[dict[str, Any]] = ()
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def classify_input(
    model: Model, name: str, encoding: str | None = None, stream: bool = False
) -> PageResult:
    """Read and classify one input; read errors are returned, not raised.

    ``stream=True`` gives records as a generator that reads the input as it goes.
    """
    try:
        source = open_input(name, encoding)
    except InputError as exc:
        return PageResult(name, error=str(exc))
    records = ({"file": name, **r} for r in model.classify_lines(source))
    return PageResult(name, records if stream else list(records), source.warnings)


def _classify_lines(model: Model, name: str, lines: list[str], warnings: list[str]) -> PageResult:
    records = [{"file": name, **r} for r in model.classify_lines(lines)]
    return PageResult(name, records, warnings)


def classify_inputs(
    model: Model, names: Iterable[str], encoding: str | None = None, jobs: int = 1
) -> Iterator[PageResult]:
    """:func:`classify_input` over many inputs, ``jobs`` processes at a time, in order."""
    if jobs == 1:
        for name in names:
            yield classify_input(model, name, encoding, stream=True)
        return
    from joblib import Parallel, delayed

    def tasks() -> Iterator[Any]:
        for name in names:
            if name == STDIN:  # workers cannot read this process's standard input
                try:
                    source = open_input(STDIN, encoding)
                except InputError as exc:
                    yield delayed(PageResult)(name, error=str(exc))
                    continue
                lines = list(source)
                yield delayed(_classify_lines)(model, name, lines, source.warnings)
            else:
                yield delayed(classify_input)(model, name, encoding)

    # Results come back in input order; joblib batches inputs to each worker.
    yield from Parallel(n_jobs=jobs, return_as="generator")(tasks())


def mark_uncertain(records: Iterable[dict[str, Any]], min_proba: float) -> Iterator[dict[str, Any]]:
    """Add ``"uncertain": true`` to records whose label has probability below ``min_proba``.

    The label stays the most probable one: uncertainty is a flag, not a fifth label.
    """
    for r in records:
        r["uncertain"] = r["proba"][r["label"]] < min_proba
        yield r
