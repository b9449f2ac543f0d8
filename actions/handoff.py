"""Handing the conversation to a counsellor after consent, and deleting a person's data.

Lotse asks first (:func:`actions.base.ask_consent` sets the ``handoff_offer`` slot);
the rules send "yes" to :class:`ActionHandoff` and "no" to :class:`ActionHandoffDeclined`.
The summary goes to the gateway as ``json_message={"handoff": {...}}``; the gateway
adds the transcript, opens the case in the office's queue and tells the person.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet

from actions.answers import counselling_contact
from actions.base import HANDOFF_SLOT, LotseAction, Reply
from actions.intake import current_place
from bot.knowledge.loader import knowledge
from bot.knowledge.schema import CounsellingOffice
from bot.routing import nearest_office, online_office, route


def _office(office: Optional[CounsellingOffice]) -> Optional[Dict[str, Any]]:
    return None if office is None else {"id": office.id, "name": office.name, "city": office.city}


def handoff_summary(tracker: Tracker, language: str) -> Dict[str, Any]:
    """What the counsellor needs to know: language, profession, place, authority and office.

    Names of authorities are given in German (the counsellor's language). The office
    is the nearest one to the place, or the online (ZSBA) office when abroad or unknown.
    """
    kb = knowledge()
    place = current_place(tracker)
    abroad = tracker.get_slot("abroad")
    summary: Dict[str, Any] = {
        "reason": tracker.get_slot(HANDOFF_SLOT) or "request",
        "language": language,
        "profession": None,
        "place": None,
        "abroad": abroad,
        "authority": None,
        "office": None,
    }
    if place is not None:
        summary["place"] = {"name": place.name, "postcode": place.postcode, "federal_state": place.state}
    office = None
    profession_id = tracker.get_slot("profession")
    if profession_id in kb.professions:
        result = route(profession_id, place, bool(abroad), "de", kb)
        profession = result.profession
        summary["profession"] = {
            "id": profession.id,
            "category": profession.category,
            "reference": f"{profession.name_de.female} / {profession.name_de.male}",
            "regulated": result.regulated,
        }
        if result.authority is not None:
            authority = result.authority
            summary["authority"] = {"id": authority.id, "name": authority.name, "url": authority.url}
        office = result.counselling
    if office is None:
        office = online_office(kb) if abroad or place is None else nearest_office(place, kb)
    summary["office"] = _office(office)
    return summary


class ActionHandoff(LotseAction):
    """The person agreed: send the summary to the gateway, which opens the case."""

    action_name = "action_handoff"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.dispatcher.utter_message(json_message={"handoff": handoff_summary(tracker, reply.language)})
        return [SlotSet(HANDOFF_SLOT, None)]


class ActionHandoffDeclined(LotseAction):
    """The person does not want to share: nothing is sent; give the counselling contact instead."""

    action_name = "action_handoff_declined"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("handoff_declined")
        counselling_contact(reply, tracker)
        return [SlotSet(HANDOFF_SLOT, None)]


class ActionDeleteData(LotseAction):
    """Delete my data: Rasa forgets the conversation (Restarted), the gateway deletes its copies."""

    action_name = "action_delete_data"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say("data_deleted")
        reply.dispatcher.utter_message(json_message={"delete_data": True})
        return [Restarted()]
