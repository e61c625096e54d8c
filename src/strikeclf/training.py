"""Train, cross-validate and save a model: the library behind ``train.py``.

Cross-validation always splits by page or by outlet, never by paragraph:
chrome repeats verbatim across pages of one site, so a paragraph split would
score the model on lines it has already seen.
"""

from __future__ import annotations

import json
import os
import platform
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .calibration import apply_temperature, fit_temperature
from .config import Settings
from .corpus import Corpus, CorpusError, corpus_files, read_corpus
from .files import replace_atomically, write_atomically
from .labels import LABELS
from .metrics import confusion_matrix, expected_calibration_error, format_report, score
from .model import (
    FORMAT_VERSION,
    MODEL_FILENAME,
    PICKLE_FILENAME,
    file_sha256,
    read_sidecar,
    sidecar_path,
)
from .serialize import dump_arrays
from .stacking import fit_folds, fit_stacked, group_folds, page_slices, predict_page_proba

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def check_trainable(corpus: Corpus) -> None:
    """Every label needs examples, or the model cannot learn (or predict) it."""
    counts = corpus.label_counts()
    empty = [label for label, count in counts.items() if count == 0]
    if empty:
        files = ", ".join(str(f) for f in corpus.files)
        raise CorpusError(f"{files}: no examples of label(s) {', '.join(empty)}")


def _pick(values: Sequence[str], index: Iterable[int]) -> list[str]:
    return [values[i] for i in index]


def _fit_and_predict_fold(
    corpus: Corpus, train_idx: np.ndarray, test_idx: np.ndarray, settings: Settings
) -> np.ndarray:
    texts, docs = corpus.texts, corpus.docs
    model = fit_stacked(
        _pick(texts, train_idx),
        _pick(corpus.labels, train_idx),
        _pick(docs, train_idx),
        _pick(corpus.outlets, train_idx),
        settings,
    )
    proba = np.zeros((len(test_idx), len(LABELS)))
    for page in page_slices(_pick(docs, test_idx)):
        proba[page] = predict_page_proba(model, _pick(texts, test_idx[page]))
    return proba


def held_out_proba(
    corpus: Corpus,
    groups: Sequence[str],
    settings: Settings,
    folds: int | None = None,
    jobs: int = 1,
) -> np.ndarray:
    """Final (two-stage) probabilities for every paragraph from models that never saw its group.

    ``folds=None`` holds out one group at a time; otherwise groups are dealt
    into that many folds (scikit-learn's GroupKFold, deterministic). With three
    folds or more, :func:`strikeclf.stacking.fit_folds` shares the first-stage
    fits between folds; with two, each fold's model is fitted on its own
    (its context stage then learns from folds by page). ``jobs`` fits run in
    parallel processes; the figures do not depend on it.
    """
    fold_of = group_folds(groups, folds)
    if len(set(fold_of.tolist())) >= 3 or not settings.context:
        held_out = fit_folds(
            corpus.texts,
            corpus.labels,
            corpus.docs,
            fold_of,
            settings,
            final=False,
            held_out=True,
            jobs=jobs,
        ).held_out
        assert held_out is not None
        return held_out
    proba = np.zeros((len(corpus.texts), len(LABELS)))
    for k in sorted(set(fold_of.tolist())):
        test_idx, train_idx = np.flatnonzero(fold_of == k), np.flatnonzero(fold_of != k)
        proba[test_idx] = _fit_and_predict_fold(corpus, train_idx, test_idx, settings)
    return proba


@dataclass
class CrossValidation:
    """Figures from one grouped cross-validation."""

    split: str
    folds: int
    figures: dict[str, Any]
    per_group: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        # Accuracy per page or outlet shows which kinds of site the model handles worst.
        by_group = {group: round(accuracy, 4) for group, accuracy in self.per_group.items()}
        return {
            "split": self.split,
            "folds": self.folds,
            **self.figures,
            "accuracy_by_group": by_group,
        }


def cross_validate(
    corpus: Corpus,
    settings: Settings,
    split: str = "page",
    folds: int | None = None,
    jobs: int = 1,
) -> CrossValidation:
    """Grouped cross-validation by ``"page"`` or ``"outlet"``; ``folds=None`` = leave-one-out."""
    if split not in ("page", "outlet"):
        raise ValueError(f"split must be 'page' or 'outlet', not {split!r}")
    groups = corpus.docs if split == "page" else corpus.outlets
    proba = held_out_proba(corpus, groups, settings, folds, jobs)
    return summarise(corpus, split, folds, proba)


