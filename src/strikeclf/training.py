"""Train, cross-validate and save a model: the library behind ``train.py``.

Cross-validation always splits by page or by outlet, never by paragraph:
chrome repeats verbatim across pages of one site, so a paragraph split would
score the model on lines it has already seen.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from . import __version__
from .config import Settings
from .corpus import Corpus, CorpusError, corpus_files, read_corpus
from .labels import LABELS
from .metrics import confusion_matrix, expected_calibration_error, format_report, score
from .model import FORMAT_VERSION, MODEL_FILENAME, file_sha256, read_sidecar, sidecar_path
from .stacking import fit_stacked, page_slices, predict_page_proba

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


def _pick(values: Sequence[str], index: Sequence[int]) -> list[str]:
    return [values[i] for i in index]


def held_out_proba(
    corpus: Corpus, groups: Sequence[str], settings: Settings, folds: int | None = None
) -> np.ndarray:
    """Final (two-stage) probabilities for every paragraph from models that never saw its group.

    ``folds=None`` holds out one group at a time; otherwise groups are dealt
    into that many folds (scikit-learn's GroupKFold, deterministic).
    """
    texts, labels, docs, outlets = corpus.texts, corpus.labels, corpus.docs, corpus.outlets
    group_array = np.array(groups, dtype=object)
    n_groups = len(set(groups))
    splitter = LeaveOneGroupOut() if folds is None else GroupKFold(n_splits=min(folds, n_groups))
    proba = np.zeros((len(texts), len(LABELS)))
    for train_idx, test_idx in splitter.split(texts, labels, group_array):
        model = fit_stacked(
            _pick(texts, train_idx),
            _pick(labels, train_idx),
            _pick(docs, train_idx),
            _pick(outlets, train_idx),
            settings,
        )
        test_docs = _pick(docs, test_idx)
        for page in page_slices(test_docs):
            rows = test_idx[page]
            proba[rows] = predict_page_proba(model, _pick(texts, rows))
    return proba


@dataclass
class CrossValidation:
    """Figures from one grouped cross-validation."""

    split: str
    folds: int
    figures: dict[str, Any]
    per_group: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "folds": self.folds, **self.figures}


def cross_validate(
    corpus: Corpus, settings: Settings, split: str = "page", folds: int | None = None
) -> CrossValidation:
    """Grouped cross-validation by ``"page"`` or ``"outlet"``; ``folds=None`` = leave-one-out."""
    if split not in ("page", "outlet"):
        raise ValueError(f"split must be 'page' or 'outlet', not {split!r}")
    groups = corpus.docs if split == "page" else corpus.outlets
    proba = held_out_proba(corpus, groups, settings, folds)
    predicted = [LABELS[i] for i in proba.argmax(axis=1)]
    figures = score(corpus.labels, predicted)
    figures["matrix"] = confusion_matrix(corpus.labels, predicted)
    figures["ece"] = expected_calibration_error(
        proba.max(axis=1).tolist(), [g == p for g, p in zip(corpus.labels, predicted)]
    )
    per_group = {}
    for group in sorted(set(groups)):
        idx = [i for i, g in enumerate(groups) if g == group]
        per_group[group] = sum(corpus.labels[i] == predicted[i] for i in idx) / len(idx)
    n_groups = len(set(groups))
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


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``.

    An interrupted or failed write leaves the previous file untouched.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a model is meant to be shared
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def save_model(model: dict[str, Any], metadata: dict[str, Any], out_dir: Path) -> Path:
    """Write ``strikeclf.joblib`` and its JSON sidecar into ``out_dir``; return the model path.

    The sidecar records the model file's SHA-256; loading refuses a pair that
    does not match, so a half-finished save is detected rather than served.
    """
    import joblib

    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILENAME
    staged = out_dir / f".{MODEL_FILENAME}.staged"
    try:
        joblib.dump(model, staged, compress=3)
        metadata = {**metadata, "model_sha256": file_sha256(staged)}
        text = json.dumps(metadata, indent=1, sort_keys=False, ensure_ascii=False) + "\n"
        _write_atomically(model_path, lambda tmp: os.replace(staged, tmp))
        _write_atomically(sidecar_path(model_path), lambda tmp: _write_text(tmp, text))
    finally:
        staged.unlink(missing_ok=True)
    return model_path


@dataclass
class TrainingResult:
    model_path: Path
    metadata: dict[str, Any]


def train(
    corpus_dirs: Sequence[Path],
    out_dir: Path,
    settings: Settings | None = None,
    *,
    seeds_dir: Path | None = None,
    outlet_folds: int | None = 5,
    dev_dir: Path | None = None,
    log: Log = _quiet,
) -> TrainingResult:
    """Validate the corpus, cross-validate, fit on everything, save with a sidecar.

    ``seeds_dir``, when given, is cross-validated on its own (leave-one-page-out)
    as well, so seeds-only and full-corpus figures are reported side by side.
    The whole corpus is cross-validated by outlet (``outlet_folds`` folds,
    ``None`` = leave-one-outlet-out): the honest figure for sites never seen.
    ``dev_dir`` (pages with gold labels) is scored with the final model and
    recorded in the sidecar: a measurement, never used for fitting.
    """
    settings = settings or Settings()
    corpus = read_corpus(list(corpus_dirs))
    check_trainable(corpus)
    log(
        f"corpus: {len(corpus.records)} paragraphs, {len(set(corpus.docs))} pages, "
        f"{len(set(corpus.outlets))} outlets from {len(corpus.files)} files; "
        + ", ".join(f"{k}={v}" for k, v in corpus.label_counts().items())
    )
    cv: dict[str, Any] = {}
    if seeds_dir is not None and corpus.files != tuple(corpus_files([seeds_dir])):
        seeds = read_corpus([seeds_dir])
        result = cross_validate(seeds, settings, "page")
        cv["seeds_by_page"] = result.to_dict()
        log(format_report(result.figures, f"leave-one-page-out, seeds only ({result.folds} pages)"))
    if len(set(corpus.outlets)) > 1:
        result = cross_validate(corpus, settings, "outlet", folds=outlet_folds)
        cv["by_outlet"] = result.to_dict()
        log(format_report(result.figures, f"grouped by outlet, {result.folds} folds, whole corpus"))
    else:
        result = cross_validate(corpus, settings, "page")
        cv["by_page"] = result.to_dict()
        log(format_report(result.figures, f"leave-one-page-out ({result.folds} pages)"))

    model = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, settings)
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
    if dev_dir is not None:
        from .evaluation import evaluate_folder
        from .model import Model

        dev = evaluate_folder(Model(model["paragraph"], model["context"], metadata), dev_dir)
        log(format_report(dev["all"], f"dev set {dev_dir} (measured only, never trained on)"))
        metadata["dev"] = {"folder": dev_dir.name, **dev}
    model_path = save_model(model, metadata, out_dir)
    return TrainingResult(model_path, read_sidecar(model_path))
