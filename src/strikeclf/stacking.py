"""Fit and apply the two-stage model: paragraph TF-IDF + LR, then page context.

The second stage learns from *out-of-fold* first-stage probabilities (grouped
by outlet), so it is trained on scores like those it will see on a new site,
not on the over-confident scores of lines the first stage memorised.

Cross-validating that model honestly needs nested folds: the held-out fold's
context stage must itself learn from out-of-fold scores that never saw the
held-out fold. :func:`fit_folds` makes the inner folds the other outer folds,
so every first-stage fit is shared: with F folds it fits the corpus once, once
without each fold and once without each pair of folds (1 + F + F(F-1)/2 fits;
16 for 5 folds, against 36 when each outer fold runs its own inner folds).
A fit without one fold starts from the fit without that fold and one more
(:mod:`strikeclf.warm`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from .config import Settings
from .context import inherit_citations, lone_line_features, page_context, page_features
from .distinct import fit_distinct
from .labels import LABELS
from .pipeline import build_context_pipeline, build_pipeline
from .shared import SharedCounts, first_stage_features, shared_counts
from .warm import NamedCoefficients, pipeline_feature_names


def ordered_proba(estimator: Any, features: Any) -> np.ndarray:
    """``predict_proba`` with columns in LABELS order (zeros for unseen labels)."""
    raw = np.asarray(estimator.predict_proba(features))
    classes = list(estimator.classes_)
    out = np.zeros((raw.shape[0], len(LABELS)))
    for j, label in enumerate(LABELS):
        if label in classes:
            out[:, j] = raw[:, classes.index(label)]
    return out


def page_slices(docs: Sequence[str]) -> list[slice]:
    """Contiguous runs of the same doc: the pages, in corpus order."""
    slices, start = [], 0
    for i in range(1, len(docs) + 1):
        if i == len(docs) or docs[i] != docs[start]:
            slices.append(slice(start, i))
            start = i
    return slices


def context_matrix(texts: Sequence[str], proba: np.ndarray, docs: Sequence[str]) -> np.ndarray:
    return np.vstack([page_features(texts[s], proba[s]) for s in page_slices(docs)])


def context_proba(
    context: Any, texts: Sequence[str], proba: np.ndarray, docs: Sequence[str]
) -> np.ndarray:
    """Final probabilities of a corpus in page order from its first-stage ``proba``.

    The second stage's, then each citation marker given its paragraph's
    (:func:`strikeclf.context.inherit_citations`), as in serving.
    """
    slices = page_slices(docs)
    pages = [page_context(texts[s], proba[s]) for s in slices]
    final = ordered_proba(context, np.vstack([page.features for page in pages]))
    return np.vstack([inherit_citations(final[s], page.anchors) for s, page in zip(slices, pages)])


def group_folds(groups: Sequence[str], n_folds: int | None) -> np.ndarray:
    """Fold number of every paragraph: whole groups dealt into ``n_folds`` folds.

    scikit-learn's GroupKFold (deterministic); ``None`` gives every group its
    own fold (leave one group out), numbered in order of first appearance.
    """
    names = list(dict.fromkeys(groups))
    if n_folds is None or n_folds >= len(names):
        number = {name: i for i, name in enumerate(names)}
        return np.array([number[g] for g in groups])
    folds = np.zeros(len(groups), dtype=int)
    splitter = GroupKFold(n_splits=n_folds)
    for k, (_, test) in enumerate(splitter.split(groups, groups, np.array(groups, dtype=object))):
        folds[test] = k
    return folds


@dataclass
class StageOneFit:
    """What :func:`_fit_stage_one` returns."""

    #: The fitted paragraph pipeline, when asked to keep it.
    model: Any | None
    #: Scores of each excluded fold, in LABELS order.
    scores: dict[int, np.ndarray]
    #: The classifier's coefficients by feature name, when asked for: where a
    #: fit on more rows starts (strikeclf.warm).
    coefficients: NamedCoefficients | None


def _fit_stage_one(
    texts: np.ndarray,
    labels: np.ndarray,
    folds: np.ndarray,
    excluded: tuple[int, ...],
    settings: Settings,
    keep_model: bool,
    shared: SharedCounts | None = None,
    start: NamedCoefficients | None = None,
    give_coefficients: bool = False,
) -> StageOneFit:
    """Fit stage one without the ``excluded`` folds; score each excluded fold.

    With ``shared`` (:func:`strikeclf.shared.shared_counts` of the same
    paragraphs) a fit whose model is not kept takes its word and character
    features from them instead of recomputing them: the same features, scores
    equal to the solver's tolerance, less time. ``start``: coefficients of a
    fit on a subset of these training rows, where the solver begins.

    One BLAS thread, whatever process runs it: newton-cg stops at a tolerance,
    so thread count would otherwise move the last digits, and a model trained
    with ``--jobs 2`` must equal one trained with ``--jobs 1``.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        train = ~np.isin(folds, excluded)
        if shared is not None and not keep_model:
            features_of, features, names = first_stage_features(shared, train, settings)
            classifier = build_pipeline(settings).named_steps["classifier"]
            _fit_from(classifier, features, labels[train], names, start)
            scores = {k: ordered_proba(classifier, features_of(folds == k)) for k in excluded}
        else:
            model = build_pipeline(settings)
            # Fit the feature steps, then the classifier on distinct rows
            # (strikeclf.distinct): the objective of ``model.fit``, sooner.
            features = model[:-1].fit_transform(list(texts[train]))
            names = pipeline_feature_names(model)
            classifier = model[-1]
            _fit_from(classifier, features, labels[train], names, start)
            scores = {k: ordered_proba(model, list(texts[folds == k])) for k in excluded}
    coefficients = NamedCoefficients.of(classifier, names) if give_coefficients else None
    return StageOneFit(model if keep_model else None, scores, coefficients)


