"""Messenger channel webhooks, driven with the platforms' documented payload shapes.

Two local servers stand in for the outside world: one plays the platforms' APIs
(Telegram Bot API, Graph API, Twilio) and records what Lotse sent; one plays
Rasa's REST webhook with a fixed answer. No trained model is needed.
"""

import base64
import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from aiohttp import web

from bot.channels.common import DeliveryFailed, OutsideWindow, plan, split_text
from bot.channels.whatsapp import signature as twilio_signature
from bot.gateway.app import create_app
from bot.gateway.conversations import CLOCK, STORE
from bot.gateway.outbound import OUTBOUND
from bot.store import COUNSELLOR
from bot.texts import text

PUBLIC_URL = "https://lotse.example.org"
TG_TOKEN = "123456:ABC-test-token"
TG_SECRET = "tg-webhook-secret"
FB_APP_SECRET = "fb-app-secret"
FB_VERIFY = "fb-verify-token"
FB_PAGE_TOKEN = "fb-page-token"
TW_SID = "AC0123456789abcdef0123456789abcdef"
TW_TOKEN = "twilio-auth-token"
TW_NUMBER = "+14155238886"
PSID = "6789012345678901"
PHONE = "4917612345678"
#: A message that must never appear in a log.
PRIVATE = "Ich heisse Olena Kowalenko und bin Krankenschwester"

LONG_PAYLOAD = '/inform{"profession": "gesundheits_und_krankenpfleger_in_mit_fachweiterbildung"}'
ANSWER = [
    {
        "recipient_id": "x",
        "text": "What would you like to know?",
        "buttons": [
            {"title": "Costs", "payload": "/ask_costs"},
            {"title": "Nurse (specialised)", "payload": LONG_PAYLOAD},
        ],
    },
    {"recipient_id": "x", "custom": {"language": "en"}},
]
LONG_TITLES = [
    {
        "recipient_id": "x",
        "text": "Which one?",
        "buttons": [
            {"title": "Ingenieurin / Ingenieur (Maschinenbau)", "payload": '/inform{"profession": "me"}'},
            {"title": "Ingenieurin / Ingenieur (Elektrotechnik)", "payload": '/inform{"profession": "ee"}'},
        ],
    }
]


def _recording_server(handler):
    app = web.Application()
    app["calls"] = []
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


async def _platform_api(request: web.Request) -> web.Response:
    if request.content_type == "application/json":
        body = await request.json()
    else:
        body = dict(await request.post())
    request.app["calls"].append(
        {
            "path": request.path,
            "query": dict(request.query),
            "authorization": request.headers.get("Authorization"),
            "body": body,
        }
    )
    return web.json_response({"ok": True}, status=201 if request.path.endswith("Messages.json") else 200)


async def _rasa_webhook(request: web.Request) -> web.Response:
    if request.path != "/webhooks/rest/webhook":
        return web.json_response({"error": "not found"}, status=404)
    request.app["calls"].append(await request.json())
    return web.json_response(request.app["answer"], status=request.app.get("status", 200))


@pytest.fixture
async def platform(aiohttp_server):
    server = await aiohttp_server(_recording_server(_platform_api))
    server.calls = server.app["calls"]
    return server


@pytest.fixture
async def rasa(aiohttp_server):
    app = _recording_server(_rasa_webhook)
    app["answer"] = ANSWER
    server = await aiohttp_server(app)
    server.calls = app["calls"]
    return server


