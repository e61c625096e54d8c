"""Training writes a model plus a sidecar; loading checks the pair."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from strikeclf.corpus import Corpus, CorpusError, Record
from strikeclf.labels import LABELS
from strikeclf.model import ModelError, file_sha256, load_model
from strikeclf.training import cross_validate, summarise, train

from .conftest import PAGES, REPO, SMALL_SETTINGS, write_corpus


def test_sidecar_records_how_the_model_was_made(tiny_model):
    meta = tiny_model.metadata
    assert meta["labels"] == list(LABELS)
    assert meta["settings"]["seed"] == SMALL_SETTINGS.seed
    assert len(meta["corpus"]["sha256"]) == 64
    assert meta["corpus"]["pages"] == len(PAGES)
    assert {"python", "scikit-learn", "numpy", "nltk", "strikeclf"} <= set(meta["versions"])
    by_outlet = meta["cross_validation"]["by_outlet"]
    assert by_outlet["split"] == "outlet" and by_outlet["folds"] == 2
    assert 0 <= by_outlet["macro_f1"] <= 1


def test_two_runs_give_identical_figures_and_predictions(tmp_path, tiny_corpus):
    first = train([tiny_corpus], tmp_path / "a", SMALL_SETTINGS)
    second = train([tiny_corpus], tmp_path / "b", SMALL_SETTINGS)
    assert_same_model(
        first,
        second,
        "Skip to content\nDrones hit a depot in Kursk.\nThe governor said two were hurt.",
    )


def test_model_files_do_not_depend_on_the_process(tmp_path, tiny_corpus):
    """Same corpus and settings, other process and hash seed: the same bytes."""
    program = (
        "import sys; from pathlib import Path; from strikeclf.training import train; "
        "from tests.conftest import SMALL_SETTINGS; "
        "train([Path(sys.argv[1])], Path(sys.argv[2]), SMALL_SETTINGS)"
    )
    for seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", program, str(tiny_corpus), str(tmp_path / seed)],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
    for name in ("strikeclf.npz", "strikeclf.joblib"):
        assert file_sha256(tmp_path / "1" / name) == file_sha256(tmp_path / "2" / name), name


def assert_same_model(first, second, page):
    """Two training runs gave the same figures and classify ``page`` the same way."""
    assert first.metadata["cross_validation"] == second.metadata["cross_validation"]
    a = load_model(first.model_path).classify_page(page)
    b = load_model(second.model_path).classify_page(page)
    assert a == b


def test_cross_validation_never_sees_the_held_out_page(tiny_corpus):
    from strikeclf.corpus import read_corpus

    corpus = read_corpus([tiny_corpus])
    by_page = cross_validate(corpus, SMALL_SETTINGS, "page")
    by_outlet = cross_validate(corpus, SMALL_SETTINGS, "outlet")
    assert by_page.folds == 3 and by_outlet.folds == 2
    assert set(by_outlet.per_group) == {"tiny-a", "tiny-b"}
    assert set(by_outlet.to_dict()["accuracy_by_group"]) == {"tiny-a", "tiny-b"}


def test_summarise_scores_each_group_on_its_own_rows():
    rows = [("a-01", "boilerplate"), ("a-01", "unrelated"), ("b-01", "event_report")]
    corpus = Corpus(
        records=tuple(
            Record(doc, i + 1, f"line {i}", label) for i, (doc, label) in enumerate(rows)
        ),
        files=(),
    )
    # Predicted: boilerplate, boilerplate, event_report -> a-01 half right, b-01 right.
    proba = np.zeros((3, len(LABELS)))
    for row, label in enumerate(["boilerplate", "boilerplate", "event_report"]):
        proba[row, LABELS.index(label)] = 1.0
    summary = summarise(corpus, "page", None, proba)
    assert summary.per_group == {"a-01": 0.5, "b-01": 1.0}
    assert summary.folds == 2
    assert summary.figures["accuracy"] == pytest.approx(2 / 3)


def test_missing_label_is_refused(tmp_path):
    pages = {"x-01": [(t, lab) for t, lab in PAGES["tiny-a-01"] if lab != "unrelated"]}
    with pytest.raises(CorpusError, match="no examples of label"):
        train([write_corpus(tmp_path / "c", pages)], tmp_path / "m", SMALL_SETTINGS)


def test_failed_training_leaves_previous_model(tmp_path, tiny_model_path):
    out = tmp_path / "models"
    shutil.copytree(tiny_model_path.parent, out)
    before = (out / "strikeclf.npz").read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.jsonl").write_text("{oops\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        train([bad], out, SMALL_SETTINGS)
    assert (out / "strikeclf.npz").read_bytes() == before
    load_model(out / "strikeclf.npz")
    assert not list(out.glob(".*"))  # no temporary files left behind


def test_load_refuses_model_not_matching_sidecar(tmp_path, tiny_model_path):
    shutil.copytree(tiny_model_path.parent, tmp_path / "m")
    model = tmp_path / "m" / "strikeclf.npz"
    model.write_bytes(model.read_bytes()[:-100])  # truncated
    with pytest.raises(ModelError, match="does not match the SHA-256"):
        load_model(model)


def test_load_refuses_missing_sidecar_and_missing_model(tmp_path, tiny_model_path):
    shutil.copy(tiny_model_path, tmp_path / "strikeclf.npz")
    with pytest.raises(ModelError, match="sidecar missing"):
        load_model(tmp_path / "strikeclf.npz")
    with pytest.raises(ModelError, match=r"Train one with `python train\.py`"):
        load_model(tmp_path / "absent.joblib")


def test_load_refuses_other_format_version(tmp_path, tiny_model_path):
    shutil.copytree(tiny_model_path.parent, tmp_path / "m")
    sidecar = tmp_path / "m" / "strikeclf.json"
    meta = json.loads(sidecar.read_text())
    sidecar.write_text(json.dumps({**meta, "format": 99}))
    with pytest.raises(ModelError, match="model format 99"):
        load_model(tmp_path / "m" / "strikeclf.npz")


def test_version_drift_warns(tmp_path, tiny_model_path):
    shutil.copytree(tiny_model_path.parent, tmp_path / "m")
    sidecar = tmp_path / "m" / "strikeclf.json"
    meta = json.loads(sidecar.read_text())
    meta["versions"]["scikit-learn"] = "0.0.1"
    sidecar.write_text(json.dumps(meta))
    with pytest.warns(UserWarning, match="trained with scikit-learn 0.0.1"):
        load_model(tmp_path / "m" / "strikeclf.npz")


def test_served_arrays_give_the_fitted_pipelines_predictions(tmp_path, tiny_corpus):
    from strikeclf.corpus import read_corpus
    from strikeclf.stacking import fit_stacked, predict_page_proba

    corpus = read_corpus([tiny_corpus])
    stages = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, SMALL_SETTINGS)
    result = train([tiny_corpus], tmp_path / "m", SMALL_SETTINGS)
    served = load_model(result.model_path)
    pickled = load_model(tmp_path / "m" / "strikeclf.joblib", trust_pickle=True)
    page = [*corpus.texts, "Сeasefire", "An unseen paragraph about a refinery fire in Syzran."]
    expected = predict_page_proba(stages, page)
    assert abs(served.predict_proba(page) - expected).max() < 1e-9
    assert abs(pickled.predict_proba(page) - expected).max() < 1e-9


def test_held_out_scores_never_depend_on_their_own_fold_labels(tiny_corpus):
    """Nested cross-validation: relabelling a fold cannot move that fold's held-out scores."""
    from strikeclf.corpus import read_corpus
    from strikeclf.stacking import fit_folds, group_folds

    corpus = read_corpus([tiny_corpus])
    folds = group_folds(corpus.docs, None)
    assert sorted(set(folds.tolist())) == [0, 1, 2]
    shuffled = list(corpus.labels)
    for i in map(int, (folds == 1).nonzero()[0]):
        shuffled[i] = LABELS[(LABELS.index(shuffled[i]) + 1) % len(LABELS)]
    kwargs = {"final": False, "held_out": True}
    original = fit_folds(corpus.texts, corpus.labels, corpus.docs, folds, SMALL_SETTINGS, **kwargs)
    relabelled = fit_folds(corpus.texts, shuffled, corpus.docs, folds, SMALL_SETTINGS, **kwargs)
    assert original.held_out is not None and relabelled.held_out is not None
    assert (original.held_out[folds == 1] == relabelled.held_out[folds == 1]).all()
    assert not (original.held_out[folds != 1] == relabelled.held_out[folds != 1]).all()


