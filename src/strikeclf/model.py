"""Load a trained model and classify paragraphs: the Python API's core.

>>> model = load_model()                                    # doctest: +SKIP
>>> [r["label"] for r in model.classify_page("Subscribe\\n* indicates required")]  # doctest: +SKIP
['boilerplate', 'boilerplate']
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .labels import KEEP, LABELS
from .segment import Paragraph, iter_paragraphs, split_lines
from .serving import ArrayModel

if TYPE_CHECKING:
    from .config import Settings
    from .serialize import Arrays, Header

MODEL_FILENAME = "strikeclf.npz"  # the serving format: arrays, no pickle
PICKLE_FILENAME = "strikeclf.joblib"  # the same model as a joblib pickle, for sklearn users
FORMAT_VERSION = 1
ENV_VAR = "STRIKECLF_MODEL"
#: Paragraphs classified together; the page context never spans two blocks.
#: Real pages are far shorter; a longer input (a 1 GB dump) streams in blocks.
BLOCK = 5000


class ModelError(RuntimeError):
    """A model file is missing, damaged, or does not match its sidecar."""


def sidecar_path(model_path: Path) -> Path:
    """``models/strikeclf.npz`` (or ``.joblib``) → ``models/strikeclf.json``."""
    return model_path.with_suffix(".json")


def default_model_path() -> Path:
    """``$STRIKECLF_MODEL`` if set, else the model shipped with the package."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    installed = Path(__file__).resolve().parent / "models" / MODEL_FILENAME
    if installed.exists():  # a wheel carries models/ inside the package
        return installed
    return Path(__file__).resolve().parents[2] / "models" / MODEL_FILENAME  # source checkout


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Model:
    """A loaded model: predicts with NumPy from the model's arrays.

    Nothing is mutated after loading except internal caches, so one instance
    can be shared by threads and pickled to workers (Dask, joblib).
    """

    def __init__(
        self,
        header: Header,
        arrays: Arrays,
        metadata: dict[str, Any] | None = None,
        path: Path | None = None,
    ) -> None:
        self._header = header
        self._arrays = arrays
        self._served = ArrayModel(header, arrays)
        self.metadata: dict[str, Any] = metadata or {}
        """The sidecar: labels, settings, corpus hash, versions, figures."""
        self.path = path

    @classmethod
    def from_pipelines(
        cls, stages: dict[str, Any], settings: Settings, metadata: dict[str, Any] | None = None
    ) -> Model:
        """A model from freshly fitted ``{"paragraph", "context"}`` pipelines."""
        from .serialize import export

        header, arrays = export(stages, settings)
        return cls(header, arrays, metadata)

    def __reduce__(self) -> tuple[Any, ...]:
        # Send arrays, not caches, to worker processes.
        return (Model, (self._header, self._arrays, self.metadata, self.path))

    @cached_property
    def _pipelines(self) -> dict[str, Any]:
        from .serialize import rebuild_pipelines

        return rebuild_pipelines(self._header, self._arrays)

    @property
    def pipeline(self) -> Any:
        """First stage as a fitted scikit-learn ``Pipeline`` (imports scikit-learn)."""
        return self._pipelines["paragraph"]

    @property
    def context(self) -> Any:
        """Second stage as a fitted scikit-learn ``Pipeline`` over page features, or None."""
        return self._pipelines["context"]

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    def predict_proba(self, paragraphs: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per paragraph, columns in :data:`LABELS` order.

        The paragraphs are read as one page, in order: neighbours matter.
        """
        return self._served.page_proba(list(paragraphs))

    def predict(self, paragraphs: Sequence[str]) -> list[str]:
        """The most probable label of each paragraph."""
        proba = self.predict_proba(paragraphs)
        return [LABELS[i] for i in proba.argmax(axis=1)]

    def classify_page(self, text: str) -> list[dict[str, Any]]:
        """Split a page into paragraphs and classify them.

        Returns one plain record per non-empty line, in page order:
        ``{"line": 3, "label": "boilerplate", "proba": {...}, "text": "..."}``.
        """
        return list(self.classify_lines(split_lines(text)))

    def classify_lines(self, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
        """:meth:`classify_page` over a page's lines as they arrive, in bounded memory.

        Paragraphs are classified in blocks of :data:`BLOCK`; the page context
        (neighbours, position, repetition) is taken within a block, so a page
        streamed line by line gives exactly what the same page gives whole.
        """
        block: list[Paragraph] = []
        for paragraph in iter_paragraphs(lines):
            block.append(paragraph)
            if len(block) == BLOCK:
                yield from self._records(block)
                block = []
        if block:
            yield from self._records(block)

    def _records(self, paragraphs: list[Paragraph]) -> Iterator[dict[str, Any]]:
        proba = self.predict_proba([p.text for p in paragraphs])
        for p, row in zip(paragraphs, proba):
            yield {
                "line": p.line,
                "label": LABELS[int(row.argmax())],
                "proba": {label: float(v) for label, v in zip(LABELS, row)},
                "text": p.text,
            }

    def clean(self, text: str, keep: frozenset[str] | set[str] = KEEP) -> str:
        """The page reduced to the paragraphs whose label is in ``keep``, one per line."""
        return "\n".join(r["text"] for r in self.classify_page(text) if r["label"] in keep)


def read_sidecar(model_path: Path) -> dict[str, Any]:
    path = sidecar_path(model_path)
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: model sidecar missing; retrain with `python train.py`") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable model sidecar ({exc})") from None
    if not isinstance(metadata, dict):
        raise ModelError(f"{path}: model sidecar is not a JSON object")
    return metadata


def _installed_version(distribution: str) -> str | None:
    # importlib.metadata reads the installed version without importing the package.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def check_metadata(metadata: dict[str, Any], model_path: Path) -> None:
    """Refuse a model whose sidecar does not describe it; warn on version drift."""
    if metadata.get("format") != FORMAT_VERSION:
        raise ModelError(
            f"{model_path}: model format {metadata.get('format')!r}, this strikeclf reads "
            f"format {FORMAT_VERSION}; retrain with `python train.py`"
        )
    if tuple(metadata.get("labels", ())) != LABELS:
        raise ModelError(
            f"{model_path}: model labels {metadata.get('labels')} differ from {LABELS}"
        )
    key = "joblib_sha256" if model_path.suffix == ".joblib" else "model_sha256"
    expected = metadata.get(key)
    if expected != file_sha256(model_path):
        raise ModelError(
            f"{model_path}: file does not match the SHA-256 in its sidecar (damaged, or "
            "replaced without its sidecar); retrain with `python train.py`"
        )
    trained_with = metadata.get("versions", {}).get("scikit-learn")
    running = _installed_version("scikit-learn")
    if trained_with and running and trained_with != running:
        warnings.warn(
            f"{model_path}: trained with scikit-learn {trained_with}, "
            f"running {running}; predictions may differ. "
            "Retrain with `python train.py` or install that version.",
            stacklevel=3,
        )


def load_model(path: str | os.PathLike[str] | None = None, *, trust_pickle: bool = False) -> Model:
    """Load a model and check it against its sidecar.

    ``path`` defaults to ``$STRIKECLF_MODEL``, then the shipped model. Load
    once and reuse: loading costs far more than classifying a page.

    ``.npz`` models (the default) load without running any code from the file.
    ``.joblib`` models are pickles, which run code when loaded: they are
    refused unless ``trust_pickle=True`` says you made the file yourself.
    """
    model_path = Path(path) if path is not None else default_model_path()
    if not model_path.is_file():
        raise ModelError(
            f"{model_path}: no model file there. Train one with `python train.py` "
            f"(or `strikeclf train`), or point --model / ${ENV_VAR} at one."
        )
    if model_path.suffix == ".joblib" and not trust_pickle:
        raise ModelError(
            f"{model_path}: refusing to load a pickle: loading it would run any code it "
            f"contains. Use the .npz model beside it ({model_path.with_suffix('.npz').name}), "
            "or pass --trust-model "
            "(trust_pickle=True) if you made this file yourself."
        )
    metadata = read_sidecar(model_path)
    check_metadata(metadata, model_path)
    if model_path.suffix == ".joblib":
        import joblib

        from .config import Settings

        try:
            stages = joblib.load(model_path)
        except Exception as exc:  # a damaged pickle raises anything from EOFError to KeyError
            raise ModelError(
                f"{model_path}: cannot load model ({type(exc).__name__}: {exc})"
            ) from None
        if not isinstance(stages, dict) or set(stages) != {"paragraph", "context"}:
            raise ModelError(f"{model_path}: not a strikeclf model (unexpected content)")
        try:
            model = Model.from_pipelines(stages, Settings.from_dict(metadata["settings"]), metadata)
        except Exception as exc:  # anything unpickled can fail in any way
            raise ModelError(f"{model_path}: not a strikeclf model ({exc})") from None
        model.path = model_path
        return model
    from .serialize import SerializationError, read_arrays

    try:
        header, arrays = read_arrays(model_path)
        return Model(header, arrays, metadata, model_path)
    except (SerializationError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{model_path}: not a valid strikeclf model ({exc})") from None
