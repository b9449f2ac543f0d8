"""Handoff and "delete my data" on the real assistant over real HTTP (trained model, real Rasa)."""

import json
import os
import urllib.request

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.privacy import tracker_database_url
from bot.store import Store
from bot.texts import text as t
from tests.test_end_to_end import all_text, new_conversation, say

pytestmark = pytest.mark.model


def poll(base, conversation):
    with urllib.request.urlopen(
        f"{base}/api/messages/poll?conversation_id={conversation}&after=0", timeout=30
    ) as r:
        return json.loads(r.read())


def tracker_events(conversation):
    url = tracker_database_url()
    if not url or not os.path.exists(url.removeprefix("sqlite:///")):
        return 0
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        with engine.connect() as db:
            query = text("SELECT COUNT(*) FROM events WHERE sender_id = :s")
            return db.execute(query, {"s": conversation}).scalar_one()
    finally:
        engine.dispose()


def test_asking_for_a_person_consenting_and_writing_to_the_counsellor(stack):
    conversation = new_conversation()
    say(stack, conversation, "Ich bin Krankenschwester und wohne in 04109 Leipzig", "de")
    _, answer = say(stack, conversation, "ich möchte mit einem menschen sprechen")
    assert t("de", "handoff_consent") in all_text(answer)
    assert [b["payload"] for m in answer["messages"] for b in m["buttons"]][-2:] == ["/affirm", "/deny"]
    _, answer = say(stack, conversation, "/affirm")
    assert "weitergegeben an" in all_text(answer) and "Leipzig" in all_text(answer)
    assert poll(stack, conversation)["handoff"] == "open"
    _, answer = say(stack, conversation, "Wie lange dauert das?")
    assert all_text(answer) == t("de", "handoff_ack")
    store = Store()  # the stack's database
    try:
        case = store.active_case(conversation)
        assert case.office_id == "sn_ibas_leipzig" and case.summary["profession"]["id"] == "nurse"
        assert "ich möchte mit einem menschen sprechen" in [
            line["text"] for line in case.summary["transcript"]
        ]
        store.close_case(case.id)
    finally:
        store.close()
    _, answer = say(stack, conversation, "Wie lange dauert das?")
    assert "Monat" in all_text(answer)  # the bot answers again


def test_no_consent_gives_the_counselling_contact(stack):
    conversation = new_conversation()
    say(stack, conversation, "I am a nurse and I live in Leipzig", "en")
    _, answer = say(stack, conversation, "/request_human")
    _, answer = say(stack, conversation, "/deny")
    assert t("en", "handoff_declined") in all_text(answer)
    assert "Leipzig" in all_text(answer)
    assert poll(stack, conversation)["handoff"] is None


def test_two_messages_not_understood_in_a_row_offer_a_person(stack):
    conversation = new_conversation()
    _, answer = say(stack, conversation, "qwrtz plkjh mnbvc", "en")
    assert t("en", "handoff_consent") not in all_text(answer)
    _, answer = say(stack, conversation, "qwrtz plkjh mnbvc", "en")
    assert t("en", "handoff_fallback") in all_text(answer) and t("en", "handoff_consent") in all_text(answer)


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "please delete my data"), ("de", "bitte löschen Sie meine Daten"), ("uk", "видаліть мої дані")],
)
def test_delete_my_data(stack, language, message):
    conversation = new_conversation()
    say(stack, conversation, "/greet", language)
    assert tracker_events(conversation) > 0
    status, answer = say(stack, conversation, message)
    assert status == 200
    assert answer.get("deleted") is True
    assert all_text(answer) == t(language, "data_deleted")
    assert tracker_events(conversation) == 0
    store = Store()
    try:
        assert store.conversation(conversation) == []
    finally:
        store.close()


def test_delete_my_data_during_an_open_case(stack):
    conversation = new_conversation()
    say(stack, conversation, "Я медсестра з Харкова, живу в Лейпцигу", "uk")
    say(stack, conversation, "/request_human")
    _, answer = say(stack, conversation, "/affirm")
    assert poll(stack, conversation)["handoff"] == "open"
    _, answer = say(stack, conversation, "Коли мені відповідять?")  # goes to the counsellor
    assert all_text(answer) == t("uk", "handoff_ack")
    status, answer = say(stack, conversation, "видаліть мої дані")
    assert status == 200 and answer.get("deleted") is True
    assert all_text(answer) == t("uk", "data_deleted")
    assert poll(stack, conversation)["handoff"] is None
    assert tracker_events(conversation) == 0
    store = Store()
    try:
        assert store.conversation(conversation) == [] and store.active_case(conversation) is None
    finally:
        store.close()
