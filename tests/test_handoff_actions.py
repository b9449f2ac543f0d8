"""The consent step and the handoff and privacy actions, on tracker fixtures."""

from rasa_sdk.events import Restarted, SlotSet

from actions.answers import ActionDefaultFallback, ActionRequestHuman, ActionThank
from actions.base import HANDOFF_SLOT
from actions.handoff import ActionDeleteData, ActionHandoff, ActionHandoffDeclined
from actions.intake import ActionRoute
from bot.texts import text
from tests.test_actions import run, tracker

CONSENT_BUTTONS = ["/affirm", "/deny"]


def user(intent):
    return {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent, "confidence": 0.3}}}


async def test_asking_for_a_person_asks_for_consent_first():
    events, texts, buttons, _ = await run(ActionRequestHuman(), tracker("de_ok", slots__place="04109"))
    assert "Leipzig" in texts[0]
    assert texts[1] == text("de", "handoff_consent")
    assert [b["payload"] for b in buttons] == CONSENT_BUTTONS
    assert [b["title"] for b in buttons] == [text("de", "button_share_yes"), text("de", "button_share_no")]
    assert events == [SlotSet(HANDOFF_SLOT, "request")]


async def test_two_fallbacks_in_a_row_offer_a_person():
    once = tracker("de_ok", events=[user("greet"), user("nlu_fallback")])
    events, texts, _, _ = await run(ActionDefaultFallback(), once)
    assert texts == [text("de", "fallback")] and events == []
    twice = tracker("de_ok", events=[user("nlu_fallback"), user("nlu_fallback")])
    events, texts, buttons, _ = await run(ActionDefaultFallback(), twice)
    assert texts == [text("de", "handoff_fallback") + "\n" + text("de", "handoff_consent")]
    assert [b["payload"] for b in buttons] == CONSENT_BUTTONS
    assert events == [SlotSet(HANDOFF_SLOT, "fallback")]


async def test_cases_that_need_a_person_end_with_the_consent_question():
    t = tracker(
        "uk_nurse_leipzig",
        slots__profession=None,
        latest_message__entities=[
            {"entity": "profession", "value": "lawyer"},
            {"entity": "place", "value": "Leipzig"},
        ],
    )
    events, texts, buttons, _ = await run(ActionRoute(), t)
    assert texts[-1] == text("uk", "handoff_needs_person") + "\n" + text("uk", "handoff_consent")
    assert [b["payload"] for b in buttons] == CONSENT_BUTTONS
    assert events[-1] == SlotSet(HANDOFF_SLOT, "needs_person")


async def test_consent_sends_the_summary_to_the_gateway():
    t = tracker(
        "uk_nurse_leipzig",
        slots__profession="nurse",
        slots__place="Leipzig",
        **{f"slots__{HANDOFF_SLOT}": "request"},
    )
    events, texts, _, custom = await run(ActionHandoff(), t)
    assert texts == []  # the gateway says what happens next
    summary = custom[0]["handoff"]
    assert summary["reason"] == "request" and summary["language"] == "uk"
    assert summary["profession"]["reference"] == "Pflegefachfrau / Pflegefachmann"
    assert summary["place"] == {"name": "Leipzig", "postcode": None, "federal_state": "DE-SN"}
    assert summary["office"]["id"] == "sn_ibas_leipzig"
    assert "Sachsen" in summary["authority"]["name"]
    assert custom[1] == {"language": "uk"}
    assert SlotSet(HANDOFF_SLOT, None) in events


async def test_without_a_place_the_case_goes_to_the_online_office():
    t = tracker("de_ok", slots__profession=None, **{f"slots__{HANDOFF_SLOT}": "fallback"})
    _, _, _, custom = await run(ActionHandoff(), t)
    assert custom[0]["handoff"]["office"]["id"] == "de_zsba_abroad"
    assert custom[0]["handoff"]["profession"] is None


async def test_no_consent_gives_the_counselling_contact():
    t = tracker("de_ok", slots__place="04109", **{f"slots__{HANDOFF_SLOT}": "request"})
    events, texts, _, custom = await run(ActionHandoffDeclined(), t)
    assert texts[0] == text("de", "handoff_declined")
    assert "Leipzig" in texts[1]
    assert all("handoff" not in c for c in custom)
    assert events == [SlotSet(HANDOFF_SLOT, None)]


async def test_the_offer_lapses_when_the_person_talks_about_something_else():
    t = tracker("de_ok", **{f"slots__{HANDOFF_SLOT}": "request"})
    events, _, _, _ = await run(ActionThank(), t)
    assert events == [SlotSet(HANDOFF_SLOT, None)]


async def test_delete_my_data_restarts_and_tells_the_gateway():
    events, texts, _, custom = await run(ActionDeleteData(), tracker("de_ok"))
    assert texts == [text("de", "data_deleted")]
    assert {"delete_data": True} in custom
    assert events == [Restarted()]
