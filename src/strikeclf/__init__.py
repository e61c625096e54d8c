"""strikeclf: tag each paragraph of a scraped news page.

Labels: ``event_report``, ``official_claim``, ``boilerplate``, ``unrelated``
(see LABELING.md). The API loads heavy libraries only when first used, so
``import strikeclf`` stays cheap::

    import strikeclf
    model = strikeclf.load_model()          # once per process; thread-safe to share
    records = model.classify_page(page_text)
    kept = strikeclf.clean(page_text)       # only the on-topic paragraphs
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .labels import KEEP, LABELS
from .segment import Paragraph, split_paragraphs

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .model import Model, ModelError, load_model

__all__ = [
    "KEEP",
    "LABELS",
    "Model",
    "ModelError",
    "Paragraph",
    "__version__",
    "clean",
    "load_model",
    "split_paragraphs",
]

_LAZY = {"Model", "ModelError", "load_model"}


def __getattr__(name: str) -> Any:
    # PEP 562: defer numpy/scikit-learn until the model is actually wanted.
    if name in _LAZY:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'strikeclf' has no attribute {name!r}")


def clean(text: str, keep: frozenset[str] | set[str] = KEEP, model: Model | None = None) -> str:
    """Return only the paragraphs of ``text`` whose label is in ``keep``, one per line.

    Uses the shipped model (loaded once and cached) unless ``model`` is given.
    """
    return (model or _default_model()).clean(text, keep)


@lru_cache(maxsize=1)
def _default_model() -> Model:
    from .model import load_model

    return load_model()