def summarise(corpus: Corpus, split: str, folds: int | None, proba: np.ndarray) -> CrossValidation:
    """Figures of held-out probabilities ``proba`` from a cross-validation by ``split``."""
    groups = corpus.docs if split == "page" else corpus.outlets
    gold = corpus.labels
    predicted = [LABELS[i] for i in proba.argmax(axis=1)]
    right = [g == p for g, p in zip(gold, predicted)]
    figures = score(gold, predicted)
    figures["matrix"] = confusion_matrix(gold, predicted)
    figures["ece"] = expected_calibration_error(proba.max(axis=1).tolist(), right)
    totals: Counter[str] = Counter(groups)
    hits: Counter[str] = Counter(g for g, ok in zip(groups, right) if ok)
    per_group = {group: hits[group] / totals[group] for group in sorted(totals)}
    n_groups = len(totals)
    return CrossValidation(
        split, n_groups if folds is None else min(folds, n_groups), figures, per_group
    )


def library_versions() -> dict[str, str]:
    import joblib
    import nltk
    import scipy
    import sklearn

    return {
        "strikeclf": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "nltk": nltk.__version__,
    }


def _drop_cached_object_ids(model: dict[str, Any]) -> None:
    """Drop scikit-learn's cache of ``id(stop_words)`` from the model's vectorizers.

    A fitted ``TfidfVectorizer`` remembers the memory address of its stop-word
    list so as not to re-check it; an address differs from one process to the
    next, so two identical trainings pickled to different bytes (and SHA-256s).
    Without the cache the check simply runs again on first use.
    """
    for stage in model.values():
        if stage is None:
            continue
        for estimator in [stage, *stage.get_params(deep=True).values()]:
            if hasattr(estimator, "_stop_words_id"):
                del estimator._stop_words_id


def save_model(
    model: dict[str, Any], metadata: dict[str, Any], out_dir: Path, settings: Settings
) -> Path:
    """Write the model into ``out_dir``; return the path of the served ``.npz``.

    Three files: ``strikeclf.npz`` (arrays, loads without running code),
    ``strikeclf.joblib`` (the same pipelines pickled, for scikit-learn users
    who trust the file) and the ``strikeclf.json`` sidecar, which records both
    files' SHA-256 so loading refuses a pair that does not match: a
    half-finished save is detected rather than served.
    """
    import joblib

    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILENAME
    pickle_path = out_dir / PICKLE_FILENAME
    staged_arrays = out_dir / f".{MODEL_FILENAME}.staged"
    staged_pickle = out_dir / f".{PICKLE_FILENAME}.staged"
    try:
        dump_arrays(model, settings, staged_arrays)
        _drop_cached_object_ids(model)
        joblib.dump(model, staged_pickle, compress=3)
        metadata = {
            **metadata,
            "model_sha256": file_sha256(staged_arrays),
            "joblib_sha256": file_sha256(staged_pickle),
        }
        text = json.dumps(metadata, indent=1, ensure_ascii=False) + "\n"
        replace_atomically(model_path, lambda tmp: os.replace(staged_arrays, tmp))
        replace_atomically(pickle_path, lambda tmp: os.replace(staged_pickle, tmp))
        write_atomically(sidecar_path(model_path), text)
    finally:
        staged_arrays.unlink(missing_ok=True)
        staged_pickle.unlink(missing_ok=True)
    return model_path


def format_calibration(report: dict[str, Any]) -> str:
    """One log line for the calibration report."""
    if "skipped" in report:
        return f"calibration: temperature 1 ({report['skipped']})"
    return (
        f"calibration on {report['paragraphs']} held-out paragraphs of real pages: "
        f"temperature {report['temperature']:.3f}, "
        f"log-loss {report['nll_before']:.3f} -> {report['nll_after']:.3f}, "
        f"ece {report['ece_before']:.3f} -> {report['ece_after']:.3f}"
    )


@dataclass
class TrainingResult:
    model_path: Path
    metadata: dict[str, Any]


#: Paragraphs per unit of ``min_df`` a corpus needs for the settings to stand:
#: the shipped corpus (36,190 paragraphs) allows 9, above the 5 it uses.
PARAGRAPHS_PER_MIN_DF = 4000


