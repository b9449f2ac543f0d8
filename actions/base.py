"""The base of every Lotse action: the conversation's language and localised output."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.conversation_language import LANGUAGE_KEY, conversation_language, only_a_guess
from bot.knowledge.schema import CounsellingOffice
from bot.texts import all_texts, answer_language, limited_texts, supported_languages, text

LANGUAGE_SLOT = "language"
#: Set while Lotse waits for the person's consent to hand the conversation to a counsellor;
#: its value says why Lotse offered it ("request", "fallback" or "needs_person").
HANDOFF_SLOT = "handoff_offer"


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the latest message as NLU (or a button payload) gave it."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


class Reply:
    """Collects the messages of one action in one language."""

    def __init__(self, dispatcher: CollectingDispatcher, language: str) -> None:
        self.dispatcher = dispatcher
        self.language = language

    def t(self, key: str, **values: object) -> str:
        """The text ``key`` in the conversation's language."""
        return text(self.language, key, **values)

    def say(self, *keys: str, buttons: Optional[List[Dict[str, str]]] = None, **values: object) -> None:
        """Send the texts ``keys`` as one message (one line each), with optional buttons."""
        body = "\n".join(self.t(key, **values) for key in keys)
        self.dispatcher.utter_message(text=body, buttons=buttons or [])

    def link(self, label: str, url: str) -> str:
        """A labelled link line."""
        return self.t("link", label=label, url=url)

    def office(self, key: str, office: CounsellingOffice) -> None:
        """Send a counselling office (text ``key`` with {office}, its label) with its link."""
        lines = [self.t(key, office=office.label), str(office.url)]
        if not office.verified:
            lines.append(self.t("counselling_unverified"))
        self.dispatcher.utter_message(text="\n".join(lines))

    def button(self, key: str, payload: str) -> Dict[str, str]:
        """A quick-reply button with a localised title."""
        return {"title": self.t(key), "payload": payload}

    def offer_buttons(self) -> List[Dict[str, str]]:
        """The follow-up offers shown after an answer."""
        return [
            self.button("button_costs", "/ask_costs"),
            self.button("button_documents", "/ask_documents"),
            self.button("button_duration", "/ask_duration"),
            self.button("button_funding", "/ask_funding"),
            self.button("button_human", "/request_human"),
        ]


def ask_consent(reply: Reply, reason: str, *intro: str) -> List[EventType]:
    """Ask whether Lotse may send a summary to a counsellor (texts ``intro`` first), with yes/no buttons."""
    buttons = [reply.button("button_share_yes", "/affirm"), reply.button("button_share_no", "/deny")]
    reply.say(*intro, "handoff_consent", buttons=buttons)
    return [SlotSet(HANDOFF_SLOT, reason)]


def _sets(events: List[EventType], slot: str) -> bool:
    return any(event.get("event") == "slot" and event.get("name") == slot for event in events)


def language_buttons() -> List[Dict[str, str]]:
    """One button per fully supported language, each titled in its own language."""
    return [
        {
            "title": all_texts()[code]["language_name"],
            "payload": "/change_language" + json.dumps({"language_choice": code}),
        }
        for code in supported_languages()
    ]


def respond_in_limited_language(dispatcher: CollectingDispatcher, language: str) -> List[EventType]:
    """In a language Lotse only recognises: say so in it, offer the full languages and a person."""
    texts = limited_texts()[language]
    human = {"title": texts["button_human"], "payload": "/request_human"}
    dispatcher.utter_message(
        text=f"{texts['limited_intro']}\n{texts['limited_choose']}", buttons=[*language_buttons(), human]
    )
    return []


class LotseAction(Action):
    """Resolves the conversation language, then runs :meth:`respond`.

    When the language is only a guess (:func:`bot.conversation_language.only_a_guess`), it also
    offers the languages, unless the action offers them itself (:attr:`offers_languages`).
    """

    action_name = ""
    offers_languages = False

    def name(self) -> str:
        """The action's name in the domain."""
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        """Answer in the conversation's language and keep the ``language`` slot up to date."""
        latest = tracker.latest_message or {}
        identification = latest.get(LANGUAGE_KEY)
        chosen = next(tracker.get_latest_entity_values("language_choice"), None)
        slot_value, metadata = tracker.get_slot(LANGUAGE_SLOT), latest.get("metadata")
        language = conversation_language(identification, chosen, latest_intent(tracker), slot_value, metadata)
        if language in limited_texts():
            events = respond_in_limited_language(dispatcher, language)
        else:
            reply = Reply(dispatcher, answer_language(language))
            events = self.respond(reply, tracker)
            if not self.offers_languages and only_a_guess(identification, chosen, slot_value, metadata):
                reply.say("pick_language", buttons=language_buttons())
        # Tells the gateway which language (and so which direction) to show.
        dispatcher.utter_message(json_message={"language": language})
        if language != tracker.get_slot(LANGUAGE_SLOT):
            events = [SlotSet(LANGUAGE_SLOT, language), *events]
        if tracker.get_slot(HANDOFF_SLOT) and not _sets(events, HANDOFF_SLOT):
            # The person answered something else than yes or no: the offer lapses.
            events = [*events, SlotSet(HANDOFF_SLOT, None)]
        return events

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        """Send this action's messages; return extra events."""
        raise NotImplementedError