def _configure(monkeypatch, platform_url: str) -> None:
    settings = {
        "LOTSE_PUBLIC_URL": PUBLIC_URL,
        "LOTSE_TELEGRAM_TOKEN": TG_TOKEN,
        "LOTSE_TELEGRAM_SECRET": TG_SECRET,
        "LOTSE_TELEGRAM_API": platform_url,
        "LOTSE_FACEBOOK_APP_SECRET": FB_APP_SECRET,
        "LOTSE_FACEBOOK_VERIFY_TOKEN": FB_VERIFY,
        "LOTSE_FACEBOOK_PAGE_TOKEN": FB_PAGE_TOKEN,
        "LOTSE_FACEBOOK_API": platform_url + "/v19.0",
        "LOTSE_TWILIO_ACCOUNT_SID": TW_SID,
        "LOTSE_TWILIO_AUTH_TOKEN": TW_TOKEN,
        "LOTSE_TWILIO_NUMBER": TW_NUMBER,
        "LOTSE_TWILIO_API": platform_url,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
async def lotse(aiohttp_client, monkeypatch, platform, rasa):
    _configure(monkeypatch, str(platform.make_url("")).rstrip("/"))
    return await aiohttp_client(create_app(str(rasa.make_url("")).rstrip("/")))


@pytest.fixture
async def lotse_without_rasa(aiohttp_client, monkeypatch, platform, unused_tcp_port_factory):
    _configure(monkeypatch, str(platform.make_url("")).rstrip("/"))
    return await aiohttp_client(create_app(f"http://127.0.0.1:{unused_tcp_port_factory()}"))


# The platforms' payloads.


def tg_message(message_text, update_id=1, chat_id=4711, language="uk"):
    user = {"id": chat_id, "is_bot": False, "first_name": "Olena", "language_code": language}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 100 + update_id,
            "from": user,
            "chat": {"id": chat_id, "first_name": "Olena", "type": "private"},
            "date": 1700000000,
            "text": message_text,
        },
    }


def tg_press(data, update_id=2, chat_id=4711, keyboard=None):
    user = {"id": chat_id, "is_bot": False, "first_name": "Olena", "language_code": "uk"}
    message = {"message_id": 99, "chat": {"id": chat_id, "type": "private"}, "date": 1700000000, "text": "?"}
    if keyboard is not None:
        message["reply_markup"] = {"inline_keyboard": keyboard}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": user,
            "message": message,
            "chat_instance": "-8291234",
            "data": data,
        },
    }


def fb_event(**event):
    messaging = {"sender": {"id": PSID}, "recipient": {"id": "PAGE_ID"}, "timestamp": 1458692752478, **event}
    return {"object": "page", "entry": [{"id": "PAGE_ID", "time": 1458692752478, "messaging": [messaging]}]}


def wa_params(body, sid="SM0001"):
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Olena",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": PHONE,
        "SmsStatus": "received",
        "Body": body,
        "To": f"whatsapp:{TW_NUMBER}",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TW_SID,
        "From": f"whatsapp:+{PHONE}",
        "ApiVersion": "2010-04-01",
    }


async def tg_post(client, update, secret=TG_SECRET, raw=None):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = raw if raw is not None else json.dumps(update).encode()
    return await client.post("/webhooks/telegram", data=body, headers=headers)


async def fb_post(client, payload=None, raw=None, secret=FB_APP_SECRET, sign=True):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if sign:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers["X-Hub-Signature-256"] = f"sha256={digest}"
    return await client.post("/webhooks/facebook", data=body, headers=headers)


