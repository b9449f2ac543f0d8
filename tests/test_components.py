"""The NLU components, built directly as Rasa builds them, without training a model."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language_detector import LanguageDetector
from bot.components.place_extractor import PlaceExtractor
from bot.components.profession_extractor import ProfessionExtractor
from bot.conversation_language import LANGUAGE_KEY


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(graph_schema=None, model_id="test")
    return [
        component.create({}, storage, Resource(component.__name__), context)
        for component in (LanguageDetector, ProfessionExtractor, PlaceExtractor)
    ]


def parse(pipeline, text):
    messages = [Message(data={"text": text})]
    for component in pipeline:
        messages = component.process(messages)
    message = messages[0]
    entities = {e["entity"]: e for e in message.get("entities", [])}
    return message, entities


def test_ukrainian_nurse_in_leipzig(pipeline):
    message, entities = parse(pipeline, "Я медсестра з Харкова, живу в Лейпцигу")
    expected = {"guess": "uk", "confident": True, "requested": None, "by_letters": False}  # by "з"
    assert message.get(LANGUAGE_KEY) == expected
    assert entities["profession"]["value"] == "nurse"
    assert entities["profession"]["extractor"] == "ProfessionExtractor"
    assert entities["place"]["value"] == "Leipzig"
    assert entities["place"]["federal_state"] == "DE-SN"
    assert "abroad" not in entities


def test_entity_spans_point_at_the_words(pipeline):
    text = "I am a nurse and live in 04109 Leipzig"
    _, entities = parse(pipeline, text)
    profession = entities["profession"]
    assert text[profession["start"] : profession["end"]] == "nurse"
    assert entities["place"]["value"] == "04109"


def test_someone_elses_profession_is_not_extracted(pipeline):
    _, entities = parse(pipeline, "I need a doctor")
    assert "profession" not in entities


def test_abroad(pipeline):
    _, entities = parse(pipeline, "I am a dentist and I still live in Egypt")
    assert entities["abroad"]["value"] == "EG"
    assert entities["profession"]["value"] == "dentist"


def test_message_without_text_is_left_alone(pipeline):
    message, entities = parse(pipeline, "")
    assert entities == {}


def test_training_data_passes_through(pipeline):
    data = TrainingData([Message(data={"text": "hallo", "intent": "greet"})])
    for component in pipeline:
        assert component.process_training_data(data) is data


@pytest.mark.parametrize(
    ("text", "value"),
    [("leipzig", "Leipzig"), ("in leipzig", "Leipzig"), ("wohne in essen", "Essen"), ("Мюнхен", "München")],
)
def test_city_names(pipeline, text, value):
    _, entities = parse(pipeline, text)
    assert entities["place"]["value"] == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ich bin Krankenschwster", "nurse"),  # a letter left out
        ("я ветиринар", "veterinarian"),  # a letter replaced in a 9-letter word
        ("Ich bin Tierartz", "veterinarian"),  # two neighbours swapped
        ("من مهندس سنایع هستم", "engineer_industrial"),  # س for ص: Persian says them alike
    ],
)
def test_typos_in_profession_names_are_forgiven(pipeline, text, value):
    _, entities = parse(pipeline, text)
    assert entities["profession"]["value"] == value


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("من مامۆستام", "profession_group", "teacher"),  # Sorani: "I am" fused to a noun that ends in alef
        ("ኣነ ሓኪም።", "profession", "doctor"),  # Tigrinya: the Ge'ez full stop right after the name
        ("anigu waxaan ahay macallimad", "profession_group", "teacher"),  # Somali, female form
    ],
)
def test_professions_in_recognised_only_languages(pipeline, text, entity, value):
    _, entities = parse(pipeline, text)
    assert entities[entity]["value"] == value


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("öğretmenim, ilkokulda çalıştım", "profession", "teacher_primary"),
        ("je suis enseignante de français au lycée", "profession", "teacher_secondary"),
        ("ich bin Lehrerin an einer Berufsschule", "profession", "teacher_vocational"),
        ("ich bin Lehrerin", "profession_group", "teacher"),  # no school type named
        ("Lehrerin an Grundschule und Gymnasium", "profession_group", "teacher"),  # two named: ask
    ],
)
def test_a_group_is_narrowed_by_words_that_name_one_candidate(pipeline, text, entity, value):
    _, entities = parse(pipeline, text)
    assert entities[entity]["value"] == value
    other = "profession_group" if entity == "profession" else "profession"
    assert other not in entities


def test_a_typo_as_close_to_two_known_words_takes_the_one_written_more_alike(pipeline):
    """ "electricain" is one edit from "electrician" and, once endings are stripped, from "electrical"."""
    _, entities = parse(pipeline, "I am an electricain")
    assert entities["profession_group"]["value"] == "electrician"


@pytest.mark.parametrize("text", ["ich möchte essen", "I repair engines", "eine Lehre machen"])
def test_common_words_are_not_places_or_professions(pipeline, text):
    _, entities = parse(pipeline, text)
    assert "place" not in entities and "profession" not in entities and "profession_group" not in entities


def test_explicit_abroad_cue(pipeline):
    text = "ich bin noch im Ausland"
    _, entities = parse(pipeline, text)
    abroad = entities["abroad"]
    assert abroad["value"] == "abroad"
    assert text[abroad["start"] : abroad["end"]] == "Ausland"


def test_abroad_with_the_city_where_the_person_wants_to_work(pipeline):
    text = "I am a nurse, I still live in Egypt and want to work in Munich"
    _, entities = parse(pipeline, text)
    assert entities["place"]["value"] == "München" and entities["place"]["federal_state"] == "DE-BY"
    assert entities["abroad"]["value"] == "EG"
    assert text[entities["abroad"]["start"] : entities["abroad"]["end"]] == "Egypt"


@pytest.mark.parametrize(
    ("text", "place", "abroad"),
    [
        ("I live abroad and want to work in Munich", "München", "abroad"),
        ("Ich lebe im Ausland und möchte in München arbeiten", "München", "abroad"),
        ("Я живу за границей и хочу работать в Мюнхене", "München", "abroad"),
        ("I still live in Egypt and want to work in 80331", "80331", "EG"),
        ("Ich bin noch im Ausland und möchte in München arbeiten", "München", "abroad"),
        ("Mısır'da yaşıyorum, Münih'te çalışmak istiyorum", "München", "EG"),  # the verb after the place
    ],
)
def test_living_abroad_said_in_other_ways_with_the_place_of_work(pipeline, text, place, abroad):
    _, entities = parse(pipeline, text)
    assert entities["place"]["value"] == place and "residence" not in entities["place"]
    assert entities["abroad"]["value"] == abroad


@pytest.mark.parametrize(("text", "code"), [("Mısır'da yaşıyorum", "EG"), ("در مصر زندگی می‌کنم", "EG")])
def test_a_country_before_the_verb_of_living_in_verb_final_languages(pipeline, text, code):
    _, entities = parse(pipeline, text)
    assert entities["abroad"]["value"] == code


def test_a_place_after_a_residence_cue_is_marked_as_where_the_person_lives(pipeline):
    _, entities = parse(pipeline, "Я медсестра з Харкова, живу в Лейпцигу")
    assert entities["place"]["residence"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin Krankenschwester aus dem Ausland und möchte in Leipzig arbeiten",  # from abroad: the past
        "I studied abroad and now want to work in Leipzig",
        "I am a nurse from abroad and want to work in Leipzig",  # "I am" says nothing of residence
    ],
)
def test_an_abroad_word_without_a_residence_cue_does_not_make_a_city_the_place_of_work(pipeline, text):
    _, entities = parse(pipeline, text)
    assert entities["place"]["value"] == "Leipzig"
    assert "abroad" not in entities


def test_a_city_after_a_residence_cue_is_home_even_if_a_country_follows_one_too(pipeline):
    _, entities = parse(pipeline, "Ich wohne in Leipzig, meine Eltern sind noch in Syrien")
    assert entities["place"]["value"] == "Leipzig"
    assert "abroad" not in entities


@pytest.mark.parametrize(
    ("text", "value", "alternatives"),
    [
        ("ich wohne in Frankfurt", "Frankfurt am Main", ["Frankfurt (Oder)"]),
        ("wohne in Frankfurt (Oder)", "Frankfurt (Oder)", None),
        ("я живу в Галле", "Halle (Saale)", ["Halle"]),
        ("Münih'te yaşıyorum", "München", None),
        ("vivo a Monaco di Baviera", "München", None),
        ("مونیخ", "München", None),
        ("ميونخ", "München", None),
    ],
)
def test_foreign_spellings_and_ambiguous_towns(pipeline, text, value, alternatives):
    _, entities = parse(pipeline, text)
    assert entities["place"]["value"] == value
    assert entities["place"].get("alternatives") == alternatives