def _fit_from(
    classifier: Any,
    features: Any,
    labels: np.ndarray,
    names: np.ndarray,
    start: NamedCoefficients | None,
) -> None:
    """:func:`strikeclf.distinct.fit_distinct`, from ``start``'s coefficients where it has them."""
    initial = start.aligned(names, np.unique(labels)) if start is not None else None
    fit_distinct(classifier, features, list(labels), initial)


def _fit_context(
    texts: Sequence[str],
    labels: Sequence[str],
    docs: Sequence[str],
    oof: np.ndarray,
    settings: Settings,
) -> Any:
    """Build a context training set (:func:`_context_training_set`) and fit the second stage on it.

    Both in the worker: building the set takes about as long as the fit, and
    done in the main process it would keep the workers waiting.
    """
    from threadpoolctl import threadpool_limits

    features, targets = _context_training_set(texts, labels, docs, oof, settings)
    with threadpool_limits(limits=1):
        return build_context_pipeline(settings).fit(features, targets)


def _context_training_set(
    texts: Sequence[str],
    labels: Sequence[str],
    docs: Sequence[str],
    oof: np.ndarray,
    settings: Settings,
) -> tuple[np.ndarray, list[str]]:
    features, targets = context_matrix(texts, oof, docs), list(labels)
    if settings.context_singletons:
        # Every paragraph again as a one-line page, so a paragraph classified
        # without neighbours is not mistaken for the chrome at page edges.
        alone = lone_line_features(texts, oof)
        features, targets = np.vstack([features, alone]), targets + list(labels)
    return features, targets


@dataclass
class FoldFits:
    """What :func:`fit_folds` returns."""

    #: ``{"paragraph", "context"}`` fitted on everything (``None`` if not asked for).
    model: dict[str, Any] | None
    #: Final probabilities of every paragraph from models that never saw its
    #: fold (``None`` if not asked for), in LABELS order.
    held_out: np.ndarray | None


