"""The serving format: a fitted model as plain arrays, loadable without running code.

A joblib (pickle) file executes whatever it was crafted to execute when it is
loaded, and model files travel between people. So the model strikeclf serves
is an ``.npz`` archive read with ``allow_pickle=False``: a JSON header (format,
settings, vocabularies, class names) and float arrays (IDF weights,
coefficients, scaler statistics). Loading rebuilds the two pipelines from
:func:`strikeclf.pipeline.build_pipeline` and sets their fitted attributes,
so the code that runs is always this package's, never the file's. The
predictions are those of the fitted pipelines, bit for bit.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings
from .pipeline import build_context_pipeline, build_pipeline

ARRAYS_FORMAT = "strikeclf-arrays/1"
_VECTORIZERS = ("words", "chars")


class SerializationError(ValueError):
    """The archive is not a strikeclf model or is damaged."""


def _vectorizers(paragraph: Any) -> dict[str, Any]:
    return dict(paragraph.named_steps["features"].transformer_list)


def dump_arrays(stages: dict[str, Any], settings: Settings, path: Path) -> None:
    """Write fitted ``{"paragraph", "context"}`` pipelines to ``path`` (.npz)."""
    paragraph, context = stages["paragraph"], stages["context"]
    header: dict[str, Any] = {"format": ARRAYS_FORMAT, "settings": settings.to_dict()}
    arrays: dict[str, np.ndarray] = {}
    for name, vectorizer in _vectorizers(paragraph).items():
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        header[f"{name}_terms"] = terms
        arrays[f"{name}_idf"] = np.asarray(vectorizer.idf_, dtype=np.float64)
    _dump_classifier(paragraph.named_steps["classifier"], "paragraph", header, arrays)
    header["context"] = context is not None
    if context is not None:
        scaler = context.named_steps["scale"]
        arrays["context_mean"] = scaler.mean_
        arrays["context_var"] = scaler.var_
        arrays["context_scale"] = scaler.scale_
        header["context_samples"] = int(scaler.n_samples_seen_)
        _dump_classifier(context.named_steps["classifier"], "context", header, arrays)
    buffer = io.BytesIO()
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    # numpy's stub types **kwds as if a key could be its allow_pickle flag.
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())


def _dump_classifier(
    classifier: Any, prefix: str, header: dict[str, Any], arrays: dict[str, np.ndarray]
) -> None:
    header[f"{prefix}_classes"] = [str(c) for c in classifier.classes_]
    arrays[f"{prefix}_coef"] = classifier.coef_
    arrays[f"{prefix}_intercept"] = classifier.intercept_


def _load_classifier(classifier: Any, prefix: str, header: dict[str, Any], data: Any) -> None:
    coef = np.asarray(data[f"{prefix}_coef"], dtype=np.float64)
    classifier.classes_ = np.array(header[f"{prefix}_classes"])
    classifier.coef_ = coef
    classifier.intercept_ = np.asarray(data[f"{prefix}_intercept"], dtype=np.float64)
    classifier.n_features_in_ = coef.shape[1]
    classifier.n_iter_ = np.array([0])


def load_arrays(path: Path) -> tuple[dict[str, Any], Settings]:
    """Rebuild the fitted pipelines from an archive written by :func:`dump_arrays`."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode("utf-8"))
            if not isinstance(header, dict) or header.get("format") != ARRAYS_FORMAT:
                raise SerializationError(f"not a {ARRAYS_FORMAT} archive")
            settings = Settings.from_dict(header["settings"])
            paragraph = build_pipeline(settings)
            for name, vectorizer in _vectorizers(paragraph).items():
                terms = header[f"{name}_terms"]
                vectorizer.vocabulary_ = {term: i for i, term in enumerate(terms)}
                vectorizer.fixed_vocabulary_ = False
                vectorizer.idf_ = np.asarray(data[f"{name}_idf"], dtype=np.float64)
            _load_classifier(paragraph.named_steps["classifier"], "paragraph", header, data)
            context = None
            if header["context"]:
                context = build_context_pipeline(settings)
                scaler = context.named_steps["scale"]
                scaler.mean_ = np.asarray(data["context_mean"], dtype=np.float64)
                scaler.var_ = np.asarray(data["context_var"], dtype=np.float64)
                scaler.scale_ = np.asarray(data["context_scale"], dtype=np.float64)
                scaler.n_features_in_ = scaler.mean_.shape[0]
                scaler.n_samples_seen_ = header["context_samples"]
                _load_classifier(context.named_steps["classifier"], "context", header, data)
    except SerializationError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        # allow_pickle=False turns an embedded pickle into a ValueError here.
        raise SerializationError(f"{type(exc).__name__}: {exc}") from None
    return {"paragraph": paragraph, "context": context}, settings
