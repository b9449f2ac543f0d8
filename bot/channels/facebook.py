"""Facebook Messenger (Graph API webhook): ``GET`` and ``POST /webhooks/facebook``.

``GET`` is Meta's subscription check: with ``hub.mode=subscribe`` and the configured
``hub.verify_token`` it answers ``hub.challenge``, else 403. Every ``POST`` must carry
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``.

Text messages, quick-reply taps and postbacks of the person with page-scoped id
``P`` are answered in the conversation ``fb-P`` through ``POST {api}/me/messages``.
Buttons become quick replies (at most 13, titles at most 20 characters); when a
reply has more buttons or longer titles, they are also listed by number in the
text, the quick replies are titled by number, and a typed number counts as a tap.
Echoes, deliveries and reads are ignored.

Messenger's 24-hour window: a message more than 24 hours after the person's last one
is allowed only with a tag. A counsellor's reply within 7 days carries ``HUMAN_AGENT``;
a later one is kept and sent when the person writes again.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any, Dict, List, Optional, Sequence

from aiohttp import web

from bot.channels.common import (
    Button,
    Channel,
    Incoming,
    MalformedPayload,
    Outgoing,
    expect,
    json_object,
    same_secret,
)

SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_QUICK_REPLIES = 13
MAX_TITLE_CHARS = 20
#: Messenger's standard messaging window after the person's last message, and the longer one
#: in which a human agent may still answer with the HUMAN_AGENT tag (7 days in all).
STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7) - STANDARD_WINDOW


def signature(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body``."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def shorten(title: str, limit: int = MAX_TITLE_CHARS) -> str:
    """``title`` cut to ``limit`` characters, ending in "…" when cut."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _messaging_type(message: Outgoing) -> Dict[str, str]:
    """A reply within 24 hours is a RESPONSE; a counsellor's later one carries the HUMAN_AGENT tag."""
    if message.human_agent:
        return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    return {"messaging_type": "RESPONSE"}


class FacebookChannel(Channel):
    name = "facebook"
    prefix = "fb-"
    required = ("LOTSE_FACEBOOK_APP_SECRET", "LOTSE_FACEBOOK_VERIFY_TOKEN", "LOTSE_FACEBOOK_PAGE_TOKEN")
    api_variable = "LOTSE_FACEBOOK_API"
    api_default = "https://graph.facebook.com/v19.0"
    text_limit = 2000
    window = STANDARD_WINDOW
    human_agent_window = HUMAN_AGENT_WINDOW

    def routes(self) -> List[web.RouteDef]:
        return [web.get("/webhooks/facebook", self.subscribe), web.post("/webhooks/facebook", self.webhook)]

    async def subscribe(self, request: web.Request) -> web.Response:
        """Meta's verification request: echo ``hub.challenge`` if the verify token matches."""
        mode, challenge = request.query.get("hub.mode"), request.query.get("hub.challenge")
        if mode != "subscribe" or challenge is None:
            return web.json_response({"error": "bad request"}, status=400)
        token = request.query.get("hub.verify_token")
        if not same_secret(token, self.settings["LOTSE_FACEBOOK_VERIFY_TOKEN"]):
            self.refused(request, "verify token wrong or missing")
            return web.json_response({"error": "forbidden"}, status=403)
        return web.Response(text=challenge)

    async def verify(self, request: web.Request, body: bytes) -> Optional[str]:
        given = request.headers.get(SIGNATURE_HEADER)
        if given is None:
            return "signature missing"
        expected = signature(self.settings["LOTSE_FACEBOOK_APP_SECRET"], body)
        return None if same_secret(given, expected) else "signature wrong"

    def parse(self, body: bytes) -> List[Incoming]:
        incoming = []
        for entry in expect(json_object(body), "entry", list, "body"):
            events = entry.get("messaging", []) if isinstance(entry, dict) else None
            if not isinstance(events, list):
                raise MalformedPayload("entry.messaging not a list")
            incoming += [found for found in map(self._event, events) if found is not None]
        return incoming

    def _event(self, event: Any) -> Optional[Incoming]:
        if not isinstance(event, dict):
            raise MalformedPayload("messaging event not an object")
        message, postback = event.get("message"), event.get("postback")
        if message is None and postback is None:
            return None  # deliveries, reads, reactions
        psid = expect(expect(event, "sender", dict, "messaging"), "id", str, "messaging.sender")
        if isinstance(message, dict):
            if message.get("is_echo"):
                return None
            quick = message.get("quick_reply")
            payload = quick.get("payload") if isinstance(quick, dict) else None
            typed = message.get("text")
            text, pressed = (payload, True) if isinstance(payload, str) else (typed, False)
            event_id = message.get("mid")
        elif isinstance(postback, dict):
            text, pressed, event_id = postback.get("payload"), True, postback.get("mid")
        else:
            raise MalformedPayload("message or postback not an object")
        text = text if isinstance(text, str) else ""  # attachments only: nothing to answer
        event_id = f"mid-{event_id}" if isinstance(event_id, str) else None
        return Incoming(psid, text, None, event_id, pressed=pressed)

    def numbered(self, buttons: Sequence[Button]) -> bool:
        too_long = any(len(button.title) > MAX_TITLE_CHARS for button in buttons)
        return too_long or len(buttons) > MAX_QUICK_REPLIES

    async def deliver(self, app: web.Application, address: str, messages: Sequence[Outgoing]) -> bool:
        for message in messages:
            body: Dict[str, Any] = {"text": message.text}
            if message.buttons:
                numbered = self.numbered(message.buttons)
                body["quick_replies"] = [
                    {
                        "content_type": "text",
                        "title": shorten(f"{number}. {button.title}" if numbered else button.title),
                        "payload": button.payload,
                    }
                    for number, button in enumerate(message.buttons[:MAX_QUICK_REPLIES], start=1)
                ]
            if not await self.call_api(
                app,
                f"{self.api}/me/messages",
                params={"access_token": self.settings["LOTSE_FACEBOOK_PAGE_TOKEN"]},
                json={"recipient": {"id": address}, **_messaging_type(message), "message": body},
            ):
                return False
        return True
