"""Greeting and the profession/place intake that ends in one routed answer."""

from __future__ import annotations

import json
from typing import List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import LotseAction, Reply, ask_consent, language_buttons, latest_intent
from bot.handoff import needs_person
from bot.knowledge.loader import knowledge
from bot.knowledge.schema import STATE_NAMES, CounsellingOffice, Profession
from bot.places.gazetteer import Place, load_gazetteer
from bot.routing import ABROAD_AUTHORITY, Routing, route

#: Slots the intake fills from the extractors' entities.
INTAKE_SLOTS = ("profession", "place", "abroad")


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


class ActionGreet(LotseAction):
    """Welcome, offer the languages, ask for the profession."""

    action_name = "action_greet"
    offers_languages = True

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("greet", "pick_language", buttons=language_buttons())
        reply.say("ask_profession")
        return []


def _place_entity(tracker: Tracker) -> dict:
    """The latest message's place entity, or an empty dict."""
    return next((e for e in tracker.latest_message.get("entities", []) if e.get("entity") == "place"), {})


def _place_alternatives(tracker: Tracker) -> List[str]:
    """Other towns the latest message's place name may mean."""
    return list(_place_entity(tracker).get("alternatives") or [])


def _lives_there(tracker: Tracker) -> bool:
    """Whether the latest message says the person lives at its place ("I live in Leipzig")."""
    return bool(_place_entity(tracker).get("residence"))


def _place_title(name: str) -> str:
    """A button title for a town: its name and federal state ("Halle – Nordrhein-Westfalen")."""
    place = load_gazetteer().resolve(name)
    return f"{name} – {STATE_NAMES[place.state]}" if place is not None else name


def _spoken_place(tracker: Tracker) -> str:
    """The place name as the person wrote it."""
    entity = _place_entity(tracker)
    text = tracker.latest_message.get("text") or ""
    start, end = entity.get("start"), entity.get("end")
    return text[start:end] if isinstance(start, int) and isinstance(end, int) else entity["value"]


def _choice_title(profession: Profession, language: str) -> str:
    """A button title: the name in the person's language with the German name beside it."""
    german = profession.name_de.female
    local = profession.names.get(language, [german])[0]
    return german if local == german else f"{local} ({german})"


def _ask_closest(reply: Reply, foreign: Profession) -> None:
    """For a profession without a German counterpart: which German one is closest, or a person."""
    human = reply.button("button_human", "/request_human")
    buttons = [*_profession_buttons(foreign.closest, reply.language), human]
    name = foreign.names.get(reply.language, [foreign.name_de.male])[0]
    reply.say("no_counterpart", profession=name, buttons=buttons)


def _profession_buttons(candidates: Sequence[str], language: str) -> List[dict]:
    """One button per candidate profession id, each informing that profession."""
    professions = knowledge().professions
    return [
        {
            "title": _choice_title(professions[c], language),
            "payload": "/inform" + json.dumps({"profession": c}),
        }
        for c in candidates
    ]


def current_place(tracker: Tracker) -> Optional[Place]:
    """The resolved place from the ``place`` slot, if any."""
    value = tracker.get_slot("place")
    return load_gazetteer().resolve(value) if value else None


def say_remote(reply: Reply, km: Optional[float], offices: Sequence[CounsellingOffice]) -> None:
    """For someone far from every office: the distance, then counselling by phone or online.

    Sends nothing when ``offices`` is empty (the person is near an office, or abroad).
    """
    if not offices or km is None:
        return
    lines = [reply.t("counselling_far", km=round(km))]
    for office in offices:
        lines += [f"- {office.label}", str(office.url)]
        if not office.verified:
            lines.append(reply.t("counselling_unverified"))
    reply.dispatcher.utter_message(text="\n".join(lines))


