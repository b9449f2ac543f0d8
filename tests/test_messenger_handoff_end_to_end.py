"""Handoff from Telegram on the real stack: real Rasa, real gateway, the counsellor desk over HTTP.

The local ``platform`` server (tests/conftest.py) plays Telegram's Bot API: it records what
Lotse sends, so the test sees exactly what the person would see in Telegram.
"""

import http.cookiejar
import json
import random
import re
import urllib.parse
import urllib.request
import uuid

import pytest

from bot.store import Store
from bot.texts import text as t

pytestmark = pytest.mark.model

PASSWORD = "a password for the messenger test"


def sent_messages(calls):
    """The bodies of Telegram ``sendMessage`` calls among the recorded ``calls``."""
    return [call["body"] for call in calls if call["path"].endswith("/sendMessage")]


class Person:
    """Someone writing to the Telegram bot: each message is a signed webhook update."""

    def __init__(self, stack, platform):
        self.stack, self.platform = stack, platform
        self.chat_id = random.randint(10**8, 10**9)
        self.update_id = random.randint(10**6, 10**7)

    @property
    def conversation(self):
        return f"tg-{self.chat_id}"

    def _post(self, update):
        self.update_id += 1
        request = urllib.request.Request(
            self.stack + "/webhooks/telegram",
            data=json.dumps({"update_id": self.update_id, **update}).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": self.platform.settings["LOTSE_TELEGRAM_SECRET"],
            },
        )
        before = len(self.platform.calls)
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
        return [
            call["body"] for call in self.platform.calls[before:] if call["path"].endswith("/sendMessage")
        ]

    def write(self, message):
        """Send ``message``; the texts Lotse sent back to this chat."""
        user = {"id": self.chat_id, "is_bot": False, "first_name": "Olena", "language_code": "uk"}
        chat = {"id": self.chat_id, "type": "private"}
        sent = self._post(
            {"message": {"message_id": 1, "from": user, "chat": chat, "date": 1700000000, "text": message}}
        )
        return [body for body in sent if body["chat_id"] == self.chat_id]

    def press(self, callback_data):
        user = {"id": self.chat_id, "is_bot": False, "first_name": "Olena", "language_code": "uk"}
        query = {"id": uuid.uuid4().hex, "from": user, "chat_instance": "1", "data": callback_data}
        return [body for body in self._post({"callback_query": query}) if body["chat_id"] == self.chat_id]


class Desk:
    """A counsellor at the desk, through its HTTP API with a cookie jar (as the desk page does)."""

    def __init__(self, stack, username):
        self.stack = stack
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with self.opener.open(stack + "/desk/login", timeout=30) as page:
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": PASSWORD})
        with self.opener.open(stack + "/desk/login", data=form.encode(), timeout=30) as page:
            assert page.url.endswith("/desk")
        self.csrf = self.get("/desk/api/me")["csrf_token"]

    def get(self, path):
        with self.opener.open(self.stack + path, timeout=30) as response:
            return json.loads(response.read())

    def post(self, path, body=None):
        request = urllib.request.Request(
            self.stack + path,
            data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf},
        )
        with self.opener.open(request, timeout=30) as response:
            return json.loads(response.read())


@pytest.fixture
def counsellor_for():
    """Creates a counsellor for an office in the stack's database; removes them afterwards."""
    made = []

    def make(office_id):
        username = "messenger-" + uuid.uuid4().hex[:8]
        with Store() as store:
            store.add_counsellor(username, PASSWORD, [office_id], ["uk"])
        made.append(username)
        return username

    yield make
    with Store() as store:
        for username in made:
            store.remove_counsellor(username)


def texts(sent):
    return "\n".join(body["text"] for body in sent)


def test_telegram_person_reaches_a_counsellor_and_comes_back_to_the_bot(stack, platform, counsellor_for):
    person = Person(stack, platform)
    answer = person.write("Я медсестра, живу в Лейпцигу")
    assert "Pflegefachfrau" in texts(answer)
    answer = person.write("хочу поговорити з людиною")
    assert t("uk", "handoff_consent") in texts(answer)
    keyboard = [button for row in answer[-1]["reply_markup"]["inline_keyboard"] for button in row]
    assert "/affirm" in [button["callback_data"] for button in keyboard]
    answer = person.press("/affirm")
    assert "Leipzig" in texts(answer)
    with Store() as store:
        case = store.active_case(person.conversation)
    assert case is not None and case.channel == "telegram" and case.language == "uk"
    assert case.summary["profession"]["id"] == "nurse"

    desk = Desk(stack, counsellor_for(case.office_id))
    assert case.id in [c["id"] for c in desk.get("/desk/api/cases")["cases"]]
    desk.post(f"/desk/api/cases/{case.id}/claim")
    greeting = "Добрий день! Я Анна з IQ."
    desk.post(f"/desk/api/cases/{case.id}/messages", {"text": greeting})
    assert sent_messages(platform.calls)[-1] == {"chat_id": person.chat_id, "text": greeting}

    assert person.write("Які документи потрібні?") == []  # to the counsellor, not to the bot
    messages = desk.get(f"/desk/api/cases/{case.id}/messages?after=0")["messages"]
    assert "Які документи потрібні?" in [m["text"] for m in messages if m["direction"] == "in"]

    desk.post(f"/desk/api/cases/{case.id}/close")
    assert sent_messages(platform.calls)[-1] == {"chat_id": person.chat_id, "text": t("uk", "handoff_closed")}
    answer = person.write("Скільки це коштує?")  # the bot answers again
    assert answer and t("uk", "handoff_ack") not in texts(answer)
    with Store() as store:
        assert store.active_case(person.conversation) is None
        assert store.conversation(person.conversation)[-1].direction == "bot"