def wa_signature(url, params, token=TW_TOKEN):
    """Twilio's documented algorithm, written out independently of the code under test."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


async def wa_post(client, params, url=PUBLIC_URL + "/webhooks/whatsapp", sign=True):
    headers = {"X-Twilio-Signature": wa_signature(url, params)} if sign else {}
    return await client.post("/webhooks/whatsapp", data=params, headers=headers)


def assert_not_logged(caplog, private):
    records = caplog.records
    assert any("refused" in record.getMessage() for record in records)
    assert all(private not in record.getMessage() for record in records)
    assert private not in caplog.text


# Configuration.


async def test_unconfigured_channels_have_no_routes(aiohttp_client, monkeypatch, caplog):
    for name in ("LOTSE_TELEGRAM_TOKEN", "LOTSE_FACEBOOK_APP_SECRET", "LOTSE_TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOTSE_TELEGRAM_SECRET", "only half of Telegram's settings")
    client = await aiohttp_client(create_app("http://127.0.0.1:9"))
    assert "telegram channel not started: LOTSE_TELEGRAM_TOKEN not set" in caplog.text
    assert "half of" not in caplog.text
    assert (await tg_post(client, tg_message("hi"))).status == 404
    assert (await client.get("/webhooks/facebook")).status == 404
    assert (await client.post("/webhooks/whatsapp", data={"Body": "hi"})).status == 404
    assert OUTBOUND not in client.server.app


# Telegram.


async def test_telegram_message_is_answered_with_an_inline_keyboard(lotse, platform, rasa):
    response = await tg_post(lotse, tg_message("Я медсестра з Харкова"))
    assert response.status == 200
    assert rasa.calls == [
        {"sender": "tg-4711", "message": "Я медсестра з Харкова", "metadata": {"language": "uk"}}
    ]
    [sent] = platform.calls
    assert sent["path"] == f"/bot{TG_TOKEN}/sendMessage"
    assert sent["body"]["chat_id"] == 4711
    assert sent["body"]["text"] == "What would you like to know?"
    keyboard = sent["body"]["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Costs", "Nurse (specialised)"]
    assert keyboard[0][0]["callback_data"] == "/ask_costs"
    assert len(LONG_PAYLOAD.encode()) > 64
    assert len(keyboard[1][0]["callback_data"].encode()) <= 64


async def test_telegram_button_press_sends_the_payload_and_answers_the_query(lotse, platform, rasa):
    await tg_post(lotse, tg_message("hallo", update_id=1))
    short_id = platform.calls[0]["body"]["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    platform.calls.clear()
    assert (await tg_post(lotse, tg_press(short_id, update_id=2))).status == 200
    assert (await tg_post(lotse, tg_press("/ask_costs", update_id=3))).status == 200
    assert [call["message"] for call in rasa.calls[1:]] == [LONG_PAYLOAD, "/ask_costs"]
    paths = [call["path"].rsplit("/", 1)[1] for call in platform.calls]
    assert paths == ["answerCallbackQuery", "sendMessage", "answerCallbackQuery", "sendMessage"]
    assert platform.calls[0]["body"] == {"callback_query_id": "4382bfdwdsb323b2d9"}


async def test_telegram_forgotten_short_id_falls_back_to_the_button_title(lotse, rasa):
    keyboard = [[{"text": "Pflegefachfrau", "callback_data": "~0123456789abcdef"}]]
    assert (await tg_post(lotse, tg_press("~0123456789abcdef", keyboard=keyboard))).status == 200
    assert rasa.calls[0]["message"] == "Pflegefachfrau"


async def test_telegram_start_greets_and_redelivered_updates_are_answered_once(lotse, rasa):
    for _ in range(2):
        assert (await tg_post(lotse, tg_message("/start", update_id=7))).status == 200
    assert [call["message"] for call in rasa.calls] == ["/greet"]


async def test_a_restart_keeps_numbered_choices_payload_ids_and_answered_events(
    aiohttp_client, monkeypatch, platform, rasa
):
    _configure(monkeypatch, str(platform.make_url("")).rstrip("/"))
    before = await aiohttp_client(create_app(str(rasa.make_url("")).rstrip("/")))
    await wa_post(before, wa_params("Hallo", sid="SM1"))
    await tg_post(before, tg_message("hallo", update_id=1))
    short_id = platform.calls[-1]["body"]["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    await before.close()  # the gateway stops; the database stays
    after = await aiohttp_client(create_app(str(rasa.make_url("")).rstrip("/")))
    await wa_post(after, wa_params("2", sid="SM2"))
    await tg_post(after, tg_press(short_id, update_id=2))  # the message's keyboard is not sent along
    await tg_post(after, tg_message("hallo", update_id=1))  # Telegram sends an old update again
    assert [call["message"] for call in rasa.calls] == ["Hallo", "hallo", LONG_PAYLOAD, LONG_PAYLOAD]


async def test_telegram_non_text_updates_are_accepted_and_ignored(lotse, platform, rasa):
    sticker = tg_message("x")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "abc"}
    edited = {"update_id": 9, "edited_message": tg_message("x")["message"]}
    for update in (sticker, edited):
        assert (await tg_post(lotse, update)).status == 200
    assert rasa.calls == [] and platform.calls == []


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TG_SECRET + "x", "ünïcödé"])
async def test_telegram_bad_or_missing_secret_is_refused_without_logging_the_text(
    lotse, platform, rasa, caplog, secret
):
    caplog.set_level(logging.DEBUG)
    response = await tg_post(lotse, tg_message(PRIVATE), secret=secret)
    assert response.status in (401, 403)
    assert rasa.calls == [] and platform.calls == []
    assert_not_logged(caplog, PRIVATE)


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\x00\xff\xfe",
        b"[1, 2]",
        json.dumps({"update_id": 1, "message": {"text": "no chat"}}).encode(),
        json.dumps({"update_id": 1, "message": {"chat": {"id": "4711"}, "text": "id not int"}}).encode(),
        json.dumps({"update_id": 1, "callback_query": {"from": {"id": 1}, "data": "/x"}}).encode(),
    ],
)
async def test_telegram_malformed_update_gets_400(lotse, rasa, raw):
    assert (await tg_post(lotse, None, raw=raw)).status == 400
    assert rasa.calls == []


async def test_telegram_rasa_down_answers_200_and_tells_the_person(lotse_without_rasa, platform):
    response = await tg_post(lotse_without_rasa, tg_message("Привіт", language="uk"))
    assert response.status == 200
    [sent] = platform.calls
    assert sent["body"]["text"] == text("uk", "service_unavailable")
    assert "reply_markup" not in sent["body"]


async def test_platform_api_down_still_answers_200(
    aiohttp_client, monkeypatch, rasa, unused_tcp_port_factory
):
    _configure(monkeypatch, f"http://127.0.0.1:{unused_tcp_port_factory()}")
    client = await aiohttp_client(create_app(str(rasa.make_url("")).rstrip("/")))
    assert (await tg_post(client, tg_message("hallo"))).status == 200
    assert len(rasa.calls) == 1
    app = client.server.app
    with pytest.raises(DeliveryFailed):  # so the desk does not mark a counsellor's reply delivered
        await app[OUTBOUND]["telegram"](app, "tg-4711", "Hallo, hier ist Frau Weber.")


# Facebook Messenger.


async def test_facebook_subscription_check(lotse):
    query = {"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1158201444"}
    ok = await lotse.get("/webhooks/facebook", params=query)
    assert ok.status == 200 and await ok.text() == "1158201444"
    wrong = await lotse.get("/webhooks/facebook", params={**query, "hub.verify_token": "guess"})
    assert wrong.status == 403
    missing = await lotse.get("/webhooks/facebook", params={"hub.challenge": "1"})
    assert missing.status == 400


async def test_facebook_message_is_answered_with_quick_replies(lotse, platform, rasa):
    response = await fb_post(lotse, fb_event(message={"mid": "m_1", "text": "Ich bin Ärztin"}))
    assert response.status == 200
    assert rasa.calls == [{"sender": f"fb-{PSID}", "message": "Ich bin Ärztin", "metadata": {}}]
    [sent] = platform.calls
    assert sent["path"] == "/v19.0/me/messages"
    assert sent["query"] == {"access_token": FB_PAGE_TOKEN}
    assert sent["body"]["recipient"] == {"id": PSID} and sent["body"]["messaging_type"] == "RESPONSE"
    message = sent["body"]["message"]
    assert message["text"] == "What would you like to know?"
    assert message["quick_replies"] == [
        {"content_type": "text", "title": "Costs", "payload": "/ask_costs"},
        {"content_type": "text", "title": "Nurse (specialised)", "payload": LONG_PAYLOAD},
    ]


async def test_facebook_quick_reply_and_postback_send_their_payloads(lotse, rasa):
    tap = {"mid": "m_2", "text": "Costs", "quick_reply": {"payload": "/ask_costs"}}
    assert (await fb_post(lotse, fb_event(message=tap))).status == 200
    postback = {"mid": "m_3", "title": "Get Started", "payload": "/greet"}
    assert (await fb_post(lotse, fb_event(postback=postback))).status == 200
    assert [call["message"] for call in rasa.calls] == ["/ask_costs", "/greet"]


async def test_facebook_long_titles_are_numbered_and_a_typed_number_counts(lotse, platform, rasa):
    rasa.app["answer"] = LONG_TITLES
    await fb_post(lotse, fb_event(message={"mid": "m_4", "text": "Ingenieur"}))
    message = platform.calls[0]["body"]["message"]
    assert message["text"].endswith(
        "1. Ingenieurin / Ingenieur (Maschinenbau)\n2. Ingenieurin / Ingenieur (Elektrotechnik)"
    )
    titles = [reply["title"] for reply in message["quick_replies"]]
    assert all(len(title) <= 20 for title in titles) and titles[1].startswith("2. ")
    await fb_post(lotse, fb_event(message={"mid": "m_5", "text": "2"}))
    assert rasa.calls[1]["message"] == '/inform{"profession": "ee"}'


async def test_facebook_echoes_and_deliveries_are_ignored(lotse, platform, rasa):
    echo = fb_event(message={"mid": "m_6", "text": "bot said", "is_echo": True})
    delivery = fb_event(delivery={"mids": ["m_1"], "watermark": 1458668856253})
    for payload in (echo, delivery):
        assert (await fb_post(lotse, payload)).status == 200
    assert rasa.calls == [] and platform.calls == []


@pytest.mark.parametrize(("secret", "sign"), [(FB_APP_SECRET, False), ("not-the-app-secret", True)])
async def test_facebook_bad_or_missing_signature_is_refused(lotse, rasa, caplog, secret, sign):
    caplog.set_level(logging.DEBUG)
    response = await fb_post(
        lotse, fb_event(message={"mid": "m_7", "text": PRIVATE}), secret=secret, sign=sign
    )
    assert response.status in (401, 403)
    assert rasa.calls == []
    assert_not_logged(caplog, PRIVATE)


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b'"a string"',
        b'{"object": "page"}',
        b'{"object": "page", "entry": [{"messaging": {"not": "a list"}}]}',
        b'{"object": "page", "entry": [{"messaging": [{"message": {"text": "no sender"}}]}]}',
    ],
)
async def test_facebook_malformed_payload_gets_400(lotse, rasa, raw):
    assert (await fb_post(lotse, raw=raw)).status == 400
    assert rasa.calls == []


async def test_facebook_rasa_down_answers_200_and_tells_the_person(lotse_without_rasa, platform):
    response = await fb_post(lotse_without_rasa, fb_event(message={"mid": "m_8", "text": "hallo"}))
    assert response.status == 200
    assert platform.calls[0]["body"]["message"] == {"text": text("de", "service_unavailable")}


# WhatsApp through Twilio.


def test_twilio_signature_matches_twilios_documented_example():
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params.items()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


async def test_whatsapp_buttons_become_a_numbered_list_and_numbers_map_back(lotse, platform, rasa):
    response = await wa_post(lotse, wa_params("Hallo", sid="SM1"))
    assert response.status == 200
    assert "<Response>" in await response.text()
    [sent] = platform.calls
    assert sent["path"] == f"/2010-04-01/Accounts/{TW_SID}/Messages.json"
    expected_auth = "Basic " + base64.b64encode(f"{TW_SID}:{TW_TOKEN}".encode()).decode()
    assert sent["authorization"] == expected_auth
    assert sent["body"] == {
        "From": f"whatsapp:{TW_NUMBER}",
        "To": f"whatsapp:+{PHONE}",
        "Body": "What would you like to know?\n\n1. Costs\n2. Nurse (specialised)",
    }
    await wa_post(lotse, wa_params(" 2 ", sid="SM2"))
    await wa_post(lotse, wa_params("١", sid="SM3"))  # Arabic-Indic digit one
    await wa_post(lotse, wa_params("7", sid="SM4"))  # not a choice: sent as typed
    assert [call["message"] for call in rasa.calls] == ["Hallo", LONG_PAYLOAD, "/ask_costs", "7"]
    assert {call["sender"] for call in rasa.calls} == {f"wa-{PHONE}"}


async def test_whatsapp_numbers_are_forgotten_after_a_reply_without_buttons(lotse, rasa):
    await wa_post(lotse, wa_params("Hallo", sid="SM1"))
    rasa.app["answer"] = [{"recipient_id": "x", "text": "How old is your diploma, in years?"}]
    await wa_post(lotse, wa_params("cost?", sid="SM2"))
    await wa_post(lotse, wa_params("2", sid="SM3"))
    assert rasa.calls[-1]["message"] == "2"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/webhooks/whatsapp",  # the host the gateway sees, not the public one
        PUBLIC_URL + "/webhooks/whatsapp?tampered=1",
    ],
)
async def test_whatsapp_bad_signature_is_refused(lotse, rasa, caplog, url):
    caplog.set_level(logging.DEBUG)
    response = await wa_post(lotse, wa_params(PRIVATE), url=url)
    assert response.status in (401, 403)
    assert rasa.calls == []
    assert_not_logged(caplog, PRIVATE)


async def test_whatsapp_missing_signature_is_refused(lotse, rasa, caplog):
    caplog.set_level(logging.DEBUG)
    assert (await wa_post(lotse, wa_params(PRIVATE), sign=False)).status in (401, 403)
    assert rasa.calls == []
    assert_not_logged(caplog, PRIVATE)


async def test_whatsapp_signed_but_malformed_form_gets_400(lotse, rasa):
    params = wa_params("hi")
    del params["From"]
    assert (await wa_post(lotse, params)).status == 400
    sms = {**wa_params("hi"), "From": "+4917612345678"}
    assert (await wa_post(lotse, sms)).status == 400
    assert rasa.calls == []


async def test_whatsapp_rasa_down_answers_200_and_tells_the_person(lotse_without_rasa, platform):
    response = await wa_post(lotse_without_rasa, wa_params("hallo"))
    assert response.status == 200
    assert platform.calls[0]["body"]["Body"] == text("de", "service_unavailable")


async def test_unavailable_notice_is_in_the_conversations_language(lotse, platform, rasa):
    rasa.app["answer"] = [{"recipient_id": "x", "text": "Добрий день!"}, {"custom": {"language": "uk"}}]
    await wa_post(lotse, wa_params("Добрий день", sid="SM1"))
    rasa.app["status"] = 500  # Rasa fails from now on
    assert (await wa_post(lotse, wa_params("а скільки коштує?", sid="SM2"))).status == 200
    assert platform.calls[-1]["body"]["Body"] == text("uk", "service_unavailable")


# Shared parts.


async def test_outbound_senders_push_a_counsellors_reply(lotse, platform):
    app = lotse.server.app
    assert set(app[OUTBOUND]) == {"telegram", "facebook", "whatsapp"}
    await fb_post(lotse, fb_event(message={"mid": "m_1", "text": "Hallo"}))
    await wa_post(lotse, wa_params("Hallo", sid="SM1"))
    platform.calls.clear()
    await app[OUTBOUND]["telegram"](app, "tg-4711", "Hallo, hier ist Frau Weber.")
    await app[OUTBOUND]["facebook"](app, f"fb-{PSID}", "Hallo, hier ist Frau Weber.")
    await app[OUTBOUND]["whatsapp"](app, f"wa-{PHONE}", "Hallo, hier ist Frau Weber.")
    assert platform.calls[0]["body"] == {"chat_id": 4711, "text": "Hallo, hier ist Frau Weber."}
    assert platform.calls[1]["body"]["message"] == {"text": "Hallo, hier ist Frau Weber."}
    assert platform.calls[1]["body"]["messaging_type"] == "RESPONSE"
    assert platform.calls[2]["body"]["To"] == f"whatsapp:+{PHONE}"
    with pytest.raises(ValueError):
        await app[OUTBOUND]["telegram"](app, f"fb-{PSID}", "wrong channel")


def _later(app, **delta):
    """Let the gateway's clock run ``delta`` ahead of now."""
    app[CLOCK] = lambda: datetime.now(timezone.utc) + timedelta(**delta)


