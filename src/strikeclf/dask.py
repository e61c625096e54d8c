"""Scale-out on Dask (optional extra: ``pip install 'strikeclf[dask]'``).

The unit of work is a pandas partition of pages in, one row per paragraph
out. :func:`classify_partition` is a plain function of a DataFrame, so it
runs unchanged wherever pandas partitions are mapped:

- ``dask.dataframe``: :func:`classify_dataframe` (``map_partitions``);
- ``dask.bag``: :func:`classify_bag`;
- Ray Data: ``ds.map_batches(classify_partition, batch_format="pandas")``;
- Spark: ``df.mapInPandas(lambda it: map(classify_partition, it), schema)``.

The model is loaded once per worker process and reused for every partition
(:func:`worker_model`). Output rows carry the same fields and values as
``strikeclf predict --format jsonl``.

Example (a folder of pages on a local cluster of two workers)::

    from dask.distributed import Client, LocalCluster
    from strikeclf.dask import classify_folder

    with Client(LocalCluster(n_workers=2, threads_per_worker=1)):
        rows = classify_folder("pages/").compute()

or from the shell: ``strikeclf dask pages/ --workers 2`` (``--scheduler
tcp://host:8786`` for an existing cluster).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .labels import LABELS
from .model import Model, load_model

#: Columns of the output, in order: the jsonl record flattened.
COLUMNS = ["file", "line", "label", *(f"p_{label}" for label in LABELS), "text"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "strikeclf.dask needs pandas and dask: pip install 'strikeclf[dask]'"
        ) from None
    return pandas


@lru_cache(maxsize=4)
def worker_model(path: str | None = None) -> Model:
    """The model, loaded once per process (each Dask worker keeps its own)."""
    return load_model(path)


def empty_frame() -> Any:
    """An empty output frame with the right dtypes (Dask's ``meta``)."""
    pd = _pandas()
    # dtype=str: object on pandas 2, the string dtype on pandas 3, as real partitions get
    frame = pd.DataFrame({column: pd.Series(dtype=str) for column in COLUMNS})
    frame["line"] = frame["line"].astype("int64")
    for label in LABELS:
        frame[f"p_{label}"] = frame[f"p_{label}"].astype("float64")
    return frame


def classify_partition(
    pages: Any, text_column: str = "text", id_column: str = "file", model_path: str | None = None
) -> Any:
    """Pages (one row each: an id and the page text) → one row per paragraph.

    Columns: ``file`` (the page id), ``line``, ``label``, ``p_<label>`` for each
    label, ``text``. Rows come page by page, in page order.
    """
    pd = _pandas()
    model = worker_model(model_path)
    rows: dict[str, list[Any]] = {column: [] for column in COLUMNS}
    for page_id, text in zip(pages[id_column], pages[text_column]):
        for record in model.classify_page(text):
            rows["file"].append(page_id)
            rows["line"].append(record["line"])
            rows["label"].append(record["label"])
            for label in LABELS:
                rows[f"p_{label}"].append(record["proba"][label])
            rows["text"].append(record["text"])
    if not rows["file"]:
        return empty_frame()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["line"] = frame["line"].astype("int64")
    return frame


def classify_dataframe(
    pages: Any, text_column: str = "text", id_column: str = "file", model_path: str | None = None
) -> Any:
    """A ``dask.dataframe`` of pages → a lazy ``dask.dataframe`` of paragraphs."""
    return pages.map_partitions(
        classify_partition,
        text_column=text_column,
        id_column=id_column,
        model_path=model_path,
        meta=empty_frame(),
    )


def _classify_bag_partition(
    pages: list[tuple[str, str]], model_path: str | None
) -> list[dict[str, Any]]:
    model = worker_model(model_path)
    return [{"file": name, **r} for name, text in pages for r in model.classify_page(text)]


def classify_bag(pages: Any, model_path: str | None = None) -> Any:
    """A ``dask.bag`` of ``(page id, text)`` → a bag of jsonl-style records."""
    return pages.map_partitions(_classify_bag_partition, model_path)


def _read_page(path: str) -> str:
    """A page decoded as ``strikeclf predict`` decodes it; unreadable pages give no rows."""
    from .inputs import InputError, read_text

    try:
        return read_text(path)
    except InputError:
        return ""


def _read_pages(paths: list[str]) -> Any:
    pd = _pandas()
    return pd.DataFrame({"file": paths, "text": [_read_page(p) for p in paths]})


def partitions(
    paths: list[str], pages_per_partition: int = 200, model_path: str | None = None
) -> list[Any]:
    """One ``dask.delayed`` paragraph frame per ``pages_per_partition`` pages, in order.

    The pages are read by the workers, not shipped from the client.
    """
    from dask import delayed

    chunks = [paths[i : i + pages_per_partition] for i in range(0, len(paths), pages_per_partition)]
    return [
        delayed(classify_partition)(delayed(_read_pages)(chunk), model_path=model_path)
        for chunk in chunks
    ]


def classify_folder(
    folder: str | Path,
    pattern: str = "*.txt",
    *,
    pages_per_partition: int = 200,
    model_path: str | None = None,
) -> Any:
    """Every page below ``folder`` (as ``strikeclf predict FOLDER`` finds them)
    → a lazy ``dask.dataframe`` of paragraphs; compute it on any scheduler."""
    import dask.dataframe as dd

    from .inputs import expand_inputs

    paths = list(expand_inputs((str(folder),), pattern))
    parts = partitions(paths, pages_per_partition, model_path)
    if not parts:
        return dd.from_pandas(empty_frame(), npartitions=1)
    return dd.from_delayed(parts, meta=empty_frame())


def frame_records(frame: Any) -> list[dict[str, Any]]:
    """Rows of an output frame as ``strikeclf predict --format jsonl`` records."""
    records = []
    for row in frame.itertuples(index=False):
        values = row._asdict()
        records.append(
            {
                "file": values["file"],
                "line": int(values["line"]),
                "label": values["label"],
                "proba": {label: float(values[f"p_{label}"]) for label in LABELS},
                "text": values["text"],
            }
        )
    return records
