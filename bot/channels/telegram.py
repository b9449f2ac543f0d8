"""Telegram (Bot API webhook): ``POST /webhooks/telegram``.

Set up with ``setWebhook(url=<LOTSE_PUBLIC_URL>/webhooks/telegram,
secret_token=<LOTSE_TELEGRAM_SECRET>)``: Telegram then sends the secret in the
``X-Telegram-Bot-Api-Secret-Token`` header of every update, which is checked here.

A text message or a button press (callback query) of chat ``C`` is answered in the
conversation ``tg-C``, in the user's ``language_code``, with ``sendMessage``; the
buttons become an inline keyboard whose ``callback_data`` is the payload. A payload
over Telegram's 64-byte limit is sent as a short id and mapped back from memory (or,
after a restart, from the pressed button's title). Button presses are confirmed
with ``answerCallbackQuery``; ``/start`` greets.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Dict, List, Optional, Sequence, Union

from aiohttp import web

from bot.channels.common import (
    Channel,
    Incoming,
    MalformedPayload,
    Outgoing,
    expect,
    json_object,
    same_secret,
)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_DATA_BYTES = 64
#: First character of a short id standing for a long payload (Rasa payloads start with "/").
SHORT_ID_MARK = "~"
#: Channel memory kind: short id -> a payload too long for ``callback_data``.
PAYLOAD_MEMORY = "payload"
START_COMMAND = re.compile(r"^/start(@\w+)?(\s|$)")


def _language(user: Any) -> Optional[str]:
    """The primary subtag of a Telegram user's ``language_code`` ("pt-br" -> "pt"), if any."""
    code = user.get("language_code") if isinstance(user, dict) else None
    return code.split("-")[0].lower() if isinstance(code, str) and code else None


def _chat_id(address: str) -> Union[int, str]:
    return int(address) if address.lstrip("-").isdigit() else address


class TelegramChannel(Channel):
    name = "telegram"
    prefix = "tg-"
    required = ("LOTSE_TELEGRAM_TOKEN", "LOTSE_TELEGRAM_SECRET")
    api_variable = "LOTSE_TELEGRAM_API"
    api_default = "https://api.telegram.org"
    text_limit = 4096

    def routes(self) -> List[web.RouteDef]:
        return [web.post("/webhooks/telegram", self.webhook)]

    def _method(self, name: str) -> str:
        return f"{self.api}/bot{self.settings['LOTSE_TELEGRAM_TOKEN']}/{name}"

    async def verify(self, request: web.Request, body: bytes) -> Optional[str]:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return "secret token missing"
        return None if same_secret(given, self.settings["LOTSE_TELEGRAM_SECRET"]) else "secret token wrong"

    def parse(self, body: bytes) -> List[Incoming]:
        update = json_object(body)
        update_id = update.get("update_id")
        event_id = f"update-{update_id}" if isinstance(update_id, int) else None
        if "callback_query" in update:
            return [self._button_press(expect(update, "callback_query", dict, "update"), event_id)]
        if "message" not in update:
            return []  # edited messages, channel posts, member updates: nothing to answer
        message = expect(update, "message", dict, "update")
        chat_id = expect(expect(message, "chat", dict, "message"), "id", int, "message.chat")
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            return []  # stickers, photos, voice: Lotse reads text only
        if START_COMMAND.match(text):
            text = "/greet"
        return [Incoming(str(chat_id), text, _language(message.get("from")), event_id)]

    def _button_press(self, query: Dict[str, Any], event_id: Optional[str]) -> Incoming:
        query_id = expect(query, "id", str, "callback_query")
        user = expect(query, "from", dict, "callback_query")
        message = query.get("message")
        if isinstance(message, dict):
            chat_id = expect(expect(message, "chat", dict, "callback_query.message"), "id", int, "chat")
        else:
            chat_id = expect(user, "id", int, "callback_query.from")
        data = query.get("data")
        if data is not None and not isinstance(data, str):
            raise MalformedPayload("callback_query.data not str")
        payload = self._payload(data, message) if data else ""
        return Incoming(str(chat_id), payload, _language(user), event_id, pressed=True, receipt=query_id)

    def _payload(self, data: str, message: Any) -> str:
        """The payload behind ``callback_data`` (the button title if a short id was forgotten, else "")."""
        if not data.startswith(SHORT_ID_MARK):
            return data
        known = self.memory.recall(PAYLOAD_MEMORY, data)
        if isinstance(known, str):
            return known
        markup = message.get("reply_markup") if isinstance(message, dict) else None
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        for row in rows if isinstance(rows, list) else []:
            for button in row if isinstance(row, list) else []:
                if isinstance(button, dict) and button.get("callback_data") == data:
                    return str(button.get("text", ""))
        return ""

    def callback_data(self, payload: str) -> str:
        """``payload`` itself if it fits in 64 bytes, else a short id remembered for it."""
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_BYTES and not payload.startswith(SHORT_ID_MARK):
            return payload
        short = SHORT_ID_MARK + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        self.memory.remember(PAYLOAD_MEMORY, short, payload)
        return short

    async def acknowledge(self, app: web.Application, incoming: Incoming) -> None:
        if incoming.receipt is not None:
            await self.call_api(
                app, self._method("answerCallbackQuery"), json={"callback_query_id": incoming.receipt}
            )

    async def deliver(self, app: web.Application, address: str, messages: Sequence[Outgoing]) -> bool:
        for message in messages:
            body: Dict[str, Any] = {"chat_id": _chat_id(address), "text": message.text}
            if message.buttons:
                keyboard = [
                    [{"text": button.title, "callback_data": self.callback_data(button.payload)}]
                    for button in message.buttons
                ]
                body["reply_markup"] = {"inline_keyboard": keyboard}
            if not await self.call_api(app, self._method("sendMessage"), json=body):
                return False
        return True
