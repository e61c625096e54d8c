"""Dask integration: partition function, dataframe and bag helpers, the CLI command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")

from strikeclf.cli import main  # noqa: E402
from strikeclf.dask import (  # noqa: E402
    COLUMNS,
    classify_bag,
    classify_dataframe,
    classify_partition,
    frame_records,
    worker_model,
)

PAGES = {
    "p1.txt": "Skip to content\nDrones struck a depot in Kursk.\nGovernor said two were hurt.\n",
    "p2.txt": "Menu\n\nElections in Moldova go to a second round.\nSubscribe\n",
    "p3.txt": "\n",
}


@pytest.fixture()
def folder(tmp_path):
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def cli_records(paths, model_path):
    args = ["predict", "--format", "jsonl", "--model", str(model_path), *map(str, paths)]
    return [json.loads(line) for line in CliRunner().invoke(main, args).stdout.splitlines()]


def test_partition_function_gives_the_cli_records(folder, tiny_model_path):
    paths = [str(folder / n) for n in PAGES]
    pages = pd.DataFrame({"file": paths, "text": list(PAGES.values())})
    frame = classify_partition(pages, model_path=str(tiny_model_path))
    assert list(frame.columns) == COLUMNS
    assert frame_records(frame) == cli_records(paths, tiny_model_path)


def test_empty_partition_has_the_schema(tiny_model_path):
    frame = classify_partition(
        pd.DataFrame({"file": [], "text": []}), model_path=str(tiny_model_path)
    )
    assert list(frame.columns) == COLUMNS and len(frame) == 0


def test_dataframe_and_bag_helpers(folder, tiny_model_path):
    paths = [str(folder / n) for n in PAGES]
    pages = pd.DataFrame({"file": paths, "text": list(PAGES.values())})
    lazy = classify_dataframe(dd.from_pandas(pages, npartitions=2), model_path=str(tiny_model_path))
    frame = lazy.compute(scheduler="synchronous")
    expected = cli_records(paths, tiny_model_path)
    assert frame_records(frame.reset_index(drop=True)) == expected
    bag = db.from_sequence(list(zip(paths, PAGES.values())), npartitions=2)
    records = classify_bag(bag, model_path=str(tiny_model_path)).compute(scheduler="synchronous")
    assert records == expected


def test_model_loads_once_per_process(tiny_model_path):
    assert worker_model(str(tiny_model_path)) is worker_model(str(tiny_model_path))


def test_dask_command_on_a_local_cluster_matches_predict(folder, tiny_model_path):
    result = CliRunner().invoke(
        main,
        [
            "dask",
            str(folder),
            "--workers",
            "1",
            "--pages-per-partition",
            "2",
            "--format",
            "jsonl",
            "--model",
            str(tiny_model_path),
        ],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == cli_records([folder], tiny_model_path)


def test_dask_command_refuses_stdin(tiny_model_path):
    result = CliRunner().invoke(main, ["dask", "-", "--model", str(tiny_model_path)])
    assert result.exit_code == 2


def test_classify_folder_builds_a_dataframe_with_matching_meta(folder, tiny_model_path):
    from strikeclf.dask import classify_folder

    lazy = classify_folder(folder, pages_per_partition=2, model_path=str(tiny_model_path))
    frame = lazy.compute(scheduler="synchronous")  # from_delayed checks partitions against meta
    assert frame_records(frame.reset_index(drop=True)) == cli_records([folder], tiny_model_path)
