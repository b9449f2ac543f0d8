import pytest

from bot.nlp.normalise import fold, normalise_word


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("медсестра", "медсестрою"),
        ("лікар", "лікарем"),
        ("Лейпциг", "Лейпцигу"),
        ("hemşire", "hemşireyim"),
        ("mühendis", "mühendisim"),
        ("ممرضة", "والممرضة"),
        ("طبيب", "الطبيب"),
        ("پرستار", "پرستارم"),
        ("Köln", "koln"),
        ("nurse", "nurses"),
    ],
)
def test_inflected_forms_share_a_key(a, b):
    assert normalise_word(a) == normalise_word(b)


@pytest.mark.parametrize(("a", "b"), [("Arzt", "Art"), ("лікар", "лік"), ("Maler", "Mal")])
def test_short_stems_are_not_merged(a, b):
    assert normalise_word(a) != normalise_word(b)


def test_fold_unifies_scripts_variants():
    assert fold("Straße") == "strasse"
    assert fold("أنا") == fold("انا")
    assert fold("كتاب") == fold("کتاب")
