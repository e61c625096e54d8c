"""Start a first-stage fit from a related fit's coefficients, matched by feature name.

Training fits stage one on overlapping subsets of the corpus: without each
pair of folds, without each fold, and on everything (strikeclf.stacking). A
fit without fold ``k`` starts from the fit without ``k`` and one more fold,
which is close to its optimum already: newton-cg then needs fewer steps, so
the tighter tolerance of ``Settings.tol`` costs what scikit-learn's default
took from zeros (on the shipped corpus, 6.5 s against 6.3 s, and 0.002 from
the optimum in probability against 0.03). The start carries nothing the fit
must not see: it was fitted on a subset of the fit's own training rows.

The two fits' vocabularies differ (``min_df`` counts other rows), so
coefficients are matched by feature name; a feature the start lacks starts
at zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class NamedCoefficients:
    """A fitted logistic regression's coefficients with the names of their features."""

    #: Feature names in the classifier's column order (see :func:`feature_names`).
    names: np.ndarray
    #: The classes, in the classifier's row order.
    classes: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def of(cls, classifier: Any, names: np.ndarray) -> NamedCoefficients:
        if classifier.coef_.shape[1] != len(names):
            raise ValueError(f"{classifier.coef_.shape[1]} coefficients for {len(names)} names")
        return cls(names, classifier.classes_, classifier.coef_, classifier.intercept_)

    def aligned(
        self, names: np.ndarray, classes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Start coefficients and intercepts for a fit over ``names`` and ``classes``.

        ``None`` when the classes differ (a fold without a label): the fit
        then starts from zeros, as without a start.
        """
        if list(classes) != list(self.classes):
            return None
        column = {name: j for j, name in enumerate(self.names.tolist())}
        found = np.array([column.get(name, -1) for name in names.tolist()], dtype=np.intp)
        coef = np.zeros((self.coef.shape[0], len(names)))
        known = found >= 0
        coef[:, known] = self.coef[:, found[known]]
        return coef, self.intercept.copy()


def feature_names(words: Any, chars: Any | None) -> np.ndarray:
    """Names of the paragraph pipeline's feature columns: word n-grams, then character n-grams.

    ``words`` and ``chars`` are the n-grams of the two branches in column
    order; the prefixes keep a word ``war`` apart from the characters ``war``.
    """
    names = [f"w {ngram}" for ngram in words]
    if chars is not None:
        names += [f"c {ngram}" for ngram in chars]
    return np.array(names, dtype=object)


def pipeline_feature_names(pipeline: Any) -> np.ndarray:
    """:func:`feature_names` of a fitted paragraph pipeline (strikeclf.pipeline.build_pipeline)."""
    branches = dict(pipeline.named_steps["features"].transformer_list)
    words = branches["words"].named_steps["tfidf"].get_feature_names_out()
    chars = branches["chars"].get_feature_names_out() if "chars" in branches else None
    return feature_names(words, chars)
