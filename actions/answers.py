"""Answers that need no intake: facts with their source, small talk, language, a person, fallback."""

from __future__ import annotations

from typing import List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.base import LotseAction, Reply, ask_consent, language_buttons
from actions.intake import current_place, say_remote
from bot.conversation_language import LANGUAGE_KEY
from bot.knowledge.loader import knowledge
from bot.places.gazetteer import Place
from bot.routing import nearest_office, online_office, remote_if_far


class FactAnswer(LotseAction):
    """States a general fact (texts ``keys``) and links the page it comes from."""

    fact = ""
    keys: Tuple[str, ...] = ()

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        fact = knowledge().facts[self.fact]
        reply.say(*self.keys)
        reply.say("source", url=fact.url, buttons=reply.offer_buttons())
        return []


def _fact_answer(topic: str, *keys: str) -> type:
    """A FactAnswer subclass named ``action_answer_<topic>`` (Rasa SDK registers every subclass)."""
    name = f"ActionAnswer{topic.title()}"
    return type(name, (FactAnswer,), {"action_name": f"action_answer_{topic}", "fact": topic, "keys": keys})


ActionAnswerCosts = _fact_answer("costs", "costs")
ActionAnswerDocuments = _fact_answer("documents", "documents", "documents_translation")
ActionAnswerDuration = _fact_answer("duration", "duration")
ActionAnswerFunding = _fact_answer("funding", "funding", "funding_before", "funding_conditions")
ActionAnswerRecognition = _fact_answer("recognition", "recognition", "recognition_need", "recognition_right")


class TextAnswer(LotseAction):
    """Sends fixed texts (``keys``)."""

    keys: Tuple[str, ...] = ()

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(*self.keys)
        return []


class ActionGoodbye(TextAnswer):
    action_name = "action_goodbye"
    keys = ("goodbye",)


class ActionThank(TextAnswer):
    action_name = "action_thank"
    keys = ("thank",)


class ActionBotChallenge(TextAnswer):
    action_name = "action_bot_challenge"
    keys = ("bot_challenge",)


class ActionOutOfScope(TextAnswer):
    action_name = "action_out_of_scope"
    keys = ("out_of_scope", "fallback")


def _not_understood_twice(tracker: Tracker) -> bool:
    """Whether the person's last two messages both ended in NLU fallback."""
    intents = [
        ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return intents[-2:] == ["nlu_fallback", "nlu_fallback"]


class ActionDefaultFallback(LotseAction):
    """Replaces Rasa's default fallback: say so, and offer the topics and a person.

    The second time in a row, offer to hand the conversation to a counsellor instead.
    """

    action_name = "action_default_fallback"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        if _not_understood_twice(tracker):
            return ask_consent(reply, "fallback", "handoff_fallback")
        reply.say("fallback", buttons=reply.offer_buttons())
        return []


class ActionChangeLanguage(LotseAction):
    """Switch to the requested language, or offer the languages if none was named."""

    action_name = "action_change_language"
    offers_languages = True

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        identification = tracker.latest_message.get(LANGUAGE_KEY) or {}
        if identification.get("requested") or next(tracker.get_latest_entity_values("language_choice"), None):
            reply.say("language_changed")
        else:
            reply.say("pick_language", buttons=language_buttons())
        return []


def _human_office(reply: Reply, place: Place) -> None:
    """Name the office nearest to ``place``, and the phone and online options if it is far."""
    office = nearest_office(place)
    reply.office("human", office)
    say_remote(reply, *remote_if_far(place, office))


def _say_office(reply: Reply, tracker: Tracker) -> bool:
    """Name the person's office: the online (ZSBA) one if they live abroad, else the nearest one.

    False when neither is known: the place has to be asked.
    """
    if tracker.get_slot("abroad"):
        office = online_office()
        if office is not None:
            reply.office("human", office)
        return True
    place = current_place(tracker)
    if place is None:
        return False
    _human_office(reply, place)
    return True


def counselling_contact(reply: Reply, tracker: Tracker) -> None:
    """Name the person's counselling office (or the online one) and ask for the place if unknown."""
    if not _say_office(reply, tracker):
        office = online_office()
        if office is not None:
            reply.office("human", office)
        reply.say("human_ask_place")


class ActionRequestHuman(LotseAction):
    """The person asks for a person: name the nearest office and ask to share a summary with it."""

    action_name = "action_request_human"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        known = _say_office(reply, tracker)
        events = ask_consent(reply, "request")
        if not known:
            reply.say("human_ask_place")
        return events
