import pytest

from bot.conversation_language import conversation_language, only_a_guess
from bot.nlp.language import LanguageIdentifier


@pytest.fixture(scope="module")
def identifier():
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ich bin Krankenschwester und wohne in Leipzig", "de"),
        ("I am a civil engineer and I live in Hamburg", "en"),
        ("Я медсестра з Харкова, живу в Лейпцигу", "uk"),
        ("Я врач из Москвы, живу в Берлине", "ru"),
        ("أنا طبيب أسنان من سوريا وأعيش في برلين", "ar"),
        ("من پرستار هستم و در هامبورگ زندگی می‌کنم", "fa"),
        ("Ben hemşireyim ve Köln'de yaşıyorum", "tr"),
        ("Ми живемо в Лейпцигу", "uk"),  # no Ukrainian-only letter: ми, -емо
        ("Он работает в Лейпциге", "ru"),  # no Russian-only letter: он, -ает
        ("او خوب است", "fa"),  # no Persian-only letter: است, خوب
        ("Nu stiu unde este biroul", "ro"),  # Romanian without its diacritics
        ("Ez ji Amedê me û li Almanyayê dixebitim", "ku"),
        ("Ich bin Ärztin aus Iași und wohne in Köln", "de"),  # one Romanian place name does not decide
        ("أنا Zahnarzt من حلب", "ar"),  # German words mixed in: more Latin letters than Arabic ones
        ("Ich bin Zahnarzt aus حلب und wohne in Köln", "de"),  # but more German words
        ("ما الفرق بين Approbation و Berufserlaubnis", "ar"),
        ("Я Pflegefachfrau, живу в Берліні", "uk"),
        ("Я п'ю Tee", "uk"),  # the apostrophe before ю still counts once the German word is left out
    ],
)
def test_sentences_are_identified_confidently(identifier, text, language):
    result = identifier.identify(text)
    assert result.guess == language
    assert result.confident


@pytest.mark.parametrize(
    "text", ["ok", "danke", "👍", "04109", "Leipzig", "hi", "спасибо", "дякую", "خوب است"]
)
def test_short_or_ambiguous_messages_are_not_confident(identifier, text):
    assert not identifier.identify(text).confident


@pytest.mark.parametrize(
    ("text", "requested"),
    [
        ("English please", "en"),
        ("auf Deutsch bitte", "de"),
        ("можна англійською?", "en"),
        ("بالعربي من فضلك", "ar"),
        ("I live in Germany", None),
        ("أعيش في ألمانيا", None),
    ],
)
def test_explicit_language_requests(identifier, text, requested):
    assert identifier.identify(text).requested == requested


def test_identification_is_deterministic(identifier):
    text = "Ich arbeite als Ingenieur"
    assert len({identifier.identify(text) for _ in range(5)}) == 1


class TestConversationLanguage:
    def test_short_message_keeps_the_conversation_language(self):
        unsure = {"guess": "en", "confident": False, "requested": None}
        assert conversation_language(unsure, None, "affirm", "uk", None) == "uk"

    def test_confident_message_switches(self):
        sure = {"guess": "ar", "confident": True, "requested": None}
        assert conversation_language(sure, None, "inform", "de", None) == "ar"

    def test_explicit_request_wins(self):
        request = {"guess": "de", "confident": True, "requested": "en"}
        assert conversation_language(request, None, "change_language", "de", None) == "en"

    def test_language_named_outside_a_request_does_not_switch(self):
        mention = {"guess": "de", "confident": True, "requested": "en"}
        assert conversation_language(mention, None, "inform", "de", None) == "de"

    def test_button_choice_wins(self):
        assert conversation_language(None, "uk", "change_language", "de", None) == "uk"

    def test_a_close_language_by_statistics_does_not_switch_away_from_the_persons_choice(self):
        statistics = {"guess": "ru", "confident": True, "requested": None, "by_letters": False}
        letters = {"guess": "ru", "confident": True, "requested": None, "by_letters": True}
        assert conversation_language(statistics, None, "inform", None, {"language": "uk"}) == "uk"
        assert conversation_language(statistics, None, "inform", "uk", None) == "uk"
        assert conversation_language(letters, None, "inform", "uk", {"language": "uk"}) == "ru"
        assert conversation_language(statistics, None, "inform", "de", {"language": "uk"}) == "ru"
        assert conversation_language(statistics, None, "inform", None, None) == "ru"

    def test_letters_decide_and_say_so(self, identifier):
        assert identifier.identify("Я медсестра, живу в Києві").by_letters is True
        assert identifier.identify("Я медсестра, живу в Лейпцигу").by_letters is False

    def test_page_language_then_guess_then_default(self):
        unsure = {"guess": "en", "confident": False, "requested": None}
        assert conversation_language(unsure, None, "greet", None, {"language": "ar"}) == "ar"
        assert conversation_language(unsure, None, "greet", None, {}) == "en"
        assert conversation_language(None, None, "greet", None, None) == "de"

    def test_only_a_guess_when_nothing_but_an_unsure_detection_decides(self):
        unsure = {"guess": "ar", "confident": False, "requested": None}
        assert only_a_guess(unsure, None, None, {})
        assert only_a_guess(None, None, None, None)
        assert not only_a_guess({**unsure, "confident": True}, None, None, {})
        assert not only_a_guess({**unsure, "requested": "en"}, None, None, {})
        assert not only_a_guess(unsure, "fa", None, {})  # a language button
        assert not only_a_guess(unsure, None, "ar", {})  # the conversation has its language
        assert not only_a_guess(unsure, None, None, {"language": "de"})  # the page or channel says


class TestRomanised:
    """With the project's lexicons: another script's language in Latin letters is guessed, not confidently."""

    @pytest.fixture(scope="class")
    def project_identifier(self):
        from bot.nlp.instances import language_identifier

        return language_identifier()

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("ya vrach, iz Uzbekistana", "ru"),
            ("ana saydali w sakin b Berlin", "ar"),
            ("man mohandes hastam", "fa"),
        ],
    )
    def test_romanised_messages_are_guessed_but_not_confident(self, project_identifier, text, language):
        result = project_identifier.identify(text)
        assert (result.guess, result.confident) == (language, False)

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Merhaba, ben doktorum ve Berlin'de yaşıyorum", "tr"),
            ("Ich bin Apothekerin aus Damaskus und wohne in Berlin", "de"),
            ("Je suis infirmière et j'habite à Paris", "fr"),
        ],
    )
    def test_latin_script_languages_stay_confident(self, project_identifier, text, language):
        result = project_identifier.identify(text)
        assert (result.guess, result.confident) == (language, True)


def test_romanised_words_do_not_overrule_a_language_without_a_word_list():
    """Somali has no word list, so a Somali word that a lexicon also lists (here made up) may be Somali."""
    from bot.nlp.romanised import RomanisedWords

    romanised = RomanisedWords([("ar", "waxaan"), ("ar", "ahlan")], latin_languages=("de", "en", "tr"))
    identifier = LanguageIdentifier(romanised)
    assert identifier.identify("Waxaan ahay kalkaaliye caafimaad").guess == "so"
    assert identifier.identify("ahlan, ich bin Krankenpfleger").guess == "ar"
