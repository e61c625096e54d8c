"""CLI tests for folders, parallel jobs, every format, clean, annotate, plots."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from strikeclf.cli import main
from strikeclf.corpus import read_corpus
from strikeclf.labels import KEEP, LABELS

PAGES = {
    "a.txt": "Skip to content\nDrones struck a depot in Kursk.\nGovernor said two were hurt.\n",
    "b.txt": "Menu\n\nThe defence ministry said drones were downed over Bryansk.\nSubscribe\n",
    "sub/c.txt": "Elections in Moldova go to a second round.\nRead more\n",
    "sub/ignored.md": "This file does not match the default glob.\n",
}


def run(args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


@pytest.fixture()
def pages(tmp_path):
    for name, text in PAGES.items():
        path = tmp_path / "pages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "pages"


def jsonl(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_folder_is_searched_recursively_in_sorted_order(pages, tiny_model_path):
    result = run(["predict", "--format", "jsonl", "--model", tiny_model_path, pages])
    assert result.exit_code == 0, result.output
    files = [r["file"] for r in jsonl(result)]
    assert sorted(set(files)) == [str(pages / n) for n in ("a.txt", "b.txt", "sub/c.txt")]
    assert files == sorted(files)
    md = run(["predict", "--glob", "*.md", "--format", "jsonl", "--model", tiny_model_path, pages])
    assert {r["file"] for r in jsonl(md)} == {str(pages / "sub/ignored.md")}


def test_folder_without_matching_files_exits_1(tmp_path, tiny_model_path):
    (tmp_path / "empty").mkdir()
    result = run(["predict", "--model", tiny_model_path, tmp_path / "empty"])
    assert result.exit_code == 1
    assert "folder has no files matching '*.txt'" in result.stderr


def test_jobs_keep_input_order_and_output(pages, tiny_model_path):
    args = ["predict", "--format", "jsonl", "--model", tiny_model_path]
    names = [pages / "sub/c.txt", pages / "a.txt", "-", pages / "b.txt"]
    serial = run([*args, "--jobs", "1", *names], input=PAGES["a.txt"])
    parallel = run([*args, "--jobs", "2", *names], input=PAGES["a.txt"])
    assert serial.exit_code == parallel.exit_code == 0
    assert parallel.stdout == serial.stdout
    order = [r["file"] for r in jsonl(parallel)]
    assert list(dict.fromkeys(order)) == [str(n) for n in names]


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "json", "csv"])
def test_every_format_parses_back_to_the_same_records(fmt, pages, tiny_model_path):
    reference = jsonl(run(["predict", "--format", "jsonl", "--model", tiny_model_path, pages]))
    result = run(["predict", "--format", fmt, "--model", tiny_model_path, pages])
    assert result.exit_code == 0
    if fmt == "jsonl":
        parsed = jsonl(result)
    elif fmt == "json":
        parsed = json.loads(result.stdout)
    else:
        reader = csv.DictReader(io.StringIO(result.stdout), delimiter="\t" if fmt == "tsv" else ",")
        parsed = list(reader)
    assert len(parsed) == len(reference)
    for got, want in zip(parsed, reference):
        assert got["file"] == want["file"]
        assert int(got["line"]) == want["line"]
        assert got["label"] == want["label"]
        assert got["text"] == want["text"]
        if fmt == "csv":
            for label in LABELS:
                assert float(got[f"p_{label}"]) == want["proba"][label]
        if fmt == "tsv":
            assert float(got["probability"]) == pytest.approx(
                want["proba"][want["label"]], abs=5e-5
            )


def test_json_of_no_records_is_an_empty_array(tmp_path, tiny_model_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run(["predict", "--format", "json", "--model", tiny_model_path, empty])
    assert json.loads(result.stdout) == []


def test_min_proba_flags_without_changing_labels(pages, tiny_model_path):
    base = jsonl(run(["predict", "--format", "jsonl", "--model", tiny_model_path, pages]))
    flagged = jsonl(
        run(
            [
                "predict",
                "--format",
                "jsonl",
                "--min-proba",
                "0.9",
                "--model",
                tiny_model_path,
                pages,
            ]
        )
    )
    assert [r["label"] for r in flagged] == [r["label"] for r in base]
    for r in flagged:
        assert r["uncertain"] is (r["proba"][r["label"]] < 0.9)
    tsv = run(["predict", "--min-proba", "0.9", "--model", tiny_model_path, pages])
    assert tsv.stdout.splitlines()[0] == "file\tline\tlabel\tprobability\tuncertain\ttext"
    assert run(["predict", "--min-proba", "1.5", "-"]).exit_code == 2


def test_clean_keeps_on_topic_paragraphs_by_default(pages, tiny_model, tiny_model_path):
    result = run(["clean", "--model", tiny_model_path, pages / "a.txt"])
    assert result.exit_code == 0
    expected = [r["text"] for r in tiny_model.classify_page(PAGES["a.txt"]) if r["label"] in KEEP]
    assert result.stdout.splitlines() == expected


def test_clean_keep_drop_and_jsonl(pages, tiny_model, tiny_model_path):
    records = tiny_model.classify_page(PAGES["b.txt"])
    keep = run(["clean", "--keep", "boilerplate", "--model", tiny_model_path, pages / "b.txt"])
    assert keep.stdout.splitlines() == [r["text"] for r in records if r["label"] == "boilerplate"]
    drop = run(["clean", "--drop", "boilerplate", "--model", tiny_model_path, pages / "b.txt"])
    assert drop.stdout.splitlines() == [r["text"] for r in records if r["label"] != "boilerplate"]
    as_jsonl = run(
        [
            "clean",
            "--drop",
            "boilerplate",
            "--format",
            "jsonl",
            "--model",
            tiny_model_path,
            pages / "b.txt",
        ]
    )
    for r in jsonl(as_jsonl):
        assert set(r) == {"file", "line", "label", "proba", "text"}
        assert r["label"] != "boilerplate"


def test_clean_usage_errors(pages, tiny_model_path):
    both = run(["clean", "--keep", "unrelated", "--drop", "boilerplate", pages])
    assert both.exit_code == 2
    bad = run(["clean", "--keep", "news", "--model", tiny_model_path, pages])
    assert bad.exit_code == 2
    assert "expected a comma-separated subset" in bad.stderr


def test_clean_out_dir_writes_one_file_per_input(pages, tmp_path, tiny_model, tiny_model_path):
    out = tmp_path / "cleaned"
    result = run(
        [
            "clean",
            "--keep",
            "boilerplate,unrelated",
            "--out-dir",
            out,
            "--model",
            tiny_model_path,
            pages,
        ]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "c.txt"]
    records = tiny_model.classify_page(PAGES["sub/c.txt"])
    kept = [r["text"] for r in records if r["label"] in {"boilerplate", "unrelated"}]
    assert (out / "c.txt").read_text(encoding="utf-8").splitlines() == kept
    assert not list(out.glob(".*"))


def test_annotate_writes_corpus_records_least_confident_first(pages, tmp_path, tiny_model_path):
    out = tmp_path / "labels" / "batch.jsonl"
    result = run(["annotate", "--model", tiny_model_path, "--out", out, pages])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    confidence = [r["proba"][r["label"]] for r in records]
    assert confidence == sorted(confidence)
    assert {r["doc"] for r in records} == {"a", "b", "c"}
    corpus = read_corpus([out.parent])  # valid corpus as written, in any order
    assert len(corpus.records) == len(records)
    assert [r.line for r in corpus.records if r.doc == "b"] == [1, 3, 4]
    assert "least confident first" in result.stderr


def test_annotate_then_train_on_it(pages, tmp_path, tiny_corpus, tiny_model_path):
    out = tmp_path / "mine" / "batch.jsonl"
    run(["annotate", "--model", tiny_model_path, "--out", out, pages])
    root = tmp_path / "proj"
    (root / "data" / "corpus").mkdir(parents=True)
    trained = run(
        [
            "train",
            "--root",
            root,
            "--no-synthetic",
            "--corpus",
            tiny_corpus,
            "--corpus",
            out.parent,
            "--out",
            tmp_path / "model",
            "--no-dev",
            "--jobs",
            "1",
        ]
    )
    assert trained.exit_code == 0, trained.output
    assert "corpus: 27 paragraphs, 6 pages" in trained.stdout


def test_evaluate_plot_without_matplotlib_is_a_clear_error(tmp_path, tiny_model_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import now raises ImportError
    (tmp_path / "p-01.txt").write_text("Menu\n", encoding="utf-8")
    (tmp_path / "p-01.gold.tsv").write_text("1\tboilerplate\n", encoding="utf-8")
    result = run(["evaluate", "--plot", tmp_path / "x.png", "--model", tiny_model_path, tmp_path])
    assert result.exit_code == 1
    assert "--plot needs matplotlib: pip install 'strikeclf[plot]'" in result.stderr


def test_evaluate_plot_draws_a_png(tmp_path, tiny_model_path):
    pytest.importorskip("matplotlib")
    (tmp_path / "p-01.txt").write_text(PAGES["a.txt"], encoding="utf-8")
    (tmp_path / "p-01.gold.tsv").write_text(
        "1\tboilerplate\n2\tevent_report\n3\tofficial_claim\n", encoding="utf-8"
    )
    png = tmp_path / "eval.png"
    result = run(["evaluate", "--plot", png, "--model", tiny_model_path, tmp_path])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("command", ["predict", "clean", "annotate", "evaluate", "info", "train"])
def test_every_command_has_help_with_an_example(command):
    result = run([command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_completion_is_documented():
    assert "_STRIKECLF_COMPLETE=bash_source" in run(["--help"]).stdout


@settings(max_examples=200, deadline=None)
@given(
    st.text(),
    st.text(),
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=4, max_size=4),
    st.integers(min_value=1, max_value=10**9),
)
def test_jsonl_fast_path_is_byte_identical_to_json_dumps(file, text, probabilities, line):
    from strikeclf.output import _jsonl

    record = {
        "file": file,
        "line": line,
        "label": "boilerplate",
        "proba": dict(zip(LABELS, probabilities)),
        "text": text,
    }
    assert _jsonl(record) == json.dumps(record, ensure_ascii=False) + "\n"
    extra = {**record, "uncertain": True}
    assert _jsonl(extra) == json.dumps(extra, ensure_ascii=False) + "\n"