async def test_messenger_counsellor_reply_after_24_hours_is_a_tagged_human_agent_message(lotse, platform):
    app = lotse.server.app
    with pytest.raises(OutsideWindow):  # the person never wrote: Messenger allows no message
        await app[OUTBOUND]["facebook"](app, f"fb-{PSID}", "Hallo?")
    await fb_post(lotse, fb_event(message={"mid": "m_1", "text": "Hallo"}))
    platform.calls.clear()
    _later(app, hours=30)
    await app[OUTBOUND]["facebook"](app, f"fb-{PSID}", "Entschuldigung, ich melde mich erst jetzt.")
    [sent] = platform.calls
    assert sent["body"]["messaging_type"] == "MESSAGE_TAG" and sent["body"]["tag"] == "HUMAN_AGENT"
    _later(app, days=7, minutes=1)
    with pytest.raises(OutsideWindow):
        await app[OUTBOUND]["facebook"](app, f"fb-{PSID}", "Sind Sie noch da?")
    assert len(platform.calls) == 1


async def test_whatsapp_counsellor_reply_after_24_hours_waits_for_the_person(lotse, platform):
    app = lotse.server.app
    await wa_post(lotse, wa_params("Hallo", sid="SM1"))
    platform.calls.clear()
    _later(app, hours=25)
    with pytest.raises(OutsideWindow):
        await app[OUTBOUND]["whatsapp"](app, f"wa-{PHONE}", "Hallo, hier ist Frau Weber.")
    assert platform.calls == []