def fit_folds(
    texts: Sequence[str],
    labels: Sequence[str],
    docs: Sequence[str],
    folds: np.ndarray,
    settings: Settings,
    *,
    final: bool = True,
    held_out: bool = False,
    jobs: int = 1,
) -> FoldFits:
    """Fit the two-stage model on everything and/or cross-validate it over ``folds``.

    Paragraphs are in page order and a page lies in one fold. The final
    model's context stage learns from scores of stage-one models fitted
    without each fold; the model held out for fold ``k`` is built the same way
    from the other folds, its context stage learning from fits without fold
    ``k`` and one more. ``jobs`` first-stage fits run in parallel processes;
    the result does not depend on it.
    """
    from joblib import Parallel, delayed

    n_folds = len(set(folds.tolist()))
    text_array, label_array = np.array(texts, dtype=object), np.array(labels, dtype=object)
    doc_array = np.array(docs, dtype=object)
    context = settings.context and n_folds >= 2
    if held_out and n_folds < (3 if context else 2):
        raise ValueError(f"cross-validation needs at least {3 if context else 2} folds")
    fold_numbers = sorted(set(folds.tolist()))
    wanted: list[tuple[int, ...]] = []
    if final:
        wanted.append(())
    if (final and context) or held_out:
        wanted += [(k,) for k in fold_numbers]
    if held_out and context:
        wanted += list(combinations(fold_numbers, 2))
    shared = None
    if sum(1 for excluded in wanted if excluded) >= 2:
        # Normalise, stem and cut the corpus into n-grams once for all the fits
        # that only score (strikeclf.shared).
        shared = shared_counts(texts, settings, jobs)
    # A fit without one fold starts from a fit without that fold and another,
    # whose training rows are a subset of its own (strikeclf.warm); each
    # context stage needs the fits whose scores it learns from. So the work
    # runs in rounds, each with all the tasks whose inputs are ready: the
    # final fit and the fits without a pair of folds; then the fits without
    # one fold and the held-out folds' context stages; then the final context
    # stage. The final fit starts from zeros: started from a fit without one
    # fold it took 9 s instead of 12, but alone in a last round.
    pairs = [excluded for excluded in wanted if len(excluded) == 2]
    source = {(k,): next(pair for pair in pairs if k in pair) for k in fold_numbers if pairs}
    loose = replace(settings, tol=settings.cv_tol, context_tol=settings.cv_tol)
    needs: dict[tuple[str, Any], set[tuple[str, Any]]] = {
        ("fit", e): {("fit", source[e])} if e in source else set() for e in wanted
    }
    if final and context:
        needs["context", None] = {("fit", (k,)) for k in fold_numbers}
    if held_out and context:
        for k in fold_numbers:
            needs["context", k] = {("fit", tuple(sorted((j, k)))) for j in fold_numbers if j != k}
    fits: dict[tuple[int, ...], StageOneFit] = {}
    contexts: dict[int | None, Any] = {}

    def out_of_fold(without: tuple[int, ...], rows: np.ndarray) -> np.ndarray:
        """Stage-one scores of ``rows``, each from the fit without its fold and ``without``."""
        proba: np.ndarray = np.zeros((len(texts), len(LABELS)))
        for k in fold_numbers:
            if k not in without:
                excluded = tuple(sorted((k, *without)))
                proba[folds == k] = fits[excluded].scores[k]
        selected: np.ndarray = proba[rows]
        return selected

    everything = np.ones(len(texts), dtype=bool)

    def task(kind: str, key: Any) -> Any:
        if kind == "fit":
            # The model's fits at settings' tolerances; those made only for figures at cv_tol.
            tight = final and len(key) <= 1
            return delayed(_fit_stage_one)(
                text_array,
                label_array,
                folds,
                key,
                settings if tight else loose,
                key == (),
                shared,
                fits[source[key]].coefficients if key in source else None,
                key in source.values(),
            )
        rows = everything if key is None else folds != key
        without = () if key is None else (key,)
        return delayed(_fit_context)(
            list(text_array[rows]),
            list(label_array[rows]),
            list(doc_array[rows]),
            out_of_fold(without, rows),
            settings if key is None else loose,
        )

    done: set[tuple[str, Any]] = set()
    while len(done) < len(needs):
        ready = [name for name, inputs in needs.items() if name not in done and inputs <= done]
        assert ready, "a task waits for one that never runs"
        results = Parallel(n_jobs=jobs)(task(*name) for name in ready)
        for (kind, key), result in zip(ready, results):
            (fits if kind == "fit" else contexts)[key] = result
        done.update(ready)

    model = None
    if final:
        model = {"paragraph": fits[()].model, "context": contexts[None] if context else None}
    proba = None
    if held_out:
        stage_one = out_of_fold((), everything)
        proba = np.zeros((len(texts), len(LABELS)))
        for k in fold_numbers:
            rows = np.flatnonzero(folds == k)
            if not context:
                proba[rows] = stage_one[rows]
                continue
            proba[rows] = context_proba(
                contexts[k], list(text_array[rows]), stage_one[rows], list(doc_array[rows])
            )
    return FoldFits(model, proba)


def fit_stacked(
    texts: Sequence[str],
    labels: Sequence[str],
    docs: Sequence[str],
    groups: Sequence[str],
    settings: Settings,
    jobs: int = 1,
) -> dict[str, Any]:
    """Fit both stages on paragraphs in page order; returns ``{"paragraph", "context"}``.

    ``groups`` (outlets) are dealt into ``settings.context_folds`` folds for
    the out-of-fold scores; with a single outlet, pages are used instead, and
    a one-page corpus gets stage one only.
    """
    fold_groups = groups if len(set(groups)) > 1 else docs
    folds = group_folds(fold_groups, settings.context_folds)
    model = fit_folds(texts, labels, docs, folds, settings, jobs=jobs).model
    assert model is not None
    return model


def predict_page_proba(model: dict[str, Any], texts: Sequence[str]) -> np.ndarray:
    """Final probabilities for the paragraphs of one page, in LABELS order."""
    if len(texts) == 0:
        return np.zeros((0, len(LABELS)))
    proba = ordered_proba(model["paragraph"], list(texts))
    if model["context"] is None:
        return proba
    return context_proba(model["context"], texts, proba, [""] * len(texts))  # one page
