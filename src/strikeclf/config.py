"""Every setting of the model in one typed, commented object.

Like black's ``Mode``: one frozen value passed around instead of loose
keyword arguments, written whole into the model's sidecar, so a model file
says exactly how it was made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    """How to build and fit the classifier. Defaults are the shipped model's."""

    #: Seed for everything random (solver, fold shuffling). Same seed, same model.
    seed: int = 20231110

    # --- word features: stemmed tokens, unigrams and bigrams -------------------
    #: Word n-gram lengths. Bigrams catch "governor said", "drones struck".
    word_ngrams: tuple[int, int] = (1, 2)
    #: Ignore word n-grams seen in fewer paragraphs (drops one-off names).
    word_min_df: int = 2

    # --- character features: n-grams inside word boundaries ---------------------
    #: Use character n-grams at all (off only for ablations: they carry unseen words).
    chars: bool = True
    #: Character n-gram lengths; they carry unseen words and site chrome. 3-5
    #: matched 2-5 in by-outlet cross-validation (macro-F1 0.883 vs 0.884) with a
    #: quarter fewer n-grams per word to look up when serving.
    char_ngrams: tuple[int, int] = (3, 5)
    #: Ignore character n-grams seen in fewer paragraphs. 5 matched 3 in by-outlet
    #: cross-validation (0.8966/0.8977 vs 0.8964/0.8964 macro/keep F1) with a
    #: smaller table to look up when serving (model 2.9 -> 2.5 MB).
    char_min_df: int = 5

    #: Use 1 + log(tf): one long paragraph should not outvote many short cues.
    sublinear_tf: bool = True

    # --- logistic regression -----------------------------------------------------
    #: Inverse regularisation strength.
    C: float = 8.0
    #: "balanced" re-weights the rare on-topic labels against chrome and feeds.
    class_weight: str | None = "balanced"
    #: Solver iteration cap; newton-cg converges in a few dozen iterations here.
    max_iter: int = 3000
    #: newton-cg's stopping tolerance for the fits the model is made of (on
    #: everything, and without each fold for the context stage's scores).
    #: scikit-learn's 1e-4 left stage-one scores up to 0.03 from the optimum,
    #: and the context stage turned that rounding into a few other labels (with
    #: its own 1e-4, dev macro-F1 moved by 0.02 with the order of the rows
    #: alone). At 1e-5 a fit without one fold, started from a related fit
    #: (strikeclf.warm), is within 0.002 and takes about what 1e-4 took from
    #: zeros; the final fit, from zeros, 12.3 s against 9.6 s.
    tol: float = 1e-5
    #: Tolerance of both stages' fits made only for cross-validation figures
    #: (stage one without a pair of folds, the held-out folds' context stages,
    #: every fit of a cross-validation or grid search that makes no model):
    #: over 36,000 held-out paragraphs their rounding averages out. From zeros,
    #: a stage-one fit takes 22% longer at 1e-5 (7.7 s against 6.3 s) and a
    #: context fit twice as long at 1e-6 (2.5 s against 1.2 s).
    cv_tol: float = 1e-4

    # --- second stage: page context (strikeclf.context) ---------------------------
    #: Re-label each paragraph from its own and its neighbours' first-stage
    #: probabilities, position, repetition, section markers and shape.
    context: bool = True
    #: Inverse regularisation strength of the context logistic regression. 0.1
    #: matched 1.0 on by-outlet macro-F1 in `train.py --search` and gave lower
    #: calibration error.
    context_C: float = 0.1
    #: lbfgs's stopping tolerance for the context stage. At scikit-learn's 1e-4,
    #: two trainings of one corpus that differ only in the order of the rows
    #: gave dev probabilities up to 0.026 apart and 6 of 1,806 labels changed;
    #: at 1e-6, 0.001 and none.
    context_tol: float = 1e-6
    #: Grouped folds (by outlet) giving the out-of-fold first-stage scores the
    #: second stage learns from; it never sees scores on lines stage one trained on.
    context_folds: int = 5
    #: Also train the second stage on every paragraph as a one-line page, so a
    #: paragraph classified without neighbours (a one-line input, an API call on
    #: a single string) is not mistaken for the chrome that lines page edges.
    context_singletons: bool = True

    # --- honest probabilities (strikeclf.calibration) -----------------------------
    #: Divide the final stage's logits by one temperature, fitted on the held-out
    #: probabilities of the real (non-synthetic) pages in the by-outlet
    #: cross-validation. Labels never change; probabilities stop over-claiming.
    calibrate: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Rebuild from a sidecar's ``settings`` (lists back to tuples, unknown keys refused)."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in data.items()
        }
        return replace(cls(), **values)
