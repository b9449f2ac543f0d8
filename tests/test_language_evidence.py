"""Spelling and function-word rules between languages of one script, on sentences written for these tests."""

import re

import pytest

from bot.nlp.language_evidence import (
    cyrillic_homoglyphs,
    is_kurmanji,
    nfc,
    persian_or_arabic,
    romanian_evidence,
    ukrainian_or_russian,
)


def words(text):
    return re.findall(r"[^\W\d_]+", nfc(text))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Що ти робиш", "uk"),  # function words
        ("Чи можна тут", "uk"),
        ("Питання просте", "uk"),  # doubled consonant before я
        ("Ми живемо тут", "uk"),  # 1st person plural -емо
        ("Для нього", "uk"),  # ьо where Russian writes ё/е
        ("Він з'їв", "uk"),  # apostrophe before ї
        ("Что ты делаешь", "ru"),  # function word and -шь
        ("Он улыбается", "ru"),  # -тся
        ("Они знают", "ru"),  # -ают
        ("Решение простое", "ru"),  # -ие
        ("Я тебе", None),  # nothing tells them apart
        ("Вона втомилася", "uk"),  # -лася
        ("Він простий", "uk"),  # -ий after a hard consonant
        ("Меня зовут Юрий", "ru"),  # a name in -рий is not Ukrainian evidence
        ("Я боюся", "uk"),  # -юся
        ("Гарний день", "uk"),  # no rule knows "гарний"; the word lists lean to Ukrainian
        ("Красивый день", "ru"),  # ы decides elsewhere; here the lists lean to Russian
    ],
)
def test_ukrainian_or_russian(text, language):
    assert ukrainian_or_russian(text, words(text)) == language


def test_latin_i_in_a_cyrillic_word_reads_as_ukrainian_i():
    assert cyrillic_homoglyphs("мiсто") == "місто"
    assert cyrillic_homoglyphs("Leipzig") == "Leipzig"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("خوب است", "fa"),
        ("او را دید", "fa"),
        ("می\u200cخواهم", "fa"),  # zero-width non-joiner
        ("هذا جيد", "ar"),
        ("مدرسة", "ar"),  # teh marbuta
        ("ذَهَبْتُ إِلَى البَيْتِ", "ar"),  # with short vowel marks
        ("سلام", None),
        ("خواهش", "fa"),  # no function word: the word lists lean to Persian
        ("لماذا", "ar"),  # ... and to Arabic
    ],
)
def test_persian_or_arabic(text, language):
    assert persian_or_arabic(text) == language


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Nu stiu unde", 3),
        ("Mă numesc Ana", 2),  # mă, -esc
        ("Mulţumesc", 1),  # cedilla form
        ("Je ne sais pas", 0),
        ("Ich komme aus Berlin", 0),
        ("S-a dus la magazin", 1),  # hyphenated clitic
        ("Lucrez într-o fabrică", 3),  # într, ă, and the clitic
        ("Vorbesc cu directorul spitalului", 3),  # -esc, cu, -ului
        ("Je parle avec le directeur", 0),
        ("Ajută-mă", 3),  # ă twice, and the clitic after the verb
        ("Ajuta-ma", 1),
        ("Dis-moi", 0),  # French
    ],
)
def test_romanian_evidence(text, count):
    assert romanian_evidence(text, words(text)) == count


@pytest.mark.parametrize(
    ("text", "kurmanji"),
    [
        ("Ez ji Amedê me", True),
        ("Ew li malê ye", True),
        ("Navê min Azad e û ez xwendekar im", True),
        ("Ez dixwazim li Almanyayê bixebitim", True),
        ("Ez di sala 2020 de hatim", True),
        ("Bu kitap çok güzel ve ben onu seviyorum", False),  # Turkish letters Kurmanji lacks
        ("Je ne sais pas où il est", False),
        ("Io vado di là", False),
        ("Waxaan ku noolahay Berlin", False),  # Somali
    ],
)
def test_is_kurmanji(text, kurmanji):
    assert is_kurmanji(words(text)) is kurmanji


def test_decomposed_letters_are_composed():
    assert nfc("e\u0302") == "ê"
