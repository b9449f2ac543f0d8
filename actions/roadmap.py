"""The roadmap in the chat: one step at a time, with a link to the printable page."""

from __future__ import annotations

import json
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.base import LotseAction, Reply
from actions.intake import current_place
from bot.roadmap import roadmap_query, roadmap_steps
from bot.routing import route


class ActionRoadmap(LotseAction):
    """Show step ``roadmap_step`` (default 1) of the person's roadmap, with a button for the next."""

    action_name = "action_roadmap"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        profession = tracker.get_slot("profession")
        place = current_place(tracker)
        abroad = bool(tracker.get_slot("abroad"))
        if profession is None or (place is None and not abroad):
            reply.say("roadmap_missing")
            return []
        steps = roadmap_steps(route(profession, place, abroad, reply.language))
        requested = next(tracker.get_latest_entity_values("roadmap_step"), "1")
        number = min(max(int(requested) if str(requested).isdigit() else 1, 1), len(steps))
        if number == 1:
            query = roadmap_query(profession, tracker.get_slot("place"), abroad, reply.language)
            reply.dispatcher.utter_message(json_message={"roadmap": query})
        step = steps[number - 1]
        lines = [reply.t("roadmap_step", number=number, total=len(steps)), *step.lines(reply.language)]
        if number < len(steps):
            payload = "/roadmap" + json.dumps({"roadmap_step": str(number + 1)})
            reply.dispatcher.utter_message(
                text="\n".join(lines), buttons=[reply.button("button_next_step", payload)]
            )
        else:
            reply.dispatcher.utter_message(text="\n".join(lines))
            reply.say("roadmap_done", buttons=reply.offer_buttons())
        return []
