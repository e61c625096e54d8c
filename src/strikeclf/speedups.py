"""The optional C extensions, or ``None`` where they are not built.

- ``strikeclf._tfidf``: the paragraph stage's word and character n-gram
  TF-IDF scores (``serving.ArrayModel``);
- ``strikeclf._linestats``: the counts behind the context stage's shape
  features (``context.line_stats``).

``pip install`` compiles them where a C compiler is present (see setup.py);
where one is missing, every caller has a pure-Python path that computes the
same numbers, only slower. Tests check the two paths agree, on the whole
corpus, the dev set and generated text. ``STRIKECLF_PURE_PYTHON=1`` turns the
extensions off, to compare or to rule them out when debugging.
"""

from __future__ import annotations

import os
from typing import Any

tfidf: Any
linestats: Any
try:
    from . import _linestats as linestats
    from . import _tfidf as tfidf
except ImportError:  # not built: the pure-Python paths serve
    tfidf = linestats = None
if os.environ.get("STRIKECLF_PURE_PYTHON"):
    tfidf = linestats = None


def available() -> bool:
    """Whether the C speed-ups are built and enabled."""
    return tfidf is not None and linestats is not None
