"""The Python API: plain records, probabilities in LABELS order, cleaning."""

import numpy as np

import strikeclf
from strikeclf.labels import LABELS

PAGE = "Skip to content\n\nDrones struck a depot in Kursk, starting a fire.\nRead more\n"


def test_classify_page_returns_plain_records(tiny_model):
    records = tiny_model.classify_page(PAGE)
    assert [r["line"] for r in records] == [1, 3, 4]
    assert [r["text"] for r in records] == [
        "Skip to content",
        "Drones struck a depot in Kursk, starting a fire.",
        "Read more",
    ]
    for r in records:
        assert set(r) == {"line", "label", "proba", "text"}
        assert list(r["proba"]) == list(LABELS)
        assert abs(sum(r["proba"].values()) - 1) < 1e-9
        assert r["label"] == max(r["proba"], key=r["proba"].get)


def test_predict_and_predict_proba_agree(tiny_model):
    paragraphs = ["Subscribe to our newsletter", "The governor said nobody was hurt."]
    proba = tiny_model.predict_proba(paragraphs)
    assert proba.shape == (2, 4)
    assert tiny_model.predict(paragraphs) == [LABELS[i] for i in np.argmax(proba, axis=1)]
    assert tiny_model.predict_proba([]).shape == (0, 4)


def test_clean_keeps_exactly_the_paragraphs_with_kept_labels(tiny_model):
    records = tiny_model.classify_page(PAGE)
    for keep in (strikeclf.KEEP, {"boilerplate"}, set(LABELS)):
        expected = [r["text"] for r in records if r["label"] in keep]
        assert tiny_model.clean(PAGE, keep=keep) == "\n".join(expected)
    assert strikeclf.clean(PAGE, model=tiny_model) == tiny_model.clean(PAGE)


def test_pipelines_are_reachable(tiny_model):
    assert list(tiny_model.pipeline.named_steps) == ["normalise", "features", "classifier"]
    assert list(tiny_model.context.named_steps) == ["scale", "classifier"]


def test_context_changes_with_neighbours(tiny_model):
    line = "Drones struck a depot in Kursk."
    alone = tiny_model.predict_proba([line])[0]
    in_chrome = tiny_model.predict_proba(["Menu", "Subscribe", line, "Read more"])[2]
    assert not np.allclose(alone, in_chrome)


def test_citation_markers_get_their_paragraphs_probabilities(tiny_model):
    page = "Drones struck a depot in Kursk.\n[xli]\n[xlii]\n[xliii]\n[xliv]\nRead more\n"
    records = tiny_model.classify_page(page)
    assert [r["proba"] for r in records[1:5]] == [records[0]["proba"]] * 4
    assert records[5]["proba"] != records[0]["proba"]


def test_import_is_light():
    import subprocess
    import sys

    code = "import strikeclf, sys; print('sklearn' in sys.modules, 'nltk' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_api_and_cli_give_identical_predictions(tmp_path, tiny_model, tiny_model_path):
    import json

    from click.testing import CliRunner

    from strikeclf.cli import main

    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Menu\nElections in Moldova.\n", encoding="utf-8")
    args = ["predict", "--format", "jsonl", "--model", str(tiny_model_path)]
    alone = CliRunner().invoke(main, [*args, str(page)]).stdout
    among = CliRunner().invoke(main, [*args, str(other), str(page), str(other)]).stdout
    cli = [json.loads(line) for line in alone.splitlines()]
    api = [{"file": str(page), **r} for r in tiny_model.classify_page(PAGE)]
    assert cli == api  # same records, same floats
    assert [r for r in map(json.loads, among.splitlines()) if r["file"] == str(page)] == cli


def test_prediction_is_deterministic(tiny_model):
    first = tiny_model.classify_page(PAGE)
    assert all(tiny_model.classify_page(PAGE) == first for _ in range(3))
