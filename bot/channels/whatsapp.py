"""WhatsApp through Twilio: ``POST /webhooks/whatsapp`` (form-encoded, Twilio's messaging webhook).

Every request must carry ``X-Twilio-Signature``: base64 of HMAC-SHA1, keyed with the
auth token, over the public URL Twilio called (``LOTSE_PUBLIC_URL`` + path and query,
since behind a proxy the gateway sees another host) followed by every POST parameter,
sorted, as key + value.

A message from ``whatsapp:+N`` is answered in the conversation ``wa-N`` through
Twilio's Messages API. WhatsApp through Twilio has no free-form buttons, so they are
listed by number at the end of the text, and a reply that is just such a number
(in any script's digits) is taken as that button's payload. A counsellor's reply more than
24 hours after the person's last message (WhatsApp's customer service window) is kept and
sent when the person writes again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import timedelta
from typing import Iterable, List, Optional, Sequence, Tuple
from urllib.parse import parse_qsl

from aiohttp import BasicAuth, web

from bot.channels.common import (
    PUBLIC_URL_VARIABLE,
    Button,
    Channel,
    Incoming,
    MalformedPayload,
    Outgoing,
    same_secret,
)

SIGNATURE_HEADER = "X-Twilio-Signature"
WHATSAPP = "whatsapp:"
PHONE_DIGITS = re.compile(r"[0-9]{4,20}")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signature(auth_token: str, url: str, params: Iterable[Tuple[str, str]]) -> str:
    """The ``X-Twilio-Signature`` Twilio sends for a POST of ``params`` to ``url``."""
    signed = url + "".join(key + value for key, value in sorted(params))
    digest = hmac.new(auth_token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _form(body: bytes) -> List[Tuple[str, str]]:
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError as error:
        raise MalformedPayload("form not UTF-8") from error


class WhatsAppChannel(Channel):
    name = "whatsapp"
    prefix = "wa-"
    required = (
        "LOTSE_TWILIO_ACCOUNT_SID",
        "LOTSE_TWILIO_AUTH_TOKEN",
        "LOTSE_TWILIO_NUMBER",
        PUBLIC_URL_VARIABLE,
    )
    api_variable = "LOTSE_TWILIO_API"
    api_default = "https://api.twilio.com"
    text_limit = 1600
    #: WhatsApp's customer service window: later, only pre-approved templates (Lotse has none).
    window = timedelta(hours=24)

    def routes(self) -> List[web.RouteDef]:
        return [web.post("/webhooks/whatsapp", self.webhook)]

    async def verify(self, request: web.Request, body: bytes) -> Optional[str]:
        given = request.headers.get(SIGNATURE_HEADER)
        if given is None:
            return "signature missing"
        try:
            params = _form(body)
        except MalformedPayload:
            return "form not UTF-8"
        expected = signature(
            self.settings["LOTSE_TWILIO_AUTH_TOKEN"], f"{self.public_url}{request.raw_path}", params
        )
        return None if same_secret(given, expected) else "signature wrong"

    def parse(self, body: bytes) -> List[Incoming]:
        params = dict(_form(body))
        sender = params.get("From", "")
        digits = sender[len(WHATSAPP) :].lstrip("+")
        if not sender.startswith(WHATSAPP) or not PHONE_DIGITS.fullmatch(digits):
            raise MalformedPayload("From is not a WhatsApp number")
        payload = params.get("ButtonPayload")  # Twilio's field for a tapped template button
        text = payload or params.get("Body", "")
        sid = params.get("MessageSid")
        return [Incoming(digits, text, None, f"sid-{sid}" if sid else None, pressed=bool(payload))]

    def numbered(self, buttons: Sequence[Button]) -> bool:
        return True

    def accepted(self) -> web.Response:
        """An empty TwiML answer: Twilio sends nothing itself, the reply goes through the API."""
        return web.Response(text=EMPTY_TWIML, content_type="text/xml")

    async def deliver(self, app: web.Application, address: str, messages: Sequence[Outgoing]) -> bool:
        sid = self.settings["LOTSE_TWILIO_ACCOUNT_SID"]
        number = self.settings["LOTSE_TWILIO_NUMBER"].removeprefix(WHATSAPP)
        for message in messages:
            if not await self.call_api(
                app,
                f"{self.api}/2010-04-01/Accounts/{sid}/Messages.json",
                auth=BasicAuth(sid, self.settings["LOTSE_TWILIO_AUTH_TOKEN"]),
                data={"From": WHATSAPP + number, "To": f"{WHATSAPP}+{address}", "Body": message.text},
            ):
                return False
        return True
