"""First-stage features computed once for the many fits of a cross-validation.

:func:`strikeclf.stacking.fit_folds` fits the paragraph model 16 times on
overlapping subsets of the corpus (5 folds). Each fit would normalise the
paragraphs, stem their words and cut them into word and character n-grams
again. Here that is done once for all paragraphs; each fit then selects the
n-grams its training rows keep (``min_df``) and weighs them by those rows'
document frequencies, as the pipeline's vectorizers would. The features equal
the pipeline's to 1e-12 (tests/test_pipeline.py), so the scores equal its
scores to the solver's tolerance.

One subtlety: the pipeline stems only the words it saw in training, and a
word seen first in a held-out paragraph keeps its surface form. So training
rows take their word n-grams from the shared counts, while held-out rows are
re-tokenised with the stems of the fit's own training words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import Settings
from .features import normalise_all, raw_tokens, snowball_stems, token_features, word_features
from .pipeline import build_char_counter, build_word_counter
from .warm import feature_names


@dataclass(frozen=True)
class SharedCounts:
    """What every cross-validation fit would otherwise recompute from the same paragraphs."""

    #: The paragraphs as the pipeline's first step normalises them.
    normalised: np.ndarray
    #: Their character n-gram counts (:func:`strikeclf.pipeline.build_char_counter`,
    #: CSR; ``None`` when settings leave character features out).
    chars: Any
    #: The character n-grams, in ``chars``' column order (``None`` when ``chars`` is).
    char_ngrams: np.ndarray | None
    #: Snowball stems of every word of every paragraph (:func:`strikeclf.features.snowball_stems`).
    stems: dict[str, str]
    #: Which words each paragraph has (CSR, one column per entry of ``words``).
    word_presence: Any
    #: The words, in ``word_presence``'s column order.
    words: np.ndarray
    #: Word n-gram counts of the paragraphs stemmed with ``stems`` (CSR).
    word_counts: Any
    #: The word n-grams, in ``word_counts``' column order (sorted, as the vectorizer's).
    word_ngrams: np.ndarray


def shared_counts(texts: Sequence[str], settings: Settings, jobs: int = 1) -> SharedCounts:
    """Normalise ``texts``, stem them and count their word and character n-grams, once.

    The word and the character counts are made in parallel when ``jobs`` > 1.
    """
    from joblib import Parallel, delayed

    normalised = normalise_all(texts)
    tasks = [delayed(_word_counts)(normalised, settings)]
    if settings.chars:
        tasks.append(delayed(_char_counts)(normalised, settings))
    words, *chars = Parallel(n_jobs=min(jobs, len(tasks)))(tasks)
    char_counts, char_ngrams = chars[0] if chars else (None, None)
    return SharedCounts(np.array(normalised, dtype=object), char_counts, char_ngrams, *words)


def _char_counts(normalised: list[str], settings: Settings) -> tuple[Any, np.ndarray]:
    counter = build_char_counter(settings)
    return counter.fit_transform(normalised).tocsr(), counter.get_feature_names_out()


def _word_counts(
    normalised: list[str], settings: Settings
) -> tuple[dict[str, str], Any, np.ndarray, Any, np.ndarray]:
    """SharedCounts' word fields: stems, word presence and its words, n-gram counts and n-grams."""
    from sklearn.feature_extraction.text import CountVectorizer

    tokens = [raw_tokens(text) for text in normalised]
    presence_counter = CountVectorizer(
        analyzer=lambda row: row, binary=True, dtype=np.float64
    )  # rows are token lists already
    presence = presence_counter.fit_transform(tokens).tocsr()
    stems = snowball_stems(t for row in tokens for t in row)
    word_counter = build_word_counter(settings)
    counts = word_counter.fit_transform(
        [" ".join(token_features(row, stems)) for row in tokens]
    ).tocsr()
    return (
        stems,
        presence,
        presence_counter.get_feature_names_out(),
        counts,
        word_counter.get_feature_names_out(),
    )


