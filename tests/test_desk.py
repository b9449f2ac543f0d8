"""Human handoff through the gateway and the counsellor desk, with aiohttp's test client.

Rasa is replaced by a small stub of its REST webhook (started here) that answers like the
trained bot does for the few messages used: a handoff summary after "/affirm", a deletion
after "/delete_data", and an echo otherwise; its NLU parse reads DELETE_REQUEST and
"/delete_data" as delete_data and anything else as inform. The end-to-end and browser
tests use the real stack.
"""

import asyncio
import logging
import re
from datetime import datetime, timezone

import pytest
from aiohttp import web
from sqlalchemy import create_engine, text

from bot.gateway.app import create_app
from bot.gateway.conversations import CLOCK, STORE, converse
from bot.gateway.desk import LOGIN_LIMITER, PURGE_EVERY_SECONDS
from bot.gateway.login_limit import MAX_PER_USER, WINDOW_SECONDS
from bot.gateway.outbound import OUTBOUND, OutsideWindow
from bot.knowledge.loader import knowledge
from bot.store import Store, sessions
from bot.texts import text as t

LEIPZIG = "sn_ibas_leipzig"
BERLIN = "be_club_dialog"
OFFICE_NAME = knowledge().offices[LEIPZIG].name
PERSON = "person-conversation-0001"
PASSWORD = "correct horse battery staple"
WEDNESDAY_10 = datetime(2025, 1, 15, 9, 0, tzinfo=timezone.utc)  # 10:00 in Berlin
SATURDAY = datetime(2025, 1, 18, 11, 0, tzinfo=timezone.utc)
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
DELETE_REQUEST = "Bitte löschen Sie alle meine Daten"

SUMMARY = {
    "reason": "request",
    "language": "de",
    "profession": {"id": "nurse", "reference": "Pflegefachfrau / Pflegefachmann", "regulated": True},
    "place": {"name": "Leipzig", "postcode": "04109", "federal_state": "DE-SN"},
    "abroad": None,
    "authority": {
        "id": "ksv_sachsen",
        "name": "Kommunaler Sozialverband Sachsen",
        "url": "https://www.ksv-sachsen.de",
    },
    "office": {"id": LEIPZIG, "name": "IBAS Leipzig", "city": "Leipzig"},
}


def rasa_answer(message):
    """What the trained bot's REST channel answers (texts and custom JSON messages)."""
    if message == "/request_human":
        return [
            {"text": t("de", "handoff_consent"), "buttons": [{"title": "Ja", "payload": "/affirm"}]},
            {"custom": {"language": "de"}},
        ]
    if message == "/affirm":
        return [{"custom": {"handoff": SUMMARY}}, {"custom": {"language": "de"}}]
    if message == "/delete_data":
        return [
            {"text": t("de", "data_deleted")},
            {"custom": {"delete_data": True}},
            {"custom": {"language": "de"}},
        ]
    return [{"text": f"Lotse: {message}"}, {"custom": {"language": "de"}}]


@pytest.fixture
async def rasa(aiohttp_server):
    received = []

    async def webhook(request):
        body = await request.json()
        received.append((body["sender"], body["message"]))
        return web.json_response(rasa_answer(body["message"]))

    async def parse(request):
        message = (await request.json())["text"]
        parsed.append(message)
        intent = "delete_data" if message in (DELETE_REQUEST, "/delete_data") else "inform"
        return web.json_response({"text": message, "intent": {"name": intent, "confidence": 0.9}})

    parsed = []
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_post("/model/parse", parse)
    server = await aiohttp_server(app)
    server.received, server.parsed = received, parsed
    return server


@pytest.fixture
def clock():
    return {"now": WEDNESDAY_10}


@pytest.fixture
async def client(aiohttp_client, rasa, clock):
    app = create_app(str(rasa.make_url("")).rstrip("/"))
    app[CLOCK] = lambda: clock["now"]
    return await aiohttp_client(app)


