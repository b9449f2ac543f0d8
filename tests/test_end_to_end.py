"""The real assistant over real HTTP: gateway -> Rasa (trained on our data) -> action server."""

import json
import urllib.error
import urllib.request
import uuid

import pytest

pytestmark = pytest.mark.model


def say(base, conversation, text, language=None):
    body = {"conversation_id": conversation, "text": text}
    if language:
        body["language"] = language
    request = urllib.request.Request(
        base + "/api/messages", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def all_text(answer):
    return "\n".join(m["text"] for m in answer["messages"])


def new_conversation():
    return uuid.uuid4().hex


def test_ukrainian_nurse_in_leipzig_gets_one_complete_answer(stack):
    status, answer = say(stack, new_conversation(), "Я медсестра з Харкова, живу в Лейпцигу")
    assert status == 200
    assert answer["language"] == "uk"
    text = all_text(answer)
    assert "Pflegefachfrau" in text
    assert "https://" in text
    assert "1." in text and "3." in text
    assert any(b["payload"] == "/ask_funding" for m in answer["messages"] for b in m["buttons"])


def test_a_sentence_ukrainian_and_russian_share_stays_in_the_language_the_person_chose(stack):
    for chosen in ("uk", "ru"):
        status, answer = say(stack, new_conversation(), "Я медсестра, живу в Лейпцигу", chosen)
        assert status == 200 and answer["language"] == chosen


def test_intake_asks_for_what_is_missing_and_keeps_the_language(stack):
    conversation = new_conversation()
    status, answer = say(stack, conversation, "/greet", language="de")
    assert status == 200 and answer["language"] == "de"
    assert any(b["payload"].startswith("/change_language") for m in answer["messages"] for b in m["buttons"])
    _, answer = say(stack, conversation, "Ich bin Krankenschwester")
    assert answer["language"] == "de"
    assert "Wo wohnen Sie" in all_text(answer) or "Postleitzahl" in all_text(answer)
    _, answer = say(stack, conversation, "04109")
    assert answer["language"] == "de"
    assert "Pflegefachfrau" in all_text(answer)
    _, answer = say(stack, conversation, "danke")
    assert answer["language"] == "de"


def test_arabic_conversation_is_right_to_left(stack):
    status, answer = say(stack, new_conversation(), "أنا طبيب أسنان وأعيش في برلين")
    assert status == 200
    assert answer["language"] == "ar" and answer["dir"] == "rtl"
    assert "Zahnärztin" in all_text(answer) or "Zahnarzt" in all_text(answer)


def test_questions_are_answered_at_any_point_with_a_source(stack):
    _, answer = say(stack, new_conversation(), "How much does the recognition cost?", language="en")
    assert answer["language"] == "en"
    assert "euro" in all_text(answer).lower()
    assert "Source: https://" in all_text(answer)


def test_funding_must_be_applied_for_before_the_application(stack):
    _, answer = say(stack, new_conversation(), "Who can pay for the recognition? Is there a grant?", "en")
    assert "before you apply for recognition" in all_text(answer)


def test_only_emoji_gets_a_clear_answer(stack):
    status, answer = say(stack, new_conversation(), "👍👍", language="en")
    assert status == 200
    assert answer["messages"]


def test_language_switch_on_request(stack):
    conversation = new_conversation()
    say(stack, conversation, "Hallo, ich bin Ingenieurin", language="de")
    _, answer = say(stack, conversation, "English please")
    assert answer["language"] == "en"
    _, answer = say(stack, conversation, "ok")
    assert answer["language"] == "en"


def test_arabic_in_latin_letters_is_answered_in_arabic_and_asks_for_the_language(stack):
    """No page language and a detection that is only a guess: Lotse answers, then offers the languages."""
    from bot.texts import text

    status, answer = say(stack, new_conversation(), "ana saydali w sakin b Berlin")
    assert status == 200 and answer["language"] == "ar"
    assert "Apotheker" in all_text(answer)
    question = [m for m in answer["messages"] if m["text"] == text("ar", "pick_language")]
    assert len(question) == 1
    assert any(b["payload"].startswith("/change_language") for b in question[0]["buttons"])


def test_a_teacher_who_names_the_school_type_is_not_asked_and_one_who_does_not_is(stack):
    _, answer = say(stack, new_conversation(), "öğretmenim, ilkokulda çalıştım, Köln'de yaşıyorum")
    assert answer["language"] == "tr"
    assert "Grundschullehrerin / Grundschullehrer" in all_text(answer)
    conversation = new_conversation()
    _, answer = say(stack, conversation, "Ich bin Lehrerin und wohne in Erfurt", language="de")
    payloads = [b["payload"] for m in answer["messages"] for b in m["buttons"]]
    assert '/inform{"profession": "teacher_secondary"}' in payloads
    _, answer = say(stack, conversation, '/inform{"profession": "teacher_secondary"}')
    assert "Lehrerin für die Sekundarstufe / Lehrer für die Sekundarstufe" in all_text(answer)


def test_a_feldsher_chooses_the_closest_german_profession_or_a_person(stack):
    conversation = new_conversation()
    _, answer = say(stack, conversation, "Я фельдшер, живу в Берлине")
    assert answer["language"] == "ru"
    assert "фельдшер" in all_text(answer) and "Feldscher" not in all_text(answer)
    payloads = [b["payload"] for m in answer["messages"] for b in m["buttons"]]
    assert '/inform{"profession": "paramedic"}' in payloads and "/request_human" in payloads
    _, answer = say(stack, conversation, '/inform{"profession": "paramedic"}')
    assert "Notfallsanitäterin / Notfallsanitäter" in all_text(answer)
    assert "Berlin" in all_text(answer)


def test_someone_abroad_who_names_the_city_of_work_gets_its_body_and_the_zsba(stack):
    _, answer = say(
        stack, new_conversation(), "I am a nurse, I still live in Egypt and want to work in Munich"
    )
    text = all_text(answer)
    assert "Bayerisches Landesamt für Pflege" in text
    assert "ZSBA" in text
    assert "Anerkennungszuschuss" not in text  # the grant needs residence in Germany
