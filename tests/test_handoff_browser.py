"""Human handoff in two real browsers on the real stack: a person in the chat, a counsellor at the desk.

The counsellor account is created with `lotse counsellor add` in the database the stack uses
(var/lotse.db, or LOTSE_DATABASE_URL when it is set for the whole test run).
"""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.browser

LEIPZIG = "sn_ibas_leipzig"
PASSWORD = "a password for the browser test"


def lotse(*args, stdin=None):
    command = [str(Path(sys.executable).parent / "lotse"), *args]
    return subprocess.run(command, cwd=PROJECT_DIR, input=stdin, text=True, capture_output=True, timeout=120)


@pytest.fixture
def counsellor():
    username = "browser-" + uuid.uuid4().hex[:8]
    added = lotse(
        "counsellor", "add", username, "--office", LEIPZIG, "--language", "de", stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    yield username
    lotse("counsellor", "remove", username)


def send(page, text):
    page.fill("#message", text)
    page.click("#send")


def test_a_counsellor_takes_over_answers_and_hands_back_to_the_bot(stack, browser, counsellor):
    person_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    person = person_context.new_page()
    person.goto(stack + "/")
    person.wait_for_selector(".msg.bot")
    send(person, "Ich bin Krankenschwester und wohne in 04109 Leipzig")
    person.locator(".msg.bot", has_text="Pflegefachfrau").first.wait_for(timeout=60_000)
    send(person, "ich möchte mit einem menschen sprechen")
    person.locator(".quick-reply:not(:disabled)", has_text="Ja, senden").wait_for(timeout=60_000)
    person.locator(".quick-reply:not(:disabled)", has_text="Ja, senden").click()
    person.locator(".msg.bot", has_text="weitergegeben an").wait_for(timeout=60_000)
    send(person, "Muss ich meine Zeugnisse übersetzen lassen?")
    person.locator(".msg.bot", has_text="Ihre Nachricht ist gespeichert").wait_for(timeout=30_000)

    desk_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    desk = desk_context.new_page()
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.goto(stack + "/desk")
    assert desk.url.endswith("/desk/login")
    desk.fill("#username", counsellor)
    desk.fill("#password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(stack + "/desk")
    desk.locator(".case-item").last.wait_for(timeout=30_000)
    desk.locator(".case-item").last.click()  # the newest case of the office
    desk.locator("#summary", has_text="Pflegefachfrau").wait_for(timeout=30_000)
    assert "Leipzig" in desk.inner_text("#summary")
    assert "Krankenschwester" in desk.inner_text("#transcript")
    desk.click("#claim")
    desk.locator("#reply:not([disabled])").wait_for(timeout=30_000)
    desk.locator("#messages .msg.person", has_text="übersetzen").wait_for(timeout=30_000)
    desk.fill("#reply", "Guten Tag, hier ist Frau Weber. Ja, von einer vereidigten Übersetzerin.")
    desk.click("#send")
    desk.locator("#messages .msg.counsellor", has_text="Frau Weber").wait_for(timeout=30_000)

    reply = person.locator(".msg.bot.counsellor", has_text="Frau Weber")
    reply.wait_for(timeout=30_000)  # the chat polls every 3 s

    desk.click("#close")
    desk.locator("#case-status", has_text="geschlossen").wait_for(timeout=30_000)
    person.locator(".msg.bot.counsellor", has_text="beendet").wait_for(timeout=30_000)
    send(person, "Was kostet die Anerkennung?")
    person.locator(".msg.bot", has_text="Euro").wait_for(timeout=60_000)
    person_context.close()
    desk_context.close()