@pytest.fixture
def store(client):
    return client.server.app[STORE]


@pytest.fixture
def anna(store):
    return store.add_counsellor("anna", PASSWORD, [LEIPZIG], ["de", "uk"])


async def say(client, message, conversation=PERSON):
    response = await client.post("/api/messages", json={"conversation_id": conversation, "text": message})
    assert response.status == 200, await response.text()
    return await response.json()


def texts(answer):
    return [m["text"] for m in answer["messages"]]


async def login_form(client):
    page = await client.get("/desk/login")
    assert page.status == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)


async def log_in(client, username="anna", password=PASSWORD):
    token = await login_form(client)
    response = await client.post(
        "/desk/login",
        data={"csrf_token": token, "username": username, "password": password},
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()
    me = await (await client.get("/desk/api/me")).json()
    return {"X-CSRF-Token": me["csrf_token"]}


async def open_case(client):
    await say(client, "Hallo")
    await say(client, "/request_human")
    return await say(client, "/affirm")


async def try_login(client, username, password):
    token = await login_form(client)
    form = {"csrf_token": token, "username": username, "password": password}
    return await client.post("/desk/login", data=form, allow_redirects=False)


async def test_repeated_wrong_passwords_lock_the_username_for_a_while(client, store, anna, caplog):
    store.add_counsellor("ben", PASSWORD, [LEIPZIG])
    moment = {"now": 1000.0}
    client.server.app[LOGIN_LIMITER].clock = lambda: moment["now"]
    for _ in range(MAX_PER_USER):
        assert (await try_login(client, "anna", "guess")).status == 401
    locked = await try_login(client, "anna", PASSWORD)  # even the right password, without checking it
    assert locked.status == 429 and int(locked.headers["Retry-After"]) == WINDOW_SECONDS
    assert "Zu viele falsche Anmeldungen" in await locked.text()
    assert (await client.get("/desk/api/me")).status == 401
    assert (await try_login(client, "ben", PASSWORD)).status == 303  # another counsellor is not locked
    client.session.cookie_jar.clear()  # ben's browser is another one
    assert "guess" not in caplog.text and PASSWORD not in caplog.text
    moment["now"] += WINDOW_SECONDS
    assert (await try_login(client, "anna", PASSWORD)).status == 303


async def test_the_desk_needs_a_login(client):
    page = await client.get("/desk", allow_redirects=False)
    assert page.status == 302 and page.headers["Location"] == "/desk/login"
    for path in ("/desk/api/me", "/desk/api/cases", "/desk/api/cases/1", "/desk/api/cases/1/messages"):
        assert (await client.get(path)).status == 401
    assert (await client.post("/desk/api/cases/1/claim")).status == 401
    assert (await client.post("/desk/api/cases/1/messages", json={"text": "hi"})).status == 401


async def test_login_cookies_and_wrong_password(client, anna):
    form = await client.get("/desk/login")
    assert "HttpOnly" in form.headers["Set-Cookie"] and "SameSite=Strict" in form.headers["Set-Cookie"]
    assert "frame-ancestors 'none'" in form.headers["Content-Security-Policy"]
    token = await login_form(client)
    wrong = await client.post(
        "/desk/login",
        data={"csrf_token": token, "username": "anna", "password": "wrong"},
        allow_redirects=False,
    )
    assert wrong.status == 401
    assert "falsch" in await wrong.text()
    assert (await client.get("/desk/api/me")).status == 401
    token = await login_form(client)
    right = await client.post(
        "/desk/login",
        data={"csrf_token": token, "username": "anna", "password": PASSWORD},
        allow_redirects=False,
    )
    assert right.status == 303 and right.headers["Location"] == "/desk"
    cookie = right.headers["Set-Cookie"]
    assert cookie.startswith("lotse_desk=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    raw = cookie.split(";")[0].split("=", 1)[1]
    with client.server.app[STORE].engine.connect() as db:
        assert raw not in {row.token_hash for row in db.execute(sessions.select())}
    page = await client.get("/desk")
    assert page.status == 200 and "desk.js" in await page.text()


async def test_login_without_or_with_a_wrong_csrf_token_is_forbidden(client, anna):
    await login_form(client)
    missing = await client.post("/desk/login", data={"username": "anna", "password": PASSWORD})
    assert missing.status == 403
    wrong = await client.post(
        "/desk/login", data={"csrf_token": "guess", "username": "anna", "password": PASSWORD}
    )
    assert wrong.status == 403
    assert (await client.get("/desk/api/me")).status == 401


async def test_every_desk_post_needs_the_sessions_csrf_token(client, anna):
    await open_case(client)
    headers = await log_in(client)
    case_id = (await (await client.get("/desk/api/cases")).json())["cases"][0]["id"]
    for path, body in (
        (f"/desk/api/cases/{case_id}/claim", None),
        (f"/desk/api/cases/{case_id}/messages", {"text": "Hallo"}),
        (f"/desk/api/cases/{case_id}/close", None),
        ("/desk/logout", None),
    ):
        assert (await client.post(path, json=body)).status == 403
        assert (await client.post(path, json=body, headers={"X-CSRF-Token": "wrong"})).status == 403
    assert (await client.post(f"/desk/api/cases/{case_id}/claim", headers=headers)).status == 200
    logout = await client.post("/desk/logout", headers=headers, allow_redirects=False)
    assert logout.status == 303
    assert (await client.get("/desk/api/me")).status == 401


async def test_handoff_claim_chat_and_close(client, rasa, store, anna):
    answer = await open_case(client)
    assert texts(answer)[-1] == t("de", "handoff_opened", office=OFFICE_NAME)
    sent_to_rasa = len(rasa.received)

    # While the case is open the person's messages go to the counsellor; only the first is acknowledged.
    first = await say(client, SCRIPT)
    assert texts(first) == [t("de", "handoff_ack")]
    assert texts(await say(client, "Sind Sie da?")) == []
    assert len(rasa.received) == sent_to_rasa

    headers = await log_in(client)
    queue = (await (await client.get("/desk/api/cases?office=" + LEIPZIG + "&language=de")).json())["cases"]
    assert [c["status"] for c in queue] == ["open"]
    assert (await (await client.get("/desk/api/cases?language=uk")).json())["cases"] == []
    case_id = queue[0]["id"]
    detail = (await (await client.get(f"/desk/api/cases/{case_id}")).json())["case"]
    summary = detail["summary"]
    assert summary["profession"]["reference"] == "Pflegefachfrau / Pflegefachmann"
    assert summary["place"]["federal_state"] == "DE-SN" and summary["office"]["id"] == LEIPZIG
    assert summary["authority"]["name"] == "Kommunaler Sozialverband Sachsen"
    assert [line["text"] for line in summary["transcript"]][:3] == ["Hallo", "Lotse: Hallo", "/request_human"]
    assert summary["outside_office_hours"] is False

    claimed = await client.post(f"/desk/api/cases/{case_id}/claim", headers=headers)
    assert (await claimed.json())["case"]["claimed_by"] == "anna"
    assert (await client.post(f"/desk/api/cases/{case_id}/claim", headers=headers)).status == 409

    response = await client.get(f"/desk/api/cases/{case_id}/messages?after=0")
    assert response.content_type == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    messages = (await response.json())["messages"]
    person = [m["text"] for m in messages if m["direction"] == "in"]
    assert person == [SCRIPT, "Sind Sie da?"]  # stored as sent, returned as JSON text

    reply = await client.post(
        f"/desk/api/cases/{case_id}/messages",
        json={"text": "Guten Tag, hier ist Frau Weber."},
        headers=headers,
    )
    assert reply.status == 200
    polled = await (await client.get(f"/api/messages/poll?conversation_id={PERSON}&after=0")).json()
    assert [m["text"] for m in polled["messages"]] == ["Guten Tag, hier ist Frau Weber."]
    assert polled["handoff"] == "claimed"
    newest = polled["messages"][-1]["id"]
    again = await (await client.get(f"/api/messages/poll?conversation_id={PERSON}&after={newest}")).json()
    assert again["messages"] == []
    # After the claim, the person's messages are not acknowledged any more.
    assert texts(await say(client, "Danke!")) == []

    closed = await client.post(f"/desk/api/cases/{case_id}/close", headers=headers)
    assert (await closed.json())["case"]["status"] == "closed"
    polled = await (await client.get(f"/api/messages/poll?conversation_id={PERSON}&after={newest}")).json()
    assert [m["text"] for m in polled["messages"]] == [t("de", "handoff_closed")]
    assert polled["handoff"] is None
    # The bot answers again.
    assert texts(await say(client, "Was kostet das?")) == ["Lotse: Was kostet das?"]
    assert rasa.received[-1] == (PERSON, "Was kostet das?")


async def test_a_counsellor_must_claim_before_answering_and_sees_only_their_offices(client, store, anna):
    await open_case(client)
    store.add_counsellor("ben", PASSWORD, [BERLIN])
    headers = await log_in(client, "ben")
    assert (await (await client.get("/desk/api/cases")).json())["cases"] == []
    case_id = store.active_case(PERSON).id
    assert (await client.get(f"/desk/api/cases/{case_id}")).status == 404
    assert (await client.post(f"/desk/api/cases/{case_id}/claim", headers=headers)).status == 404
    assert (await client.get(f"/desk/api/cases?office={LEIPZIG}")).status == 403
    await client.post("/desk/logout", headers=headers)
    headers = await log_in(client, "anna")
    early = await client.post(f"/desk/api/cases/{case_id}/messages", json={"text": "Hallo"}, headers=headers)
    assert early.status == 409
    await client.post(f"/desk/api/cases/{case_id}/claim", headers=headers)
    empty = await client.post(f"/desk/api/cases/{case_id}/messages", json={"text": "  "}, headers=headers)
    assert empty.status == 422
    assert (await client.get(f"/desk/api/cases/{case_id}/messages?after=x")).status == 400


async def test_outside_office_hours_the_person_leaves_a_message(client, store, clock, anna):
    clock["now"] = SATURDAY
    answer = await open_case(client)
    assert texts(answer)[-1] == t("de", "handoff_opened_later", office=OFFICE_NAME, when="2025-01-20 09:00")
    await say(client, "Ich brauche Hilfe mit meinen Zeugnissen.")
    case = store.active_case(PERSON)
    assert case.summary["outside_office_hours"] is True
    waiting = [m for m in store.conversation(PERSON) if m.case_id == case.id and m.direction == "in"]
    assert [m.delivered for m in waiting] == [False]
    await log_in(client)
    messages = (await (await client.get(f"/desk/api/cases/{case.id}/messages")).json())["messages"]
    assert "Ich brauche Hilfe mit meinen Zeugnissen." in [m["text"] for m in messages]
    waiting = [m for m in store.conversation(PERSON) if m.case_id == case.id and m.direction == "in"]
    assert [m.delivered for m in waiting] == [True]


async def test_delete_my_data_removes_messages_cases_and_the_rasa_tracker(client, store, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")  # LOTSE_TRACKER_DATABASE_URL (conftest)
    with engine.begin() as db:
        db.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp FLOAT)"))
        db.execute(
            text("INSERT INTO events (sender_id, timestamp) VALUES (:s, :now), ('someone-else', :now)"),
            {"s": PERSON, "now": datetime.now(timezone.utc).timestamp()},
        )
    await open_case(client)
    store.close_case(store.active_case(PERSON).id)
    await say(client, "Hallo", conversation="other-conversation-01")
    answer = await say(client, "/delete_data")
    assert answer["deleted"] is True
    assert texts(answer) == [t("de", "data_deleted")]
    assert store.conversation(PERSON) == [] and store.queue([LEIPZIG], statuses=("closed",)) == []
    assert [m.text for m in store.conversation("other-conversation-01")] == ["Hallo", "Lotse: Hallo"]
    with engine.connect() as db:
        assert [r.sender_id for r in db.execute(text("SELECT sender_id FROM events"))] == ["someone-else"]


async def test_delete_my_data_while_a_counsellor_has_the_case(client, store, anna, rasa):
    await open_case(client)
    case = store.active_case(PERSON)
    headers = await log_in(client)
    assert (await client.post(f"/desk/api/cases/{case.id}/claim", headers=headers)).status == 200
    await say(client, "Ich habe noch eine Frage.")
    sent_to_rasa = list(rasa.received)
    answer = await say(client, DELETE_REQUEST)
    assert answer["deleted"] is True
    assert texts(answer) == [t("de", "data_deleted")]
    assert rasa.received == sent_to_rasa  # only read by the NLU, never part of Rasa's conversation
    assert rasa.parsed[-2:] == ["Ich habe noch eine Frage.", DELETE_REQUEST]
    assert store.conversation(PERSON) == [] and store.case(case.id) is None
    assert (await client.get(f"/desk/api/cases/{case.id}/messages")).status == 404
    assert [c.id for c in store.queue([LEIPZIG], statuses=("open", "claimed", "closed"))] == []
    follow_up = await say(client, "Hallo")  # the bot answers again, in a new conversation
    assert texts(follow_up) == ["Lotse: Hallo"]


async def test_a_message_to_the_counsellor_is_kept_when_rasa_cannot_read_it(client, store, rasa):
    await open_case(client)
    await rasa.close()  # Rasa is down: the message still reaches the counsellor
    answer = await say(client, DELETE_REQUEST)
    assert answer.get("deleted") is None
    case = store.active_case(PERSON)
    assert DELETE_REQUEST in [m.text for m in store.conversation(PERSON) if m.case_id == case.id]


async def claimed_messenger_case(aiohttp_client, rasa, clock, conversation, sender):
    """A gateway whose channel ``sender.__name__`` pushes through ``sender``, with a case of
    ``conversation`` on that channel, claimed by anna (the person has written once since).

    Returns the client, the case and anna's CSRF header.
    """
    channel = sender.__name__
    app = create_app(str(rasa.make_url("")).rstrip("/"))
    app[CLOCK] = lambda: clock["now"]
    app[OUTBOUND] = {channel: sender}
    client = await aiohttp_client(app)
    for message in ("Hallo", "/request_human", "/affirm"):
        await converse(app, channel, conversation, message, "de")
    reply = await converse(app, channel, conversation, "Bitte helfen Sie mir", "de")
    assert [m["text"] for m in reply.messages] == [t("de", "handoff_ack")]
    case = app[STORE].active_case(conversation)
    app[STORE].add_counsellor("anna", PASSWORD, [LEIPZIG])
    headers = await log_in(client)
    await client.post(f"/desk/api/cases/{case.id}/claim", headers=headers)
    return client, case, headers


async def test_counsellor_replies_are_pushed_to_messengers(aiohttp_client, rasa, clock):
    pushed = []

    async def telegram(app, conversation_id, message):
        pushed.append((conversation_id, message))

    client, case, headers = await claimed_messenger_case(aiohttp_client, rasa, clock, "tg-4711", telegram)
    store = client.server.app[STORE]
    assert case.channel == "telegram"
    sent = await client.post(
        f"/desk/api/cases/{case.id}/messages", json={"text": "Guten Tag!"}, headers=headers
    )
    assert pushed == [("tg-4711", "Guten Tag!")]
    assert [
        m.delivered for m in store.conversation("tg-4711") if m.id == (await sent.json())["message"]["id"]
    ] == [True]
    assert "waiting" not in await sent.json()
    await client.post(f"/desk/api/cases/{case.id}/close", headers=headers)
    assert pushed[-1] == ("tg-4711", t("de", "handoff_closed"))


async def test_the_desk_is_told_when_a_messenger_allows_no_reply_now(aiohttp_client, rasa, clock):
    async def whatsapp(app, conversation_id, message):
        raise OutsideWindow("whatsapp")

    client, case, headers = await claimed_messenger_case(
        aiohttp_client, rasa, clock, "wa-4917612345678", whatsapp
    )
    store = client.server.app[STORE]
    sent = await client.post(
        f"/desk/api/cases/{case.id}/messages", json={"text": "Guten Tag!"}, headers=headers
    )
    assert sent.status == 200 and (await sent.json())["waiting"] == "outside_window"
    assert [m.text for m in store.undelivered_to_person("wa-4917612345678", "whatsapp")] == ["Guten Tag!"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?conversation_id=../../etc&after=0",
        f"?conversation_id={PERSON}&after=-1",
        f"?conversation_id={PERSON}",
    ],
)
async def test_poll_refuses_bad_input(client, query):
    if query.endswith(PERSON):  # after defaults to 0
        assert (await client.get("/api/messages/poll" + query)).status == 200
        return
    response = await client.get("/api/messages/poll" + query)
    assert response.status == 400
    assert "error" in await response.json()


def test_pages_render_text_without_inner_html():
    from bot.gateway.app import STATIC_DIR

    for name in ("desk.js", "chat.js"):
        source = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert (
            "innerHTML" not in source
            and "insertAdjacentHTML" not in source
            and "document.write" not in source
        )
    assert "https://" not in (STATIC_DIR / "desk.html").read_text(encoding="utf-8")  # no CDN


async def test_the_retention_job_runs_at_start_up_and_every_hour(aiohttp_client, rasa):
    store = Store()  # the same database as the app (LOTSE_DATABASE_URL from conftest)
    store.add_message("ancient-conversation", "web", "in", "alt", delivered=True)
    with store.engine.begin() as db:
        db.execute(text("UPDATE messages SET created_at = :t"), {"t": datetime(2000, 1, 1)})
    store.close()
    client = await aiohttp_client(create_app(str(rasa.make_url("")).rstrip("/")))
    app_store = client.server.app[STORE]
    for _ in range(50):
        if not app_store.conversation("ancient-conversation"):
            break
        await asyncio.sleep(0.05)
    assert app_store.conversation("ancient-conversation") == []
    assert PURGE_EVERY_SECONDS == 3600


def test_the_access_log_names_no_query_no_address_and_skips_polling(caplog):
    from aiohttp.test_utils import make_mocked_request

    from bot.privacy import AccessLog

    log = AccessLog(logging.getLogger("test.access"), "")
    with caplog.at_level(logging.INFO, logger="test.access"):
        log.log(
            make_mocked_request("GET", f"/api/messages/poll?conversation_id={PERSON}&after=0"),
            web.Response(),
            0.01,
        )
        log.log(make_mocked_request("GET", "/roadmap?profession=nurse&place=04109"), web.Response(), 0.2)
    assert caplog.messages == ["GET /roadmap 200 0.200s"]


async def test_messenger_conversations_cannot_be_reached_through_the_web_api(client):
    for conversation in ("tg-123456789", "fb-1234567890123", "tg--100123456"):
        response = await client.post(
            "/api/messages", json={"conversation_id": conversation, "text": "/delete_data"}
        )
        assert response.status == 400
        assert (await client.get(f"/api/messages/poll?conversation_id={conversation}&after=0")).status == 400
    assert (
        await client.post("/api/messages", json={"conversation_id": "tg-Ab3_x9Qz", "text": "Hallo"})
    ).status == 200