def tfidf_from_counts(
    counts: Any, train: np.ndarray, min_df: int, sublinear_tf: bool
) -> tuple[np.ndarray, Any, Any]:
    """A TF-IDF vectorizer's choice of columns and weighing for a fit on the ``train`` rows.

    ``counts``: n-gram counts of every paragraph (CSR) with no frequency
    floor. A vectorizer fitted on the ``train`` rows alone keeps the n-grams
    found in at least ``min_df`` of them, in the same sorted order, and weighs
    them by those rows' document frequencies: so do the columns selected here,
    with the ``TfidfTransformer`` scikit-learn's ``TfidfVectorizer`` uses.
    Returns the kept columns, the fitted transformer and the training rows' matrix.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    train_counts = counts[train]
    document_frequency = np.bincount(train_counts.indices, minlength=counts.shape[1])
    columns = np.flatnonzero(document_frequency >= min_df)
    if columns.size == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    train_matrix = train_counts[:, columns]
    weigh = TfidfTransformer(sublinear_tf=sublinear_tf).fit(train_matrix)
    return columns, weigh, weigh.transform(train_matrix)


def char_tfidf(counts: Any, train: np.ndarray, settings: Settings) -> tuple[Any, Any, np.ndarray]:
    """The pipeline's character TF-IDF for a fit on the ``train`` rows, from shared counts.

    Returns a function from a row mask to that TF-IDF matrix, the training
    rows' matrix and the columns of ``counts`` it keeps (:func:`tfidf_from_counts`).
    """
    columns, weigh, train_matrix = tfidf_from_counts(
        counts, train, settings.char_min_df, settings.sublinear_tf
    )

    def transform(rows: np.ndarray) -> Any:
        return weigh.transform(counts[rows][:, columns])

    return transform, train_matrix, columns


def word_tfidf(
    shared: SharedCounts, train: np.ndarray, settings: Settings
) -> tuple[Any, Any, np.ndarray]:
    """The pipeline's word TF-IDF for a fit on the ``train`` rows, from shared counts.

    Training rows use the shared counts: every word in them is stemmed as the
    fit's stem table would. Rows it transforms are re-tokenised with that
    table (the stems of the training rows' words only), as the pipeline would.
    Returns a function from a row mask to that TF-IDF matrix, the training
    rows' matrix and the columns of ``shared.word_counts`` it keeps.
    """
    columns, weigh, train_matrix = tfidf_from_counts(
        shared.word_counts, train, settings.word_min_df, settings.sublinear_tf
    )
    seen = shared.words[np.flatnonzero(np.bincount(shared.word_presence[train].indices))]
    stems = {word: shared.stems[word] for word in seen if word in shared.stems}
    counter = build_word_counter(settings).set_params(vocabulary=list(shared.word_ngrams[columns]))

    def transform(rows: np.ndarray) -> Any:
        features = [" ".join(word_features(text, stems)) for text in shared.normalised[rows]]
        return weigh.transform(counter.transform(features))

    return transform, train_matrix, columns


def first_stage_features(
    shared: SharedCounts, train: np.ndarray, settings: Settings
) -> tuple[Callable[[np.ndarray], Any], Any, np.ndarray]:
    """The paragraph pipeline's features for a fit on the ``train`` rows, from shared counts.

    Word TF-IDF (:func:`word_tfidf`), then character TF-IDF
    (:func:`char_tfidf`) when ``settings.chars``, side by side as the
    pipeline's FeatureUnion puts them. Returns a function from a row mask to
    the features of those rows, the training rows' features, and the
    features' names (:func:`strikeclf.warm.feature_names`).
    """
    from scipy import sparse

    branches = [word_tfidf(shared, train, settings)]
    chars = None
    if settings.chars:
        branches.append(char_tfidf(shared.chars, train, settings))
        assert shared.char_ngrams is not None
        chars = shared.char_ngrams[branches[1][2]]
    names = feature_names(shared.word_ngrams[branches[0][2]], chars)

    def transform(rows: np.ndarray) -> Any:
        return sparse.hstack([branch(rows) for branch, _, _ in branches]).tocsr()

    return transform, sparse.hstack([matrix for _, matrix, _ in branches]).tocsr(), names
