"""The optional C extensions compute what the pure-Python paths compute.

CI sets ``STRIKECLF_REQUIRE_SPEEDUPS=1``: there a missing extension (a build
that failed silently, as ``optional=True`` allows) fails these tests instead
of skipping them, unless ``STRIKECLF_PURE_PYTHON=1`` turned it off on purpose.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikeclf import context, speedups
from strikeclf.corpus import read_corpus
from strikeclf.features import normalise, raw_tokens, snowball_stems, token_table, word_features
from strikeclf.model import Model, load_model
from strikeclf.segment import split_paragraphs
from strikeclf.serving import ArrayModel
from strikeclf.stacking import fit_stacked, page_slices, predict_page_proba

from .conftest import DEV_DIR, REPO, SHIPPED_MODEL, SMALL_SETTINGS

if not speedups.available():
    if os.environ.get("STRIKECLF_REQUIRE_SPEEDUPS") and not os.environ.get("STRIKECLF_PURE_PYTHON"):
        pytest.fail("strikeclf's C speed-ups are not built", pytrace=False)
    pytest.skip("C speed-ups not built or turned off", allow_module_level=True)

tfidf, linestats = speedups.tfidf, speedups.linestats

# Text that exercises the edges: look-alike letters, no-break and ideographic
# spaces, full-width forms, astral characters, digits that are not decimal
# (², which re's \d does not match), underscores, title-case and dotted capitals.
ODD = [
    "",
    "   ",
    "x",
    "Сeasefire  \u00a0 x\ty",
    "ＦＵＬＬ　ｗｉｄｔｈ ＤＲＯＮＥ",
    "emoji 🚀 and 0:00 at 12.30 p.m.",
    "İSTANBUL The THE ² x²y ٣ abc_def ǅ \u212a",
    "[xiv]",
    ", said",
    "a" * 7000,
]
TEXT = st.text(alphabet="abcAB İǅ²٣_-.,:0\u00a0\t日🚀Жж", max_size=60)


def both_paths(model: Model) -> tuple[ArrayModel, ArrayModel]:
    header, arrays = model._header, model._arrays
    return ArrayModel(header, arrays, compiled=True), ArrayModel(header, arrays, compiled=False)


def dev_pages() -> list[list[str]]:
    if not DEV_DIR.is_dir():
        return []
    return [
        [p.text for p in split_paragraphs(path.read_text(encoding="utf-8"))]
        for path in sorted(DEV_DIR.glob("*.txt"))
    ]


def test_both_paths_give_the_pipelines_probabilities(tiny_corpus):
    corpus = read_corpus([tiny_corpus])
    stages = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, SMALL_SETTINGS)
    fast, slow = both_paths(Model.from_pipelines(stages, SMALL_SETTINGS))
    assert fast.compiled and not slow.compiled
    pages = [corpus.texts[s] for s in page_slices(corpus.docs)] + [ODD]
    for texts in pages:
        reference = predict_page_proba(stages, texts)
        assert np.abs(fast.page_proba(texts) - reference).max() < 1e-9
        assert np.abs(slow.page_proba(texts) - reference).max() < 1e-9


@pytest.mark.shipped
@pytest.mark.skipif(not SHIPPED_MODEL.exists(), reason="no shipped model in models/")
def test_both_paths_agree_on_the_whole_corpus_and_dev_set():
    fast, slow = both_paths(load_model(SHIPPED_MODEL))
    corpus = read_corpus([REPO / "data" / "corpus"])
    texts = corpus.texts + [t for page in dev_pages() for t in page] + ODD
    assert np.abs(fast.paragraph_proba(texts) - slow.paragraph_proba(texts)).max() < 1e-12


def all_texts() -> list[str]:
    corpus = read_corpus([REPO / "data" / "corpus"])
    return corpus.texts + [t for page in dev_pages() for t in page] + ODD


def test_line_stats_equal_the_python_counts_on_the_corpus_and_dev_set():
    for text in all_texts():
        assert compiled_stats(text) == context.line_stats(text), text


def compiled_stats(text: str) -> tuple[int, ...]:
    return tuple(linestats.line_stats(text, context._STOPWORDS))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_line_stats_equal_the_python_counts(text):
    assert compiled_stats(text) == context.line_stats(text)


def test_line_stats_looks_up_long_and_non_ascii_words():
    stopwords = frozenset({"x" * 70, "ǆ"})
    text = "X" * 70 + " ǅ " + "x" * 71
    # ǅ (title case) lowers to ǆ but is not upper case; the 71 x are no stop word.
    assert linestats.line_stats(text, stopwords) == (3, 2, 1, 142, 0, 70)
    # Switching sets back and forth gives each set's own answer.
    assert linestats.line_stats("The cat", context._STOPWORDS)[1] == 1
    assert linestats.line_stats("The cat", frozenset({"cat"}))[1] == 1
    assert linestats.line_stats("The cat", frozenset({"dog"}))[1] == 0
    assert linestats.line_stats("The cat", context._STOPWORDS)[1] == 1


@pytest.fixture(scope="module")
def corpus_stems() -> dict[str, str]:
    return snowball_stems(t for text in all_texts() for t in raw_tokens(normalise(text)))


def test_token_map_gives_word_features_on_the_corpus_and_dev_set(corpus_stems):
    token_map = tfidf.TokenMap(*token_table(corpus_stems))
    for text in all_texts():
        norm = normalise(text)
        assert token_map.tokens(norm) == word_features(norm, corpus_stems), text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "governor",
                "said",
                "drones",
                "hit",
                "kursk",
                "kyiv",
                "russia",
                "ukrainian",
                "residents",
                "claimed",
                "attacks",
                "0",
                "ж",
                "x",
            ]
        )
        | TEXT,
        max_size=12,
    )
)
def test_token_map_gives_word_features(words):
    stems = snowball_stems(["claimed", "drones", "attacks", "residents"])
    text = normalise(" ".join(words))
    assert tfidf.TokenMap(*token_table(stems)).tokens(text) == word_features(text, stems)


def sklearn_scores(analyzer: str, docs: list[str], low: int, high: int, seed: int):
    """Vocabulary, IDF, random coefficients and the reference scores from scikit-learn."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=(low, high),
        lowercase=False,
        sublinear_tf=True,
        tokenizer=re.compile(r"[^\W_]+").findall if analyzer == "word" else None,
        token_pattern=None,
    )
    matrix = vectorizer.fit_transform(docs)
    terms = vectorizer.get_feature_names_out().tolist()
    coef = np.random.default_rng(seed).normal(size=(len(terms), 3))
    return terms, vectorizer.idf_, coef, matrix @ coef


