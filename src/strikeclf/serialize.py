"""The model file format: a fitted model as plain arrays, loadable without running code.

A joblib (pickle) file executes whatever it was crafted to execute when it is
loaded, and model files travel between people. So the model strikeclf serves
is an ``.npz`` archive read with ``allow_pickle=False``: a JSON header (format,
settings, vocabularies, the stem table, class names) and float arrays (IDF
weights, coefficients, scaler statistics). :mod:`strikeclf.serving` predicts
from it with NumPy alone; :func:`rebuild_pipelines` turns it back into the
fitted scikit-learn pipelines, using this package's own code: nothing from
the file is ever executed.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings

ARRAYS_FORMAT = "strikeclf-arrays/1"

Header = dict[str, Any]
Arrays = dict[str, np.ndarray]


class SerializationError(ValueError):
    """The archive is not a strikeclf model or is damaged."""


def _branches(paragraph: Any) -> dict[str, Any]:
    """``{"words": TfidfVectorizer, "chars": TfidfVectorizer}`` of a paragraph pipeline."""
    union = dict(paragraph.named_steps["features"].transformer_list)
    branches = {"words": union["words"].named_steps["tfidf"]}
    if "chars" in union:
        branches["chars"] = union["chars"]
    return branches


def export(stages: dict[str, Any], settings: Settings) -> tuple[Header, Arrays]:
    """Fitted ``{"paragraph", "context"}`` pipelines → (JSON-able header, float arrays)."""
    paragraph, context = stages["paragraph"], stages["context"]
    union = dict(paragraph.named_steps["features"].transformer_list)
    header: Header = {
        "format": ARRAYS_FORMAT,
        "settings": settings.to_dict(),
        "stems": union["words"].named_steps["stems"].stems_,
    }
    arrays: Arrays = {}
    for name, vectorizer in _branches(paragraph).items():
        header[f"{name}_terms"] = sorted(
            vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__
        )
        arrays[f"{name}_idf"] = np.asarray(vectorizer.idf_, dtype=np.float64)
    _export_classifier(paragraph.named_steps["classifier"], "paragraph", header, arrays)
    header["context"] = context is not None
    if context is not None:
        scaler = context.named_steps["scale"]
        arrays["context_mean"] = scaler.mean_
        arrays["context_var"] = scaler.var_
        arrays["context_scale"] = scaler.scale_
        header["context_samples"] = int(scaler.n_samples_seen_)
        _export_classifier(context.named_steps["classifier"], "context", header, arrays)
    return header, arrays


def _export_classifier(classifier: Any, prefix: str, header: Header, arrays: Arrays) -> None:
    header[f"{prefix}_classes"] = [str(c) for c in classifier.classes_]
    arrays[f"{prefix}_coef"] = classifier.coef_
    arrays[f"{prefix}_intercept"] = classifier.intercept_


def dump_arrays(stages: dict[str, Any], settings: Settings, path: Path) -> None:
    """Write fitted pipelines to ``path`` as a compressed ``.npz``."""
    header, arrays = export(stages, settings)
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    buffer = io.BytesIO()
    # numpy's stub types **kwds as if a key could be its allow_pickle flag.
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())


def read_arrays(path: Path) -> tuple[Header, Arrays]:
    """Read an archive written by :func:`dump_arrays`; nothing in it is executed."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode("utf-8"))
            arrays = {key: data[key] for key in data.files if key != "header"}
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        # allow_pickle=False turns an embedded pickle into a ValueError here.
        raise SerializationError(f"{type(exc).__name__}: {exc}") from None
    if not isinstance(header, dict) or header.get("format") != ARRAYS_FORMAT:
        raise SerializationError(f"not a {ARRAYS_FORMAT} archive")
    required = {"settings", "stems", "words_terms", "paragraph_classes", "context"}
    missing = required - set(header)
    if missing or not {"words_idf", "paragraph_coef", "paragraph_intercept"} <= set(arrays):
        raise SerializationError(f"incomplete archive (missing {', '.join(sorted(missing))})")
    return header, arrays


def rebuild_pipelines(header: Header, arrays: Arrays) -> dict[str, Any]:
    """The fitted scikit-learn pipelines, rebuilt from an archive's content."""
    from .pipeline import build_context_pipeline, build_pipeline

    try:
        settings = Settings.from_dict(header["settings"])
        paragraph = build_pipeline(settings)
        union = dict(paragraph.named_steps["features"].transformer_list)
        union["words"].named_steps["stems"].stems_ = dict(header["stems"])
        for name, vectorizer in _branches(paragraph).items():
            vectorizer.vocabulary_ = {term: i for i, term in enumerate(header[f"{name}_terms"])}
            vectorizer.fixed_vocabulary_ = False
            vectorizer.idf_ = np.asarray(arrays[f"{name}_idf"], dtype=np.float64)
        _rebuild_classifier(paragraph.named_steps["classifier"], "paragraph", header, arrays)
        context = None
        if header["context"]:
            context = build_context_pipeline(settings)
            scaler = context.named_steps["scale"]
            scaler.mean_ = np.asarray(arrays["context_mean"], dtype=np.float64)
            scaler.var_ = np.asarray(arrays["context_var"], dtype=np.float64)
            scaler.scale_ = np.asarray(arrays["context_scale"], dtype=np.float64)
            scaler.n_features_in_ = scaler.mean_.shape[0]
            scaler.n_samples_seen_ = header["context_samples"]
            _rebuild_classifier(context.named_steps["classifier"], "context", header, arrays)
    except (KeyError, TypeError, ValueError) as exc:
        raise SerializationError(f"{type(exc).__name__}: {exc}") from None
    return {"paragraph": paragraph, "context": context}


def _rebuild_classifier(classifier: Any, prefix: str, header: Header, arrays: Arrays) -> None:
    coef = np.asarray(arrays[f"{prefix}_coef"], dtype=np.float64)
    classifier.classes_ = np.array(header[f"{prefix}_classes"])
    classifier.coef_ = coef
    classifier.intercept_ = np.asarray(arrays[f"{prefix}_intercept"], dtype=np.float64)
    classifier.n_features_in_ = coef.shape[1]
    classifier.n_iter_ = np.array([0])