def scaled_to_corpus(settings: Settings, n_paragraphs: int, log: Log = _quiet) -> Settings:
    """``settings`` with the n-gram ``min_df`` s lowered for a corpus too small for them.

    A small corpus of one's own pages has few n-grams in 5 paragraphs, and
    scikit-learn refuses a vocabulary pruned empty; the sidecar records the
    settings actually used.
    """
    cap = max(1, n_paragraphs // PARAGRAPHS_PER_MIN_DF)
    scaled = replace(
        settings,
        word_min_df=min(settings.word_min_df, cap),
        char_min_df=min(settings.char_min_df, cap),
    )
    if scaled != settings:
        log(f"small corpus: word_min_df={scaled.word_min_df}, char_min_df={scaled.char_min_df}")
    return scaled


def train(
    corpus_dirs: Sequence[Path],
    out_dir: Path,
    settings: Settings | None = None,
    *,
    seeds_dir: Path | None = None,
    synthetic_dirs: Sequence[Path] = (),
    outlet_folds: int | None = 5,
    jobs: int = 1,
    dev_dir: Path | None = None,
    search_grid: bool = False,
    log: Log = _quiet,
) -> TrainingResult:
    """Validate the corpus, cross-validate, fit on everything, save with a sidecar.

    ``seeds_dir``, when given, is cross-validated on its own (leave-one-page-out)
    as well, so seeds-only and full-corpus figures are reported side by side.
    The whole corpus is cross-validated by outlet (``outlet_folds`` folds,
    ``None`` = leave-one-outlet-out): the honest figure for sites never seen.
    ``search_grid`` first picks settings from :data:`strikeclf.search.GRID` by
    by-outlet cross-validation and records every grid point in the sidecar.
    ``synthetic_dirs`` name the corpus folders of team-written pages; every
    other page is real, and the held-out probabilities of real pages fit the
    calibration temperature (``settings.calibrate``, see strikeclf.calibration).
    ``dev_dir`` (pages with gold labels) is scored with the final model and
    recorded in the sidecar: a measurement, never used for fitting.
    """
    corpus = read_corpus(list(corpus_dirs))
    check_trainable(corpus)
    log(
        f"corpus: {len(corpus.records)} paragraphs, {len(set(corpus.docs))} pages, "
        f"{len(set(corpus.outlets))} outlets from {len(corpus.files)} files; "
        + ", ".join(f"{k}={v}" for k, v in corpus.label_counts().items())
    )
    settings = scaled_to_corpus(settings or Settings(), len(corpus.records), log)
    search_results = None
    if search_grid:
        from .search import search

        log("grid search, grouped by outlet:")
        settings, search_results = search(
            corpus, settings, folds=outlet_folds or 5, jobs=jobs, log=log
        )
        log("chosen: " + ", ".join(f"{k}={v}" for k, v in settings.to_dict().items()))
    cv: dict[str, Any] = {}
    if seeds_dir is not None and corpus.files != tuple(corpus_files([seeds_dir])):
        seeds = read_corpus([seeds_dir])
        result = cross_validate(seeds, settings, "page", jobs=jobs)
        cv["seeds_by_page"] = result.to_dict()
        log(format_report(result.figures, f"leave-one-page-out, seeds only ({result.folds} pages)"))
    split, cv_folds = ("outlet", outlet_folds) if len(set(corpus.outlets)) > 1 else ("page", None)
    cv_fold_of = group_folds(corpus.docs if split == "page" else corpus.outlets, cv_folds)
    context_fold_of = group_folds(
        corpus.outlets if len(set(corpus.outlets)) > 1 else corpus.docs, settings.context_folds
    )
    if np.array_equal(cv_fold_of, context_fold_of) and len(set(cv_fold_of.tolist())) >= 3:
        # The cross-validation's folds are the final model's context folds:
        # one pass fits both and shares every first-stage fit.
        fits = fit_folds(
            corpus.texts,
            corpus.labels,
            corpus.docs,
            cv_fold_of,
            settings,
            held_out=True,
            jobs=jobs,
        )
        assert fits.model is not None and fits.held_out is not None
        model, held_out = fits.model, fits.held_out
    else:
        groups = corpus.docs if split == "page" else corpus.outlets
        held_out = held_out_proba(corpus, groups, settings, cv_folds, jobs)
        model = fit_stacked(
            corpus.texts, corpus.labels, corpus.docs, corpus.outlets, settings, jobs
        )
    result = summarise(corpus, split, cv_folds, held_out)
    cv[f"by_{split}"] = result.to_dict()
    if split == "outlet":
        log(format_report(result.figures, f"grouped by outlet, {result.folds} folds, whole corpus"))
    else:
        log(format_report(result.figures, f"leave-one-page-out ({result.folds} pages)"))

    calibration = None
    if settings.calibrate:
        synthetic = set(read_corpus(list(synthetic_dirs)).docs) if synthetic_dirs else set()
        real = [i for i, doc in enumerate(corpus.docs) if doc not in synthetic]
        calibration = fit_temperature(held_out[real], _pick(corpus.labels, real))
        apply_temperature(model, calibration["temperature"])
        log(format_calibration(calibration))
    metadata: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "labels": list(LABELS),
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": settings.to_dict(),
        "corpus": {
            "sha256": corpus.sha256(),
            "files": len(corpus.files),
            "paragraphs": len(corpus.records),
            "pages": len(set(corpus.docs)),
            "outlets": len(set(corpus.outlets)),
            "label_counts": corpus.label_counts(),
        },
        "versions": library_versions(),
        "cross_validation": cv,
    }
    if calibration is not None:
        metadata["calibration"] = calibration
    if search_results is not None:
        metadata["search"] = search_results
    if dev_dir is not None:
        from .evaluation import evaluate_folder
        from .model import Model

        dev = evaluate_folder(Model.from_pipelines(model, settings, metadata), dev_dir)
        log(format_report(dev["all"], f"dev set {dev_dir} (measured only, never trained on)"))
        metadata["dev"] = {"folder": dev_dir.name, **dev}
    model_path = save_model(model, metadata, out_dir, settings)
    return TrainingResult(model_path, read_sidecar(model_path))
