"""Unit tests for feature normalisation and tokenisation."""

from strikeclf.features import normalise, snowball_stems, word_features


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
