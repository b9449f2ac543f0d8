"""Custom actions on tracker fixtures: exact events and the texts the person sees."""

import copy
import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    ActionAnswerCosts,
    ActionAnswerFunding,
    ActionChangeLanguage,
    ActionDefaultFallback,
    ActionRequestHuman,
)
from actions.intake import ActionGreet, ActionRoute
from actions.roadmap import ActionRoadmap
from bot.places.gazetteer import load_gazetteer
from bot.routing import route
from bot.texts import text

FIXTURES = Path(__file__).parent / "fixtures"


def tracker(name, **changes):
    data = json.loads((FIXTURES / f"tracker_{name}.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = data
        *path, last = key.split("__")
        for step in path:
            target = target[step]
        target[last] = copy.deepcopy(value)
    return Tracker.from_dict(data)


async def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_, {})
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    buttons = [b for m in dispatcher.messages for b in m.get("buttons", [])]
    custom = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    return events, texts, buttons, custom


async def test_route_answers_in_ukrainian_with_authority_office_and_steps():
    events, texts, buttons, custom = await run(ActionRoute(), tracker("uk_nurse_leipzig"))
    assert events == [
        SlotSet("language", "uk"),
        SlotSet("profession", "nurse"),
        SlotSet("place", "Leipzig"),
        SlotSet("abroad", None),
    ]
    answer = "\n".join(texts)
    assert text("uk", "reference_profession", profession="Pflegefachfrau / Pflegefachmann") in answer
    assert text("uk", "regulated") in answer
    assert "Kommunaler Sozialverband Sachsen" in answer
    assert "Leipzig" in answer  # the nearest office is the one in Leipzig
    assert text("uk", "step_funding") in answer
    assert [b["payload"] for b in buttons] == [
        "/roadmap",
        "/ask_costs", "/ask_documents", "/ask_duration", "/ask_funding", "/request_human",
    ]  # fmt: skip
    assert custom == [{"language": "uk"}]


async def test_route_without_a_known_body_says_so_and_names_the_single_point_of_contact():
    t = tracker(
        "uk_nurse_leipzig",
        latest_message__text="Я інженер-будівельник, живу у Франкфурті-на-Майні",
        latest_message__entities=[
            {"entity": "profession", "value": "engineer_civil"},
            {"entity": "place", "value": "Frankfurt am Main"},
        ],
    )
    _, texts, _, _ = await run(ActionRoute(), t)
    answer = "\n".join(texts)
    hessen = route("engineer_civil", load_gazetteer().resolve("Frankfurt am Main")).authority
    assert text("uk", "authority_single_point", authority=hessen.name) in answer
    assert text("uk", "authority", authority=hessen.name) not in answer
    assert "anerkennung-in-deutschland.de" in answer  # the Finder


async def test_a_profession_without_german_counterpart_asks_for_the_closest_and_offers_a_person():
    t = tracker(
        "uk_nurse_leipzig",
        latest_message__text="Я фельдшер, живу в Берлине",
        latest_message__lotse_language={"guess": "ru", "confident": True, "requested": None},
        latest_message__entities=[
            {"entity": "profession", "value": "feldsher"},
            {"entity": "place", "value": "Berlin"},
        ],
    )
    events, texts, buttons, _ = await run(ActionRoute(), t)
    assert events == [
        SlotSet("language", "ru"),
        SlotSet("profession", None),
        SlotSet("place", "Berlin"),
        SlotSet("abroad", None),
    ]
    assert texts == [text("ru", "no_counterpart", profession="фельдшер")]
    assert [b["payload"] for b in buttons] == [
        '/inform{"profession": "paramedic"}',
        '/inform{"profession": "nurse"}',
        '/inform{"profession": "doctor"}',
        "/request_human",
    ]


ROMANISED_FIRST_MESSAGE = {
    "latest_message__text": "ana mumarrida w sakna b Leipzig",
    "latest_message__lotse_language": {"guess": "ar", "confident": False, "requested": None},
    "latest_message__metadata": {},
}


async def test_first_message_of_unsure_language_is_answered_and_offers_the_languages():
    """No slot, no page or channel language, no confident detection: answer in the guess, then ask."""
    events, texts, buttons, custom = await run(
        ActionRoute(), tracker("uk_nurse_leipzig", **ROMANISED_FIRST_MESSAGE)
    )
    assert events[0] == SlotSet("language", "ar")
    assert text("ar", "regulated") in "\n".join(texts)
    assert texts[-1] == text("ar", "pick_language")
    offered = {
        json.loads(b["payload"].split("change_language", 1)[1])["language_choice"]
        for b in buttons
        if "change_language" in b["payload"]
    }
    assert {"ar", "de", "en", "fa", "tr"} <= offered
    assert custom == [{"language": "ar"}]


@pytest.mark.parametrize(
    "changes",
    [
        {"latest_message__metadata": {"language": "de"}},  # the page or channel says
        {"slots__language": "ar"},  # the conversation already has its language
        {"latest_message__lotse_language": {"guess": "ar", "confident": True, "requested": None}},
    ],
)
async def test_no_language_question_when_something_says_the_language(changes):
    _, texts, _, _ = await run(
        ActionRoute(), tracker("uk_nurse_leipzig", **{**ROMANISED_FIRST_MESSAGE, **changes})
    )
    assert all(t != text(language, "pick_language") for t in texts for language in ("ar", "de"))


async def test_greeting_in_an_unsure_language_offers_the_languages_once():
    _, texts, _, _ = await run(ActionGreet(), tracker("uk_nurse_leipzig", **ROMANISED_FIRST_MESSAGE))
    assert sum(text("ar", "pick_language") in t for t in texts) == 1


async def test_route_asks_for_the_place_when_only_the_profession_is_known():
    t = tracker("uk_nurse_leipzig", latest_message__entities=[{"entity": "profession", "value": "nurse"}])
    events, texts, _, _ = await run(ActionRoute(), t)
    assert SlotSet("profession", "nurse") in events
    assert texts == [text("uk", "ask_place")]


async def test_route_asks_which_engineer():
    t = tracker(
        "uk_nurse_leipzig", latest_message__entities=[{"entity": "profession_group", "value": "engineer"}]
    )
    events, texts, buttons, _ = await run(ActionRoute(), t)
    assert texts == [text("uk", "clarify_profession")]
    assert '/inform{"profession": "engineer_civil"}' in [b["payload"] for b in buttons]


async def test_route_asks_which_school_type_a_teacher_taught_at():
    t = tracker(
        "uk_nurse_leipzig", latest_message__entities=[{"entity": "profession_group", "value": "teacher"}]
    )
    _, texts, buttons, _ = await run(ActionRoute(), t)
    assert texts == [text("uk", "clarify_profession")]
    assert [b["payload"] for b in buttons] == [
        '/inform{"profession": "teacher_primary"}',
        '/inform{"profession": "teacher_secondary"}',
        '/inform{"profession": "teacher_vocational"}',
        '/inform{"profession": "teacher_special_needs"}',
    ]
    assert buttons[0]["title"] == "вчитель початкових класів (Grundschullehrerin)"


async def test_route_abroad_names_the_zsba_and_no_local_office():
    t = tracker(
        "uk_nurse_leipzig",
        latest_message__entities=[
            {"entity": "profession", "value": "nurse"},
            {"entity": "abroad", "value": "EG"},
        ],
    )
    events, texts, _, _ = await run(ActionRoute(), t)
    assert SlotSet("abroad", "EG") in events
    answer = "\n".join(texts)
    zsba = route("nurse", None, abroad=True)
    assert text("uk", "counselling_abroad", office=zsba.authority.name) in answer
    assert zsba.counselling.label not in answer  # the ZSBA once, not again as an office "near you"
    assert text("uk", "step_zsba") in answer


async def test_route_abroad_for_a_nationally_decided_profession_names_the_zsba_as_adviser():
    entities = [{"entity": "profession", "value": "cook"}, {"entity": "abroad", "value": "EG"}]
    _, texts, _, _ = await run(ActionRoute(), tracker("uk_nurse_leipzig", latest_message__entities=entities))
    answer = "\n".join(texts)
    assert "IHK FOSA" in answer
    zsba = route("cook", None, abroad=True).counselling
    assert text("uk", "counselling_abroad", office=zsba.label) in answer


async def test_route_abroad_with_the_intended_place_names_its_body_and_the_zsba():
    t = tracker(
        "uk_nurse_leipzig",
        latest_message__entities=[
            {"entity": "profession", "value": "nurse"},
            {"entity": "place", "value": "München"},
            {"entity": "abroad", "value": "EG"},
        ],
    )
    events, texts, _, _ = await run(ActionRoute(), t)
    assert SlotSet("place", "München") in events and SlotSet("abroad", "EG") in events
    answer = "\n".join(texts)
    assert "Bayerisches Landesamt für Pflege" in answer
    zsba = route("nurse", load_gazetteer().resolve("München"), abroad=True).counselling
    assert text("uk", "counselling_abroad", office=zsba.label) in answer
    assert text("uk", "step_zsba") in answer and text("uk", "step_funding") not in answer


async def test_abroad_survives_the_choice_of_an_ambiguous_town():
    entities = [
        {"entity": "profession", "value": "nurse"},
        {"entity": "place", "value": "Frankfurt am Main", "alternatives": ["Frankfurt (Oder)"]},
        {"entity": "abroad", "value": "EG"},
    ]
    events, _, _, _ = await run(ActionRoute(), tracker("uk_nurse_leipzig", latest_message__entities=entities))
    assert SlotSet("abroad", "EG") in events
    chosen = tracker(
        "uk_nurse_leipzig",
        slots__profession="nurse",
        slots__abroad="EG",
        latest_message__entities=[{"entity": "place", "value": "Frankfurt am Main"}],
    )
    events, texts, _, _ = await run(ActionRoute(), chosen)
    assert SlotSet("abroad", "EG") in events and text("uk", "step_zsba") in "\n".join(texts)


async def test_only_i_live_in_a_german_place_ends_living_abroad():
    lives = {"entity": "place", "value": "Leipzig", "residence": True}
    t = tracker("uk_nurse_leipzig", slots__abroad="EG", latest_message__entities=[lives])
    events, _, _, _ = await run(ActionRoute(), t)
    assert SlotSet("abroad", None) in events


async def test_a_feldsher_after_another_profession_is_asked_for_the_closest_one():
    t = tracker(
        "uk_nurse_leipzig",
        slots__profession="nurse",
        slots__place="Leipzig",
        latest_message__entities=[{"entity": "profession", "value": "feldsher"}],
    )
    events, texts, _, _ = await run(ActionRoute(), t)
    assert SlotSet("profession", None) in events
    assert texts == [text("uk", "no_counterpart", profession="фельдшер")]


async def test_request_human_from_abroad_names_the_zsba_not_the_place_of_work():
    t = tracker("de_ok", slots__place="München", slots__abroad="EG")
    _, texts, _, _ = await run(ActionRequestHuman(), t)
    zsba = route("nurse", load_gazetteer().resolve("München"), abroad=True).counselling
    assert texts[0].startswith(text("de", "human", office=zsba.label))
    assert text("de", "human_ask_place") not in texts


async def test_unknown_profession_links_the_finder_and_offers_a_person():
    t = tracker("uk_nurse_leipzig", latest_message__entities=[])
    _, texts, buttons, _ = await run(ActionRoute(), t)
    assert texts[0] == text("uk", "unknown_profession")
    assert "anerkennung-in-deutschland.de" in texts[1]
    assert buttons == [{"title": text("uk", "button_human"), "payload": "/request_human"}]


async def test_short_message_keeps_the_language_and_sets_no_slot():
    events, texts, _, custom = await run(ActionRoute(), tracker("de_ok"))
    assert events == []
    assert texts == [text("de", "ask_place")]
    assert custom == [{"language": "de"}]


async def test_greeting_offers_every_language():
    _, texts, buttons, _ = await run(ActionGreet(), tracker("de_ok"))
    assert texts[0].startswith(text("de", "greet"))
    assert {json.loads(b["payload"].split("change_language", 1)[1])["language_choice"] for b in buttons} >= {
        "de", "en", "uk", "ar",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("action", "key"), [(ActionAnswerCosts(), "costs"), (ActionAnswerFunding(), "funding_before")]
)
async def test_facts_come_with_their_source(action, key):
    _, texts, _, _ = await run(action, tracker("de_ok"))
    assert text("de", key) in texts[0]
    assert texts[1].startswith(text("de", "source", url="https://"))


async def test_language_button_switches():
    t = tracker(
        "de_ok",
        latest_message__intent={"name": "change_language"},
        latest_message__entities=[{"entity": "language_choice", "value": "ar"}],
    )
    events, texts, _, custom = await run(ActionChangeLanguage(), t)
    assert events == [SlotSet("language", "ar")]
    assert texts == [text("ar", "language_changed")]
    assert custom == [{"language": "ar"}]


async def test_request_human_without_place_asks_for_it():
    _, texts, _, _ = await run(ActionRequestHuman(), tracker("de_ok"))
    assert texts[-1] == text("de", "human_ask_place")


async def test_request_human_with_place_names_the_nearest_office():
    _, texts, _, _ = await run(ActionRequestHuman(), tracker("de_ok", slots__place="04109"))
    name = "Informations- und Beratungsstelle Anerkennung Sachsen (IBAS) – Leipzig"
    assert texts[0].startswith(text("de", "human", office=name) + "\n")  # the city only once


async def test_an_office_whose_name_lacks_its_city_is_named_with_the_city():
    _, texts, _, _ = await run(ActionRequestHuman(), tracker("de_ok", slots__place="01067"))
    name = "Informations- und Beratungsstelle Anerkennung Sachsen (IBAS) – Dresden"
    assert texts[0].startswith(text("de", "human", office=name) + "\n")


async def test_route_far_from_every_office_adds_phone_and_online_counselling():
    entities = [
        {"entity": "profession", "value": "nurse"},
        {"entity": "place", "value": "94078", "start": 0, "end": 5},
    ]
    t = tracker("uk_nurse_leipzig", latest_message__entities=entities)
    _, texts, _, _ = await run(ActionRoute(), t)
    km = round(route("nurse", load_gazetteer().postcode("94078")).counselling_km)
    far = next(m for m in texts if m.startswith(text("uk", "counselling_far", km=km)))
    assert "https://" in far


async def test_route_near_an_office_has_no_remote_options():
    _, texts, _, _ = await run(ActionRoute(), tracker("uk_nurse_leipzig"))
    assert not any(m.startswith(text("uk", "counselling_far", km=0)[:20]) for m in texts)


async def test_request_human_far_away_adds_phone_and_online_counselling():
    _, texts, _, _ = await run(ActionRequestHuman(), tracker("de_ok", slots__place="94078"))
    assert any(m.startswith(text("de", "counselling_far", km=0)[:20]) for m in texts)


async def test_fallback_offers_topics_and_a_person():
    _, texts, buttons, _ = await run(ActionDefaultFallback(), tracker("de_ok"))
    assert texts == [text("de", "fallback")]
    assert buttons[-1]["payload"] == "/request_human"


async def test_ambiguous_town_gets_a_short_choice():
    place = {
        "entity": "place",
        "value": "Frankfurt am Main",
        "start": 13,
        "end": 22,
        "alternatives": ["Frankfurt (Oder)"],
    }
    t = tracker(
        "de_ok",
        latest_message__text="ich wohne in Frankfurt",
        latest_message__intent={"name": "inform"},
        latest_message__entities=[place],
    )
    events, texts, buttons, _ = await run(ActionRoute(), t)
    assert events == []
    assert texts == [text("de", "clarify_place", place="Frankfurt")]
    assert [b["title"] for b in buttons] == ["Frankfurt am Main – Hessen", "Frankfurt (Oder) – Brandenburg"]
    assert [b["payload"] for b in buttons] == [
        '/inform{"place": "Frankfurt am Main"}',
        '/inform{"place": "Frankfurt (Oder)"}',
    ]


async def test_roadmap_step_by_step_with_a_printable_link():
    t = tracker("de_ok", slots__place="04109", latest_message__intent={"name": "roadmap"})
    _, texts, buttons, custom = await run(ActionRoadmap(), t)
    assert texts[0].startswith(text("de", "roadmap_step", number=1, total=6))
    assert custom[0]["roadmap"] == "profession=nurse&language=de&place=04109"
    assert buttons == [{"title": text("de", "button_next_step"), "payload": '/roadmap{"roadmap_step": "2"}'}]
    last = tracker(
        "de_ok",
        slots__place="04109",
        latest_message__intent={"name": "roadmap"},
        latest_message__entities=[{"entity": "roadmap_step", "value": "6"}],
    )
    _, texts, buttons, custom = await run(ActionRoadmap(), last)
    assert text("de", "roadmap_partial") in texts[0]
    assert texts[-1] == text("de", "roadmap_done")
    assert custom == [{"language": "de"}]


async def test_roadmap_needs_profession_and_place():
    _, texts, _, _ = await run(ActionRoadmap(), tracker("de_ok"))
    assert texts == [text("de", "roadmap_missing")]


async def test_language_lotse_only_recognises_gets_a_short_answer_and_choices():
    t = tracker(
        "de_ok",
        slots__language=None,
        latest_message__text="زه ډاکټر یم",
        latest_message__intent={"name": "inform"},
        latest_message__lotse_language={"guess": "ps", "confident": True, "requested": None},
    )
    events, texts, buttons, custom = await run(ActionRoute(), t)
    assert events == [SlotSet("language", "ps")]
    assert "Lotse" in texts[0]
    assert buttons[-1]["payload"] == "/request_human"
    assert len(buttons) == 13  # twelve languages and a person
    assert custom == [{"language": "ps"}]
