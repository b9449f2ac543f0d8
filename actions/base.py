"""The base of every Lotse action: the conversation's language and localised output."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.conversation_language import LANGUAGE_KEY, conversation_language
from bot.knowledge.schema import CounsellingOffice
from bot.texts import answer_language, text

LANGUAGE_SLOT = "language"


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
        """Send a counselling office (text ``key`` with {office} and {city}) with its link."""
        lines = [self.t(key, office=office.name, city=office.city), str(office.url)]
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


class LotseAction(Action):
    """Resolves the conversation language, then runs :meth:`respond`."""

    action_name = ""

    def name(self) -> str:
        """The action's name in the domain."""
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        """Answer in the conversation's language and keep the ``language`` slot up to date."""
        latest = tracker.latest_message or {}
        language = conversation_language(
            latest.get(LANGUAGE_KEY),
            next(tracker.get_latest_entity_values("language_choice"), None),
            latest_intent(tracker),
            tracker.get_slot(LANGUAGE_SLOT),
            latest.get("metadata"),
        )
        events = self.respond(Reply(dispatcher, answer_language(language)), tracker)
        # Tells the gateway which language (and so which direction) to show.
        dispatcher.utter_message(json_message={"language": language})
        if language != tracker.get_slot(LANGUAGE_SLOT):
            events = [SlotSet(LANGUAGE_SLOT, language), *events]
        return events

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        """Send this action's messages; return extra events."""
        raise NotImplementedError
