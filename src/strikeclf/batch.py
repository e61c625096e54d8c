"""Classify many inputs: files, folders, stdin; in parallel, in input order.

The CLI and pipelines share this: each input yields one :class:`PageResult`
(records, or the error that stopped it), in the order the inputs were given,
whatever ``jobs`` is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .inputs import STDIN, InputError, Page, read_page
from .model import Model


@dataclass
class PageResult:
    """What became of one input."""

    name: str
    records: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def classify_page_result(model: Model, page: Page) -> PageResult:
    records = [{"file": page.name, **r} for r in model.classify_page(page.text)]
    return PageResult(page.name, records, list(page.warnings))


def classify_input(model: Model, name: str, encoding: str | None = None) -> PageResult:
    """Read and classify one input; read errors are returned, not raised."""
    try:
        page = read_page(name, encoding)
    except InputError as exc:
        return PageResult(name, error=str(exc))
    return classify_page_result(model, page)


def classify_inputs(
    model: Model, names: Iterable[str], encoding: str | None = None, jobs: int = 1
) -> Iterator[PageResult]:
    """:func:`classify_input` over many inputs, ``jobs`` processes at a time, in order.

    Standard input (``-``) is always read in this process.
    """
    if jobs == 1:
        for name in names:
            yield classify_input(model, name, encoding)
        return
    from joblib import Parallel, delayed

    def tasks() -> Iterator[Any]:
        for name in names:
            if name == STDIN:  # workers cannot read this process's standard input
                try:
                    yield delayed(classify_page_result)(model, read_page(STDIN, encoding))
                except InputError as exc:
                    yield delayed(PageResult)(name, error=str(exc))
            else:
                yield delayed(classify_input)(model, name, encoding)

    # Results come back in input order; joblib batches inputs to each worker.
    yield from Parallel(n_jobs=jobs, return_as="generator")(tasks())


def mark_uncertain(records: list[dict[str, Any]], min_proba: float) -> list[dict[str, Any]]:
    """Add ``"uncertain": true`` to records whose label has probability below ``min_proba``.

    The label stays the most probable one: uncertainty is a flag, not a fifth label.
    """
    for r in records:
        r["uncertain"] = r["proba"][r["label"]] < min_proba
    return records
