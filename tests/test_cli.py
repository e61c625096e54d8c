"""CLI tests with click's CliRunner: exact output, stdin, exit codes, help."""

import json

from click.testing import CliRunner

from strikeclf import __version__
from strikeclf.cli import main
from strikeclf.labels import LABELS

PAGE = "Skip to content\n\nDrones struck a depot in Kursk.\nGovernor said two people were hurt.\n"


def run(args, **kwargs):
    return CliRunner().invoke(main, args, **kwargs)


def test_predict_tsv_exact_output(tmp_path, tiny_model, tiny_model_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = run(["predict", "--model", str(tiny_model_path), str(page)])
    assert result.exit_code == 0, result.output
    expected = ["file\tline\tlabel\tprobability\ttext"] + [
        f"{page}\t{r['line']}\t{r['label']}\t{r['proba'][r['label']]:.4f}\t{r['text']}"
        for r in tiny_model.classify_page(PAGE)
    ]
    assert result.stdout == "\n".join(expected) + "\n"
    assert result.stdout.splitlines()[1].startswith(f"{page}\t1\t")
    assert result.stderr == ""


def test_predict_jsonl_contract(tmp_path, tiny_model_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = run(["predict", "--format", "jsonl", "--model", str(tiny_model_path), str(page)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 3, 4]
    for r in records:
        assert list(r) == ["file", "line", "label", "proba", "text"]
        assert r["file"] == str(page)
        assert r["label"] in LABELS
        assert list(r["proba"]) == list(LABELS)
        assert abs(sum(r["proba"].values()) - 1) < 1e-9


def test_predict_stdin_is_dash(tiny_model_path):
    result = run(["predict", "--format", "jsonl", "--model", str(tiny_model_path), "-"], input=PAGE)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["line"]) for r in records] == [("-", 1), ("-", 3), ("-", 4)]


def test_model_from_environment_variable(tmp_path, tiny_model_path):
    result = run(["predict", "-"], input=PAGE, env={"STRIKECLF_MODEL": str(tiny_model_path)})
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4


def test_missing_input_is_reported_and_others_still_processed(tmp_path, tiny_model_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = run(["predict", "--model", str(tiny_model_path), str(missing), str(page)])
    assert result.exit_code == 1
    assert result.stderr == f"strikeclf: {missing}: no such file\n"
    assert len(result.stdout.splitlines()) == 4


def test_empty_input_notes_on_stderr_and_exits_zero(tmp_path, tiny_model_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    result = run(["predict", "--format", "jsonl", "--model", str(tiny_model_path), str(empty)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"strikeclf: {empty}: no paragraphs (empty or blank input)\n"


def test_missing_model_is_a_clear_error(tmp_path):
    result = run(["predict", "--model", str(tmp_path / "none.joblib"), "-"], input=PAGE)
    assert result.exit_code == 1
    assert "no model file there. Train one with `python train.py`" in result.stderr
    assert "Traceback" not in result.output


def test_usage_errors_exit_2():
    assert run(["predict"]).exit_code == 2
    assert run(["predict", "--format", "xml", "-"]).exit_code == 2
    assert run(["no-such-command"]).exit_code == 2


def test_help_and_version():
    result = run(["--help"])
    assert result.exit_code == 0
    assert "predict" in result.stdout and "event_report" in result.stdout
    predict_help = run(["predict", "--help"])
    assert "Examples:" in predict_help.stdout and "--format" in predict_help.stdout
    assert run(["--version"]).stdout == f"strikeclf, version {__version__}\n"


def test_info_prints_the_sidecar(tiny_model_path):
    result = run(["info", "--model", str(tiny_model_path)])
    assert result.exit_code == 0
    card = json.loads(result.stdout)
    assert card["labels"] == list(LABELS)
    assert card["path"] == str(tiny_model_path)


def test_evaluate_prints_scorer_figures(tmp_path, tiny_model, tiny_model_path):
    (tmp_path / "p-01.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "p-01.gold.tsv").write_text(
        "1\tboilerplate\n3\tevent_report\n4\tofficial_claim\n", encoding="utf-8"
    )
    result = run(["evaluate", "--model", str(tiny_model_path), str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[pages]\n  n=3 macro_f1=")
    assert "missing predictions: 0" in result.stdout
    as_json = json.loads(
        run(["evaluate", "--json", "--model", str(tiny_model_path), str(tmp_path)]).stdout
    )
    assert as_json["all"]["n"] == 3


def test_evaluate_reports_bad_gold(tmp_path, tiny_model_path):
    (tmp_path / "p-01.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "p-01.gold.tsv").write_text("1\tnews\n", encoding="utf-8")
    result = run(["evaluate", "--model", str(tiny_model_path), str(tmp_path)])
    assert result.exit_code == 1
    assert "p-01.gold.tsv:1: unknown label 'news'" in result.stderr


def test_train_command_writes_a_model(tmp_path, tiny_corpus):
    root = tmp_path / "proj"
    (root / "data" / "corpus").mkdir(parents=True)
    result = run(
        [
            "train",
            "--root",
            str(root),
            "--no-synthetic",
            "--corpus",
            str(tiny_corpus),
            "--out",
            str(tmp_path / "out"),
            "--no-dev",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "grouped by outlet, 2 folds, whole corpus" in result.stdout
    assert (tmp_path / "out" / "strikeclf.npz").exists()
    assert (tmp_path / "out" / "strikeclf.joblib").exists()
    assert (tmp_path / "out" / "strikeclf.json").exists()