def test_parallel_training_gives_the_same_model(tmp_path, tiny_corpus):
    """Every fit runs on one BLAS thread, so --jobs changes the time, not the model."""
    one = train([tiny_corpus], tmp_path / "one", SMALL_SETTINGS, outlet_folds=None, jobs=1)
    two = train([tiny_corpus], tmp_path / "two", SMALL_SETTINGS, outlet_folds=None, jobs=2)
    page = "Menu\nDrones hit a depot in Kursk.\nThe governor said two were hurt.\nRead more"
    assert_same_model(one, two, page)


def test_final_model_equals_a_separate_fit(tmp_path):
    """Sharing first-stage fits with the cross-validation does not change the final model."""
    import numpy as np

    from strikeclf.corpus import read_corpus
    from strikeclf.stacking import fit_stacked, predict_page_proba

    pages = {f"{doc[:6]}{n}-{doc[-2:]}": lines for n in "xyz" for doc, lines in PAGES.items()}
    corpus_dir = write_corpus(tmp_path / "c", pages)
    corpus = read_corpus([corpus_dir])
    assert len(set(corpus.outlets)) == 6
    settings = replace(SMALL_SETTINGS, context_folds=3)
    trained = train([corpus_dir], tmp_path / "m", settings, outlet_folds=3)
    separate = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, settings)
    texts = [text for text, _ in PAGES["tiny-b-01"]]
    served = load_model(trained.model_path).predict_proba(texts)
    # The two start their fits from different related fits (strikeclf.warm),
    # so they reach the same optimum to the solver's tolerance, not to the bit.
    np.testing.assert_allclose(served, predict_page_proba(separate, texts), atol=1e-4)


