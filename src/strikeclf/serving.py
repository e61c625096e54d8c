"""Predict from the model's arrays with NumPy alone: the fast serving path.

scikit-learn and nltk cost over two seconds to import, and a scikit-learn
pipeline transforms one paragraph at a time in Python. This module computes
the same two-stage probabilities from the arrays of a ``.npz`` model, with
no import beyond NumPy, batch-vectorised:

- paragraphs are normalised once (cached: chrome lines repeat across pages);
- a paragraph's linear scores are cached by its text, a word's character
  n-grams by the word (``char_wb`` n-grams never cross a word boundary);
- counts, sublinear TF, IDF, L2 norms and the linear scores are NumPy
  operations over the whole batch.

The arithmetic is scikit-learn's (``TfidfVectorizer`` with ``sublinear_tf``,
L2 rows, ``LogisticRegression`` softmax, ``StandardScaler``); a test checks
the probabilities against the fitted pipelines to 1e-9 on the whole corpus
and the dev set.

Where the optional C extension is built (see :mod:`strikeclf.speedups`), the
n-gram look-ups and TF-IDF scores of new paragraphs run in C instead, without
a string object per n-gram; the scores are the same (tests compare both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np

from . import speedups
from .context import inherit_citations, n_features, page_context
from .features import normalise, token_table, word_features
from .labels import LABELS

# Caches hold the features of lines seen before (chrome repeats on every page of
# a site). Each is cleared when full and skips long lines (article paragraphs
# rarely repeat): memory stays bounded on a 1 GB input of distinct lines.
_CACHE_LIMIT = 50_000
_CACHE_MAX_CHARS = 1_000


class _Block:
    """One TF-IDF block (words or characters) and its share of the coefficients.

    ``compiled``: score with a C ``TermTable`` rather than a dict of terms.
    """

    def __init__(
        self,
        terms: Sequence[str],
        idf: np.ndarray,
        coef: np.ndarray,
        sublinear: bool,
        compiled: bool,
    ):
        self.idf = idf
        self.coef = coef  # (n_terms, n_classes)
        self.sublinear = sublinear
        self.table = None
        self.vocabulary: dict[str, int] = {}
        if compiled:
            self.table = speedups.tfidf.TermTable(
                list(terms),
                np.ascontiguousarray(idf, dtype=np.float64),
                np.ascontiguousarray(coef, dtype=np.float64),
                sublinear,
            )
        else:
            # Positions are stored plus one, so that ``filter(None, map(vocabulary.get,
            # grams))`` drops the grams that are not features at C speed (0 never occurs).
            self.vocabulary = {term: i for i, term in enumerate(terms, start=1)}

    def scores(self, hits: list[list[int]]) -> np.ndarray:
        """Linear scores (rows, classes) of L2-normalised TF-IDF rows from each row's hits.

        ``hits`` holds each row's vocabulary positions plus one (see ``vocabulary``).
        """
        n_rows, n_classes = len(hits), self.coef.shape[1]
        lengths = [len(h) for h in hits]
        total = sum(lengths)
        if total == 0:
            return np.zeros((n_rows, n_classes))
        cols = np.fromiter(chain.from_iterable(hits), dtype=np.int64, count=total) - 1
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        keys = rows * len(self.idf) + cols
        unique, counts = np.unique(keys, return_counts=True)
        row, col = unique // len(self.idf), unique % len(self.idf)
        tf = np.log(counts) + 1.0 if self.sublinear else counts.astype(np.float64)
        values = tf * self.idf[col]
        norms = np.sqrt(np.bincount(row, values * values, minlength=n_rows))
        values = values / norms[row]
        weights = self.coef[col] * values[:, None]
        # ``unique`` is sorted, so each row's entries are contiguous: sum them per row.
        starts = np.flatnonzero(np.concatenate(([True], row[1:] != row[:-1])))
        scores = np.zeros((n_rows, n_classes))
        scores[row[starts]] = np.add.reduceat(weights, starts, axis=0)
        return scores


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    if len(key) > _CACHE_MAX_CHARS:
        return
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


def _hits(vocabulary: dict[str, int], grams: Iterable[str]) -> list[int]:
    """Vocabulary positions (plus one) of the grams that are features, with repeats."""
    return list(filter(None, map(vocabulary.get, grams)))


@lru_cache(maxsize=256)
def _char_slices(length: int, low: int, high: int) -> tuple[slice, ...]:
    """Slices of a padded word of ``length`` characters that are its char_wb n-grams.

    As scikit-learn's ``_char_wb_ngrams``: a padded word no longer than n gives
    itself once, and longer n-grams are not taken.
    """
    slices: list[slice] = []
    for n in range(low, high + 1):
        slices.extend(slice(i, i + n) for i in range(max(length - n + 1, 1)))
        if length <= n:
            break
    return tuple(slices)


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


class ArrayModel:
    """The two stages as arrays. Caches grow while predicting; all else is read-only.

    ``compiled``: use the C speed-ups (default: when they are available).
    """

    def __init__(
        self,
        header: Mapping[str, Any],
        arrays: Mapping[str, np.ndarray],
        *,
        compiled: bool | None = None,
    ) -> None:
        if compiled is None:
            compiled = speedups.available()
        elif compiled and not speedups.available():
            raise RuntimeError(
                "strikeclf's C speed-ups are not built (or STRIKECLF_PURE_PYTHON is set)"
            )
        self.compiled = compiled
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
        self.words = _Block(
            word_terms, arrays["words_idf"], coef[: len(word_terms)], sublinear, compiled
        )
        self.chars = None
        if "chars_terms" in header:
            chars_terms = header["chars_terms"]
            self.chars = _Block(
                chars_terms, arrays["chars_idf"], coef[len(word_terms) :], sublinear, compiled
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
            if self.context[0].shape != (n_features(),):
                raise ValueError(
                    f"its context stage reads {self.context[0].shape[0]} page features, this "
                    f"strikeclf computes {n_features()}: retrain it with this version"
                )
        self._token_map: Any = None
        self._normalised: dict[str, str] = {}
        self._scores: dict[str, np.ndarray] = {}
        self._word_char_hits: dict[str, list[int]] = {}

    # --- features ----------------------------------------------------------------

    def _words_of(self, norm: str) -> list[int]:
        tokens = word_features(norm, self.stems)
        vocabulary = self.words.vocabulary
        low, high = self.word_ngrams
        found = _hits(vocabulary, tokens) if low == 1 else []
        for n in range(max(low, 2), high + 1):
            found += _hits(vocabulary, map(" ".join, zip(*(tokens[i:] for i in range(n)))))
        return found

    def _chars_of(self, norm: str) -> list[int]:
        found: list[int] = []
        cache, of_word = self._word_char_hits, self._chars_of_word
        for word in norm.split():  # the words scikit-learn's char_wb pads
            hits = cache.get(word)
            found += of_word(word) if hits is None else hits
        return found

    def _chars_of_word(self, word: str) -> list[int]:
        assert self.chars is not None
        padded = f" {word} "
        slices = _char_slices(len(padded), *self.char_ngrams)
        hits = _hits(self.chars.vocabulary, map(padded.__getitem__, slices))
        _remember(self._word_char_hits, word, hits)
        return hits

    def paragraph_proba(self, texts: Sequence[str]) -> np.ndarray:
        """First-stage probabilities, columns in LABELS order.

        A paragraph's TF-IDF row depends on that paragraph alone, so its linear
        scores are cached by its normalised text; only new paragraphs are
        featurised, together, as one batch.
        """
        normalised = self._normalised
        norms: list[str] = []
        for text in texts:
            norm = normalised.get(text)
            if norm is None:
                norm = normalise(text)
                _remember(normalised, text, norm)
            norms.append(norm)
        cache = self._scores
        new = [norm for norm in dict.fromkeys(norms) if norm not in cache]
        fresh: dict[str, np.ndarray] = {}
        if new:
            computed = self._compiled_scores(new) if self.compiled else self._scores_of(new)
            fresh = dict(zip(new, computed))
        # Rows are gathered before the new ones are remembered: remembering can
        # empty a full cache.
        rows = [fresh[norm] if norm in fresh else cache[norm] for norm in norms]
        for norm, row in fresh.items():
            _remember(cache, norm, row)
        scores = np.array(rows) if rows else np.empty((0, len(LABELS)))
        return _softmax(scores + self.intercept)

    def _scores_of(self, norms: list[str]) -> np.ndarray:
        """First-stage linear scores of normalised paragraphs, in Python and NumPy."""
        scores = self.words.scores([self._words_of(norm) for norm in norms])
        if self.chars is not None:
            scores += self.chars.scores([self._chars_of(norm) for norm in norms])
        return scores

    def _compiled_scores(self, norms: list[str]) -> np.ndarray:
        """The same scores from the C ``TermTable`` s (they keep their own word cache)."""
        scores = np.zeros((len(norms), len(LABELS)))
        assert self.words.table is not None
        if self._token_map is None:  # made on first use: start-up stays fast
            self._token_map = speedups.tfidf.TokenMap(*token_table(self.stems))
        self.words.table.word_scores(norms, self._token_map, *self.word_ngrams, scores)
        if self.chars is not None:
            assert self.chars.table is not None
            self.chars.table.char_wb_scores(norms, *self.char_ngrams, scores)
        return scores

    def page_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Final probabilities for the paragraphs of one page, columns in LABELS order."""
        proba = self.paragraph_proba(texts)
        if self.context is None or len(texts) == 0:
            return proba
        mean, scale, coef, intercept = self.context
        context = page_context(texts, proba)
        features = (context.features - mean) / scale
        return inherit_citations(_softmax(features @ coef + intercept), context.anchors)
