"""Predict from the model's arrays with NumPy alone: the fast serving path.

scikit-learn and nltk cost over two seconds to import, and a scikit-learn
pipeline transforms one paragraph at a time in Python. This module computes
the same two-stage probabilities from the arrays of a ``.npz`` model, with
no import beyond NumPy, batch-vectorised:

- paragraphs are normalised once (cached: chrome lines repeat across pages);
- each distinct paragraph's word and character n-gram hits are computed once
  and cached (``char_wb`` n-grams never cross a word boundary);
- counts, sublinear TF, IDF, L2 norms and the linear scores are NumPy
  operations over the whole batch.

The arithmetic is scikit-learn's (``TfidfVectorizer`` with ``sublinear_tf``,
L2 rows, ``LogisticRegression`` softmax, ``StandardScaler``); a test checks
the probabilities against the fitted pipelines to 1e-9 on the whole corpus
and the dev set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .context import page_features
from .features import normalise, word_features
from .labels import LABELS

_CACHE_LIMIT = 200_000  # entries per cache; cleared when full (cheap, bounded memory)


class _Block:
    """One TF-IDF block (words or characters) and its share of the coefficients."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, coef: np.ndarray, sublinear: bool):
        self.vocabulary = {term: i for i, term in enumerate(terms)}
        self.idf = idf
        self.coef = coef  # (n_terms, n_classes)
        self.sublinear = sublinear

    def scores(self, hits: list[np.ndarray]) -> np.ndarray:
        """Linear scores (rows, classes) of L2-normalised TF-IDF rows from each row's hits."""
        n_rows, n_classes = len(hits), self.coef.shape[1]
        cols = np.concatenate(hits) if hits else np.zeros(0, dtype=np.int64)
        if cols.size == 0:
            return np.zeros((n_rows, n_classes))
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), [len(h) for h in hits])
        keys = rows * len(self.idf) + cols
        unique, counts = np.unique(keys, return_counts=True)
        row, col = unique // len(self.idf), unique % len(self.idf)
        tf = np.log(counts) + 1.0 if self.sublinear else counts.astype(np.float64)
        values = tf * self.idf[col]
        norms = np.sqrt(np.bincount(row, values * values, minlength=n_rows))
        values = values / norms[row]
        weights = self.coef[col] * values[:, None]
        return np.stack(
            [np.bincount(row, weights[:, k], minlength=n_rows) for k in range(n_classes)], axis=1
        )


def _hits(vocabulary: dict[str, int], grams: list[str]) -> np.ndarray:
    """Vocabulary indices of the grams that are features (with repeats)."""
    found = [i for i in map(vocabulary.get, grams) if i is not None]
    return np.array(found, dtype=np.int64)


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


class ArrayModel:
    """The two stages as arrays. Caches grow while predicting; all else is read-only."""

    def __init__(self, header: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        settings = header["settings"]
        self.word_ngrams = tuple(settings["word_ngrams"])
        self.char_ngrams = tuple(settings["char_ngrams"])
        self.stems: dict[str, str] = dict(header["stems"])
        classes = list(header["paragraph_classes"])
        order = [classes.index(label) for label in LABELS]
        coef = np.asarray(arrays["paragraph_coef"], dtype=np.float64)[order].T
        self.intercept = np.asarray(arrays["paragraph_intercept"], dtype=np.float64)[order]
        sublinear = bool(settings["sublinear_tf"])
        word_terms = header["words_terms"]
        self.words = _Block(word_terms, arrays["words_idf"], coef[: len(word_terms)], sublinear)
        self.chars = None
        if "chars_terms" in header:
            chars_terms = header["chars_terms"]
            self.chars = _Block(
                chars_terms, arrays["chars_idf"], coef[len(word_terms) :], sublinear
            )
        self.context = None
        if header["context"]:
            context_classes = list(header["context_classes"])
            corder = [context_classes.index(label) for label in LABELS]
            self.context = (
                np.asarray(arrays["context_mean"], dtype=np.float64),
                np.asarray(arrays["context_scale"], dtype=np.float64),
                np.asarray(arrays["context_coef"], dtype=np.float64)[corder].T,
                np.asarray(arrays["context_intercept"], dtype=np.float64)[corder],
            )
        self._normalised: dict[str, str] = {}
        self._word_hits: dict[str, np.ndarray] = {}
        self._char_hits: dict[str, np.ndarray] = {}
        self._word_char_hits: dict[str, list[int]] = {}

    # --- features ----------------------------------------------------------------

    def _normalise(self, text: str) -> str:
        cached = self._normalised.get(text)
        if cached is None:
            if len(self._normalised) >= _CACHE_LIMIT:
                self._normalised.clear()
            cached = self._normalised[text] = normalise(text)
        return cached

    def _words_of(self, norm: str) -> np.ndarray:
        hits = self._word_hits.get(norm)
        if hits is None:
            tokens = word_features(norm, self.stems)
            grams: list[str] = []
            low, high = self.word_ngrams
            for n in range(low, high + 1):
                grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
            hits = _hits(self.words.vocabulary, grams)
            if len(self._word_hits) >= _CACHE_LIMIT:
                self._word_hits.clear()
            self._word_hits[norm] = hits
        return hits

    def _chars_of(self, norm: str) -> np.ndarray:
        hits = self._char_hits.get(norm)
        if hits is None:
            found: list[int] = []
            for word in norm.split():  # the words scikit-learn's char_wb pads
                found.extend(self._chars_of_word(word))
            hits = np.array(found, dtype=np.int64)
            if len(self._char_hits) >= _CACHE_LIMIT:
                self._char_hits.clear()
            self._char_hits[norm] = hits
        return hits

    def _chars_of_word(self, word: str) -> list[int]:
        hits = self._word_char_hits.get(word)
        if hits is None:
            assert self.chars is not None
            padded = f" {word} "
            low, high = self.char_ngrams
            grams: list[str] = []
            for n in range(low, high + 1):
                # as scikit-learn's _char_wb_ngrams: a word no longer than n gives
                # itself once, and longer n-grams are not taken
                grams.extend(padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
                if len(padded) <= n:
                    break
            vocabulary = self.chars.vocabulary
            hits = [i for i in map(vocabulary.get, grams) if i is not None]
            if len(self._word_char_hits) >= _CACHE_LIMIT:
                self._word_char_hits.clear()
            self._word_char_hits[word] = hits
        return hits

    def paragraph_proba(self, texts: Sequence[str]) -> np.ndarray:
        """First-stage probabilities, columns in LABELS order."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(LABELS)))
        normalised = [self._normalise(t) for t in texts]
        scores = self.words.scores([self._words_of(norm) for norm in normalised])
        if self.chars is not None:
            scores += self.chars.scores([self._chars_of(norm) for norm in normalised])
        return _softmax(scores + self.intercept)

    def page_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Final probabilities for the paragraphs of one page, columns in LABELS order."""
        proba = self.paragraph_proba(texts)
        if self.context is None or len(texts) == 0:
            return proba
        mean, scale, coef, intercept = self.context
        features = (page_features(texts, proba) - mean) / scale
        return _softmax(features @ coef + intercept)
