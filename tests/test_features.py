"""Unit tests for feature normalisation and tokenisation."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from strikeclf.context import _TIME
from strikeclf.corpus import read_corpus
from strikeclf.features import (
    FEATURE_CHARS,
    TYPOGRAPHIC,
    _normalise_unicode,
    decode_entities,
    normalise,
    snowball_stems,
    word_features,
)

from .conftest import REPO


def test_lookalike_cyrillic_in_latin_word_is_mapped():
    assert normalise("Сeasefire") == "ceasefire"  # first letter is Cyrillic С


def test_real_cyrillic_words_are_left_alone():
    assert normalise("Белгород Belgorod") == "белгород belgorod"


def test_digits_times_and_invisible_characters():
    assert normalise("8:42\u00a0PM, Jan.\u200b14 2024") == "0:00 pm, jan.00 0000"


def test_fullwidth_letters_fold_to_ascii():
    assert normalise("ＤＲＯＮＥ") == "drone"


def test_word_features_group_attribution_verbs():
    stems = snowball_stems(["claimed", "claims", "claiming", "drones", "residents"])
    assert word_features("claimed claims claiming", stems) == ["claim", "claim", "claim"]
    assert word_features("drones, struck!", stems) == ["drone", "struck"]
    assert word_features("residents said", stems) == ["resid", "said", "__media_said__"]


def test_tokens_missing_from_the_stem_table_keep_their_form():
    assert word_features("attacking depots", {}) == ["attacking", "depots"]


# The fast paths below are checked against the readable forms they replace.


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_fast_path_equals_every_normalisation_step(text):
    assert normalise(text) == _normalise_unicode(decode_entities(text))


def test_typographic_characters_are_left_alone_by_every_step():
    for char in TYPOGRAPHIC:
        assert unicodedata.category(char)[0] in "PS", char
        assert _normalise_unicode(f"A{char}1") == f"a{char}0", char


# ASCII and typographic characters, and characters that need the full path:
# letters with accents, a Cyrillic look-alike, an Arabic-Indic digit, an
# ellipsis and a non-breaking space (NFKC expands them), invisible characters,
# a combining accent and a prime pair (NFKC composes or decomposes them).
_MIXED = "aZ09 .,\"'-&#;" + TYPOGRAPHIC + "éСс٣…\u00a0\u200b\u00ad\u0301″™"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_MIXED, max_size=40))
def test_typographic_fast_path_equals_every_normalisation_step(text):
    assert normalise(text) == _normalise_unicode(decode_entities(text))


def test_fast_paths_on_the_corpus():
    corpus = read_corpus([REPO / "data" / "corpus"])
    for text in corpus.texts:
        assert normalise(text) == _normalise_unicode(decode_entities(text[:FEATURE_CHARS])), text


def test_html_character_references_read_as_the_characters_they_stand_for():
    # RSS descriptions often reach the scraper still escaped, sometimes twice.
    assert normalise("Russia&#039;s &#8216;special operation&#8217;") == normalise(
        "Russia's ‘special operation’"
    )
    assert normalise("Russia&amp;#039;s") == "russia's"
    assert normalise("AT&amp;T&nbsp;drones") == "at&t drones"
    assert normalise("Q&A: R&D &") == "q&a: r&d &"


def test_entity_decoding_is_bounded_on_a_hostile_line():
    line = "&" + "amp;" * 1000
    assert decode_entities(line) == "&" + "amp;" * 997


_READABLE_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789:. apmx_٣\t", max_size=20))
def test_time_pattern_matches_where_the_readable_one_does(text):
    assert bool(_TIME.search(text)) == bool(_READABLE_TIME.search(text))


def test_time_pattern_on_the_corpus():
    corpus = read_corpus([REPO / "data" / "corpus"])
    for text in corpus.texts:
        lower = text.lower()
        assert bool(_TIME.search(lower)) == bool(_READABLE_TIME.search(lower)), text
