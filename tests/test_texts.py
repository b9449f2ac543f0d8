from bot.texts import check_texts, placeholders, supported_languages, text


def test_every_text_exists_in_every_language_with_the_same_placeholders():
    assert check_texts() == []


def test_the_four_first_languages_are_supported():
    assert {"de", "en", "uk", "ar"} <= set(supported_languages())


def test_check_reports_missing_texts_and_wrong_placeholders():
    texts = {
        "en": {"a": "Hello {name}", "b": "Bye"},
        "de": {"a": "Hallo {nom}"},
    }
    problems = check_texts(texts)
    assert "de.yml: missing text 'b'" in problems
    assert any("de.yml: text 'a' has placeholders ['nom']" in p for p in problems)


def test_placeholders_are_filled_and_unknown_languages_fall_back():
    assert placeholders("{office}, {city}") == {"office", "city"}
    assert text("xx", "bad_input_too_long", limit=5) == text("de", "bad_input_too_long", limit=5)
    assert "5" in text("en", "bad_input_too_long", limit=5)


def test_limited_languages_have_their_short_texts():
    from bot.texts import limited_texts

    assert {"ps", "ti", "ku", "ckb", "so"} <= set(limited_texts())
    assert check_texts(limited={"xx": {"language_name": "X"}})[-1].startswith("limited/xx.yml")