@settings(max_examples=100, deadline=None)
@given(
    st.lists(TEXT.filter(str.strip), min_size=1, max_size=6),
    st.integers(1, 3),
    st.integers(0, 2),
)
def test_char_wb_scores_equal_scikit_learn(docs, low, extra):
    high = low + extra
    terms, idf, coef, expected = sklearn_scores("char_wb", docs, low, high, seed=len(docs))
    table = tfidf.TermTable(terms, idf, coef, True)
    # Unseen text too: its n-grams that are not terms must be skipped.
    texts = [*docs, "unseen Ωmega text", ""]
    out = np.zeros((len(texts), 3))
    table.char_wb_scores(texts, low, high, out)
    assert np.abs(out[: len(docs)] - expected).max() < 1e-12
    assert not out[-1].any()


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT.filter(lambda t: any(map(str.isalnum, t))), min_size=1, max_size=6))
def test_word_scores_equal_scikit_learn(docs):
    # With an empty map, word tokens are the runs of str.isalnum characters.
    terms, idf, coef, expected = sklearn_scores("word", docs, 1, 2, seed=len(docs))
    table = tfidf.TermTable(terms, idf, coef, True)
    out = np.zeros((len(docs) + 1, 3))
    table.word_scores([*docs, ""], tfidf.TokenMap({}, []), 1, 2, out)
    assert np.abs(out[:-1] - expected).max() < 1e-12
    assert not out[-1].any()


def test_scores_add_to_out_and_linear_tf_is_supported():
    table = tfidf.TermTable(["ab", "b"], np.array([1.0, 2.0]), np.eye(2), False)
    out = np.ones((1, 2))
    table.word_scores(["ab ab b"], tfidf.TokenMap({}, []), 1, 1, out)
    # counts 2 and 1, times IDF 1 and 2: (2, 2) / sqrt(8), added to the ones
    assert np.allclose(out, 1 + np.array([[2.0, 2.0]]) / np.sqrt(8.0))
    assert len(table) == 2


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: tfidf.TermTable(["a"], np.ones(2), np.ones((1, 2)), True), ValueError),
        (lambda: tfidf.TermTable(["a"], np.ones(1), np.ones((2, 2)), True), ValueError),
        (lambda: tfidf.TermTable(["a", "a"], np.ones(2), np.ones((2, 2)), True), ValueError),
        (lambda: tfidf.TermTable([1], np.ones(1), np.ones((1, 2)), True), TypeError),
        (
            lambda: tfidf.TermTable(["a"], np.ones(1, np.float32), np.ones((1, 2)), True),
            ValueError,
        ),
    ],
)
def test_bad_tables_are_refused(build, error):
    with pytest.raises(error):
        build()


def test_bad_calls_are_refused():
    table = tfidf.TermTable(["a"], np.ones(1), np.ones((1, 2)), True)
    empty = tfidf.TokenMap({}, [])
    with pytest.raises(ValueError):
        table.char_wb_scores(["a"], 3, 2, np.zeros((1, 2)))
    with pytest.raises(ValueError):
        table.char_wb_scores(["a"], 1, 2, np.zeros((2, 2)))
    with pytest.raises(ValueError):
        table.char_wb_scores(["a"], 1, 2, np.zeros((1, 2))[:, ::-1])
    with pytest.raises(TypeError):
        table.char_wb_scores([b"a"], 1, 2, np.zeros((1, 2)))
    with pytest.raises(TypeError):
        table.word_scores(["a", 1], empty, 1, 2, np.zeros((2, 2)))
    with pytest.raises(TypeError):
        table.word_scores(["a"], {}, 1, 2, np.zeros((1, 2)))
    for token_info, cues in [
        ({"a": ("b",)}, []),
        ({"a": 1}, []),
        ({}, ["cue"]),
        ({1: ("b", 0)}, []),
    ]:
        with pytest.raises(TypeError):
            tfidf.TokenMap(token_info, cues)
    # After errors, the table still scores correctly.
    out = np.zeros((1, 2))
    table.word_scores(["a"], empty, 1, 1, out)
    assert np.allclose(out, [[1.0, 1.0]])


def test_pure_python_can_be_forced(tmp_path):
    import subprocess
    import sys

    code = "from strikeclf import speedups; print(speedups.available())"
    env = {**os.environ, "STRIKECLF_PURE_PYTHON": "1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "False"