def test_calibration_is_fitted_on_real_pages_only(tmp_path):
    """The temperature comes from the pages not in ``synthetic_dirs``, and is recorded."""
    pages = {f"{doc[:6]}{n}-{doc[-2:]}": lines for n in "xyz" for doc, lines in PAGES.items()}
    real = write_corpus(tmp_path / "real", {k: v for k, v in pages.items() if "x" in k})
    synthetic = write_corpus(tmp_path / "syn", {k: v for k, v in pages.items() if "x" not in k})
    settings = replace(SMALL_SETTINGS, context_folds=3)
    trained = train(
        [real, synthetic], tmp_path / "m", settings, synthetic_dirs=[synthetic], outlet_folds=3
    )
    calibration = trained.metadata["calibration"]
    assert calibration["paragraphs"] == sum(len(v) for k, v in pages.items() if "x" in k)
    assert calibration["temperature"] == 1.0 and "skipped" in calibration  # too few to fit
    assert trained.metadata["settings"]["calibrate"] is True


def test_min_df_settings_scale_down_for_a_small_corpus_only():
    from strikeclf.config import Settings
    from strikeclf.training import scaled_to_corpus

    shipped = Settings()
    assert scaled_to_corpus(shipped, 20_306) == shipped
    small = scaled_to_corpus(shipped, 19)
    assert (small.word_min_df, small.char_min_df) == (1, 1)
    assert small.C == shipped.C
    middle = scaled_to_corpus(shipped, 9_000)
    assert (middle.word_min_df, middle.char_min_df) == (2, 2)
