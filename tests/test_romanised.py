"""Romanised words: a language of another script written in Latin letters, told by the lexicons."""

import pytest

from bot.nlp.romanised import RomanisedWords

LATIN = ("de", "en", "tr", "fr", "es", "pl", "ro", "it", "so")


@pytest.fixture(scope="module")
def romanised():
    return RomanisedWords.from_lexicons(
        names=[
            {"ar": ["صيدلي", "saydali"], "ru": ["врач", "vrach"], "de": ["Apotheker"]},
            {"ar": ["مهندس", "mohandes"], "fa": ["مهندس", "mohandes"], "tr": ["mühendis"]},
            {"ru": ["доктор", "doktor"], "tr": ["doktor"]},
        ],
        signals={
            "ar": {"thanks": ["شكرا", "shukran", "mar7aba"], "yes": ["tamam"]},
            "fa": {"thanks": ["merci", "mamnoon"]},
            "fr": {"thanks": ["merci"]},
            "ru": {"thanks": ["spasibo", "da"]},
        },
        latin_languages=LATIN,
    )


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["ana", "saydali"], {"ar": 1}),
        (["ya", "Vrach"], {"ru": 1}),  # case does not matter
        (["man", "mohandes", "mamnoon"], {"fa": 2, "ar": 1}),  # a shared word counts for both
        (["spasibo"], {"ru": 1}),
    ],
)
def test_romanised_words_count_for_their_languages(romanised, words, expected):
    assert dict(romanised.languages(words)) == expected


@pytest.mark.parametrize(
    "word",
    [
        "doktor",  # a Turkish lexicon entry too
        "merci",  # a French lexicon entry too
        "tamam",  # in the Turkish word list
        "da",  # too short: a syllable of many languages
        "mar",  # a piece of "mar7aba", which has a digit
        "apotheker",  # German, a Latin-script language
    ],
)
def test_words_a_latin_script_language_uses_are_no_evidence(romanised, word):
    assert not romanised.languages([word])


def test_ties_list_the_languages_in_a_fixed_order(romanised):
    assert [language for language, _ in romanised.languages(["mohandes"]).most_common()] == ["ar", "fa"]


def test_a_loan_word_in_a_long_sentence_is_no_evidence(romanised):
    """One romanised word among many other words of 3 letters or more is below the share."""
    words = "ella trabaja como saydali desde hace muchos anos en una farmacia grande".split()
    assert not romanised.languages(words)
    assert romanised.languages(words[:4]) == {"ar": 1}
