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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from .config import Settings
from .context import inherit_citations, lone_line_features, page_context, page_features
from .features import normalise_all
from .labels import LABELS
from .pipeline import build_char_counter, build_context_pipeline, build_pipeline


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


def _fit_stage_one(
    texts: np.ndarray,
    labels: np.ndarray,
    folds: np.ndarray,
    excluded: tuple[int, ...],
    settings: Settings,
    keep_model: bool,
    shared: SharedCounts | None = None,
) -> tuple[Any, dict[int, np.ndarray]]:
    """Fit stage one without the ``excluded`` folds; score each excluded fold.

    With ``shared`` (:func:`shared_counts` of the same paragraphs) a fit whose
    model is not kept takes its normalised text and character features from
    them instead of recomputing them: same features, same scores, less time.

    One BLAS thread, whatever process runs it: newton-cg stops at a tolerance,
    so thread count would otherwise move the last digits, and a model trained
    with ``--jobs 2`` must equal one trained with ``--jobs 1``.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        train = ~np.isin(folds, excluded)
        if shared is not None and not keep_model:
            return None, _scores_from_counts(labels, folds, excluded, train, settings, shared)
        model = build_pipeline(settings).fit(list(texts[train]), list(labels[train]))
        scores = {k: ordered_proba(model, list(texts[folds == k])) for k in excluded}
    return (model if keep_model else None), scores


@dataclass(frozen=True)
class SharedCounts:
    """What every cross-validation fit would otherwise recompute from the same paragraphs."""

    #: The paragraphs as the pipeline's first step normalises them.
    normalised: np.ndarray
    #: Their character n-gram counts (:func:`strikeclf.pipeline.build_char_counter`, CSR).
    chars: Any


def shared_counts(texts: Sequence[str], settings: Settings) -> SharedCounts:
    """Normalise ``texts`` and count their character n-grams, once for many fits."""
    normalised = normalise_all(texts)
    chars = build_char_counter(settings).fit_transform(normalised).tocsr()
    return SharedCounts(np.array(normalised, dtype=object), chars)


def char_tfidf(counts: Any, train: np.ndarray, settings: Settings) -> tuple[Any, Any]:
    """The pipeline's character TF-IDF for a fit on the ``train`` rows, from shared counts.

    ``counts``: :func:`strikeclf.pipeline.build_char_counter` fitted on every
    paragraph (CSR). The vectorizer fitted on the ``train`` rows alone keeps
    the n-grams found in at least ``char_min_df`` of them, in the same sorted
    order, and weighs them by those rows' document frequencies: so do the
    columns selected here, and the same ``TfidfTransformer`` scikit-learn's
    ``TfidfVectorizer`` uses does the weighing. Returns a function from a row
    mask to that TF-IDF matrix, and the training rows' matrix.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    train_counts = counts[train]
    document_frequency = np.bincount(train_counts.indices, minlength=counts.shape[1])
    columns = np.flatnonzero(document_frequency >= settings.char_min_df)
    if columns.size == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    train_matrix = train_counts[:, columns]
    weigh = TfidfTransformer(sublinear_tf=settings.sublinear_tf).fit(train_matrix)

    def transform(rows: np.ndarray) -> Any:
        return weigh.transform(counts[rows][:, columns])

    return transform, weigh.transform(train_matrix)


def _scores_from_counts(
    labels: np.ndarray,
    folds: np.ndarray,
    excluded: tuple[int, ...],
    train: np.ndarray,
    settings: Settings,
    shared: SharedCounts,
) -> dict[int, np.ndarray]:
    """:func:`_fit_stage_one`'s scores, the pipeline's steps after normalising run by hand."""
    from scipy import sparse

    pipeline = build_pipeline(settings)
    normalised = shared.normalised
    words = pipeline.named_steps["features"].transformer_list[0][1]
    classifier = pipeline.named_steps["classifier"]
    chars_of, train_chars = char_tfidf(shared.chars, train, settings)
    features = sparse.hstack([words.fit_transform(list(normalised[train])), train_chars]).tocsr()
    classifier.fit(features, list(labels[train]))
    scores = {}
    for k in excluded:
        rows = folds == k
        held = sparse.hstack([words.transform(list(normalised[rows])), chars_of(rows)]).tocsr()
        scores[k] = ordered_proba(classifier, held)
    return scores


def _fit_context(features: np.ndarray, targets: Sequence[str], settings: Settings) -> Any:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return build_context_pipeline(settings).fit(features, list(targets))


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
    if settings.chars and sum(1 for excluded in wanted if excluded) >= 2:
        # Normalise and cut the corpus into character n-grams once for all the
        # fits that only score.
        shared = shared_counts(texts, settings)
    fitted = Parallel(n_jobs=jobs)(
        delayed(_fit_stage_one)(
            text_array, label_array, folds, excluded, settings, excluded == (), shared
        )
        for excluded in wanted
    )
    fits = dict(zip(wanted, fitted))

    def out_of_fold(without: tuple[int, ...], rows: np.ndarray) -> np.ndarray:
        """Stage-one scores of ``rows``, each from the fit without its fold and ``without``."""
        proba: np.ndarray = np.zeros((len(texts), len(LABELS)))
        for k in fold_numbers:
            if k not in without:
                excluded = tuple(sorted((k, *without)))
                proba[folds == k] = fits[excluded][1][k]
        selected: np.ndarray = proba[rows]
        return selected

    everything = np.ones(len(texts), dtype=bool)
    jobs_context: list[tuple[np.ndarray, list[str]]] = []
    if final and context:
        jobs_context.append(
            _context_training_set(texts, labels, docs, out_of_fold((), everything), settings)
        )
    if held_out and context:
        for k in fold_numbers:
            rows = folds != k
            jobs_context.append(
                _context_training_set(
                    list(text_array[rows]),
                    list(label_array[rows]),
                    list(doc_array[rows]),
                    out_of_fold((k,), rows),
                    settings,
                )
            )
    contexts = Parallel(n_jobs=jobs)(
        delayed(_fit_context)(features, targets, settings) for features, targets in jobs_context
    )

    model = None
    if final:
        model = {"paragraph": fits[()][0], "context": contexts.pop(0) if context else None}
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
                contexts.pop(0), list(text_array[rows]), stage_one[rows], list(doc_array[rows])
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
