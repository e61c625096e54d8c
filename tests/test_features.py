"""Unit tests for feature normalisation and tokenisation."""

from strikeclf.features import normalise, stem_tokens


def test_lookalike_cyrillic_in_latin_word_is_mapped():
    assert normalise("Сeasefire") == "ceasefire"  # first letter is Cyrillic С


def test_real_cyrillic_words_are_left_alone():
    assert normalise("Белгород Belgorod") == "белгород belgorod"


def test_digits_times_and_invisible_characters():
    assert normalise("8:42\u00a0PM, Jan.\u200b14 2024") == "0:00 pm, jan.00 0000"


def test_fullwidth_letters_fold_to_ascii():
    assert normalise("ＤＲＯＮＥ") == "drone"


def test_stem_tokens_groups_attribution_verbs():
    assert stem_tokens("claimed claims claiming") == ["claim", "claim", "claim"]
    assert stem_tokens("drones, struck!") == ["drone", "struck"]
    assert stem_tokens("residents said") == ["resid", "said", "__media_said__"]