def _say_routing(reply: Reply, result: Routing, offer_more: bool = True) -> None:
    kb = knowledge()
    profession = result.profession
    german = f"{profession.name_de.female} / {profession.name_de.male}"
    lines = [reply.t("reference_profession", profession=german)]
    lines.append(reply.t("regulated" if result.regulated else "not_regulated"))
    authority = result.authority
    if authority is None:
        lines.append(reply.t("authority_counselling_only"))
    elif result.abroad and authority.id == "zsba":
        lines.append(reply.t("counselling_abroad", office=authority.name))
        lines.append(authority.url)
    elif authority.single_point:
        lines.append(reply.t("authority_single_point", authority=authority.name))
        lines.append(authority.url)
        if not authority.verified:
            lines.append(reply.t("authority_unverified"))
        lines.append(reply.t("finder", url=kb.facts["finder"].url))
    else:
        lines.append(reply.t("authority", authority=authority.name))
        lines.append(authority.url)
        if result.needs_place:
            lines.append(reply.t("authority_needs_place"))
        if authority.generic or not authority.verified:
            lines.append(reply.t("authority_unverified"))
            lines.append(reply.t("finder", url=kb.facts["finder"].url))
    reply.dispatcher.utter_message(text="\n".join(lines))
    office = result.counselling
    if office is not None and not result.abroad:
        reply.office("counselling_nearest", office)
    elif office is not None and (authority is None or authority.id != ABROAD_AUTHORITY):
        # Abroad, and the answer above named another body (or none): the ZSBA advises.
        reply.office("counselling_abroad", office)
    say_remote(reply, result.counselling_km, result.remote)
    steps = [reply.t("steps_title")]
    steps += [f"{number}. {reply.t(key)}" for number, key in enumerate(result.steps, start=1)]
    reply.dispatcher.utter_message(text="\n".join(steps))
    if offer_more:
        roadmap = reply.button("button_roadmap", "/roadmap")
        reply.say("offer_more", buttons=[roadmap, *reply.offer_buttons()])


class ActionRoute(LotseAction):
    """Take profession and place from the latest message; ask for what is missing, else answer."""

    action_name = "action_route"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        kb = knowledge()
        events: List[EventType] = []
        profession = _entity(tracker, "profession")
        group = _entity(tracker, "profession_group")
        place = _entity(tracker, "place")
        abroad = _entity(tracker, "abroad")
        foreign = kb.professions.get(profession)
        if foreign is not None and foreign.closest:
            # No German counterpart: forget an earlier profession, the person picks the closest one below.
            events.append(SlotSet("profession", None))
        elif profession in kb.professions:
            events.append(SlotSet("profession", profession))
        alternatives = _place_alternatives(tracker)
        if place and alternatives:
            if abroad:  # kept for the answer to the choice below
                events.append(SlotSet("abroad", abroad))
            buttons = [
                {"title": _place_title(name), "payload": "/inform" + json.dumps({"place": name})}
                for name in [place, *alternatives]
            ]
            reply.say("clarify_place", place=_spoken_place(tracker), buttons=buttons)
            return events
        if place:
            # With abroad (now or before) and no "I live in ...": the place where they want to work.
            keep = abroad or (None if _lives_there(tracker) else tracker.get_slot("abroad"))
            events += [SlotSet("place", place), SlotSet("abroad", keep)]
        elif abroad:
            events += [SlotSet("abroad", abroad), SlotSet("place", None)]
        slots = {slot: tracker.get_slot(slot) for slot in INTAKE_SLOTS}
        slots.update({e["name"]: e["value"] for e in events})

        if slots["profession"] is None and foreign is not None and foreign.closest:
            _ask_closest(reply, foreign)
            return events
        if slots["profession"] is None and group in kb.groups:
            buttons = _profession_buttons(kb.groups[group].candidates, reply.language)
            reply.say("clarify_profession", buttons=buttons)
            return events
        if slots["profession"] is None:
            said_nothing_known = latest_intent(tracker) == "inform"
            if place or abroad or not said_nothing_known:
                reply.say("ask_profession")
            else:
                reply.say("unknown_profession")
                human = [reply.button("button_human", "/request_human")]
                reply.say("finder", url=kb.facts["finder"].url, buttons=human)
            return events
        if slots["place"] is None and slots["abroad"] is None:
            reply.say("ask_place")
            return events
        resolved = load_gazetteer().resolve(slots["place"]) if slots["place"] else None
        result = route(slots["profession"], resolved, bool(slots["abroad"]), reply.language, kb)
        if needs_person(result.profession.id):
            # The answer alone will not do (e.g. lawyers, feldshers): offer a counsellor.
            _say_routing(reply, result, offer_more=False)
            return events + ask_consent(reply, "needs_person", "handoff_needs_person")
        _say_routing(reply, result)
        return events