async def test_a_counsellor_reply_that_waited_goes_out_when_the_person_writes_again(lotse, platform):
    app = lotse.server.app
    store = app[STORE]
    conversation = f"wa-{PHONE}"
    await wa_post(lotse, wa_params("Hallo", sid="SM1"))
    waiting = store.add_message(conversation, "whatsapp", COUNSELLOR, "Hier ist Frau Weber, IQ Leipzig.")
    platform.calls.clear()
    await wa_post(lotse, wa_params("Sind Sie da?", sid="SM2"))
    bodies = [call["body"]["Body"] for call in platform.calls]
    assert bodies[0] == "Hier ist Frau Weber, IQ Leipzig."  # first the counsellor's, then the answer
    assert store.undelivered_to_person(conversation, "whatsapp") == []
    assert [m.delivered for m in store.conversation(conversation) if m.id == waiting.id] == [True]


def test_long_texts_are_split_within_the_limit_and_buttons_go_last():
    paragraph = "Wort " * 150
    messages = [{"text": f"{paragraph}\n\n{paragraph}", "buttons": [{"title": "A", "payload": "/a"}]}]
    pieces = plan(messages, 1000, numbered=True)
    assert len(pieces) == 2
    assert all(len(piece.text) <= 1000 for piece in pieces)
    assert pieces[0].buttons == () and pieces[1].text.endswith("1. A")
    assert [b.payload for b in pieces[1].buttons] == ["/a"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
