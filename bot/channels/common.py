"""What the messenger channels share: the webhook flow, turning a reply into messages, small memories.

The small memories (numbered choices shown, the latest language, long button payloads,
event ids seen) live in the gateway's store (:class:`ChannelMemory`), so that a restart
of the gateway keeps them.

A platform module subclasses :class:`Channel` and supplies four things: how a
request is authenticated (:meth:`Channel.verify`), how its payload becomes
:class:`Incoming` messages (:meth:`Channel.parse`), how :class:`Outgoing`
messages are delivered (:meth:`Channel.deliver`) and its routes.

Contracts every channel keeps, enforced here:
- a person's message text is never logged, nor the platform tokens;
- a request that fails authentication gets 403; a malformed payload gets 400;
- everything else gets 200, also when Rasa or the platform's API is down (so the
  platform does not retry forever); when Rasa is down the person gets the
  localized ``service_unavailable`` text;
- every message goes through :func:`bot.gateway.conversations.converse`.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple

from aiohttp import ClientError, web

from bot.gateway.conversations import HTTP, STORE, converse, now
from bot.gateway.outbound import DeliveryFailed, OutsideWindow
from bot.gateway.relay import RasaUnavailable
from bot.texts import text as localized

logger = logging.getLogger(__name__)

#: The gateway's public address (shared by all channels, so it alone does not start one).
PUBLIC_URL_VARIABLE = "LOTSE_PUBLIC_URL"
#: Kinds of channel memory: payloads of the buttons last shown as a numbered list (by conversation),
#: the language of the conversation's latest reply, and platform event ids already answered.
CHOICES_MEMORY, LANGUAGE_MEMORY, SEEN_MEMORY = "choices", "language", "seen"


class MalformedPayload(ValueError):
    """The platform's payload does not have the documented shape; the message names the field."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Incoming:
    """One event from a person: ``address`` is the platform's id for the chat (chat id, PSID, number).

    An empty ``text`` is only acknowledged, not answered.
    """

    address: str
    text: str
    language: Optional[str] = None
    #: The platform's id of this event, to ignore redelivered duplicates (None: not deduplicated).
    event_id: Optional[str] = None
    #: Whether ``text`` is a button's payload (never read as a number choice).
    pressed: bool = False
    #: A platform receipt to acknowledge (Telegram's callback query id).
    receipt: Optional[str] = None


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its text (within the platform's limit) and the buttons shown with it."""

    text: str
    buttons: Tuple[Button, ...] = ()
    #: A counsellor's message sent after the platform's standard window (Messenger's HUMAN_AGENT tag).
    human_agent: bool = False


class ChannelMemory:
    """One channel's memories in the gateway's store (``app[STORE]``, looked up on each use).

    ``kind`` is one of the ``*_MEMORY`` names; values are JSON. Memories keyed by a
    conversation id go when the person deletes their data; all go after the retention period.
    """

    def __init__(self, app: web.Application, channel: str) -> None:
        self.app, self.channel = app, channel

    def recall(self, kind: str, key: str) -> Any:
        return self.app[STORE].recall(self.channel, kind, key)

    def remember(self, kind: str, key: str, value: Any) -> None:
        self.app[STORE].remember(self.channel, kind, key, value)

    def forget(self, kind: str, key: str) -> None:
        self.app[STORE].forget(self.channel, kind, key)


def same_secret(given: Optional[str], expected: str) -> bool:
    """Constant-time comparison of a secret from a request with the configured one; None never matches."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def buttons_of(messages: Sequence[Dict[str, Any]]) -> List[Button]:
    """All well-formed buttons of a reply's messages, in order."""
    return [
        Button(str(button["title"]), str(button["payload"]))
        for message in messages
        for button in message.get("buttons") or []
        if isinstance(button, dict) and button.get("title") and button.get("payload")
    ]


def numbered_list(buttons: Sequence[Button]) -> str:
    """``1. title`` lines, for platforms where a person answers a choice by typing its number."""
    return "\n".join(f"{number}. {button.title}" for number, button in enumerate(buttons, start=1))


def split_text(text: str, limit: int) -> List[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at a paragraph, line or word if possible."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(separator, 0, limit) for separator in ("\n\n", "\n", " "))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text.strip() else pieces


def plan(messages: Sequence[Dict[str, Any]], limit: int, numbered: bool) -> List[Outgoing]:
    """A reply's messages as texts of at most ``limit`` characters, all buttons on the last one.

    With ``numbered``, the buttons are also listed as ``1. title`` lines at the end
    of the last text. Messages without text are skipped; so are buttons when the
    reply has no text at all (Lotse's actions always send buttons with a text).
    """
    texts = [m["text"] for m in messages if isinstance(m.get("text"), str) and m["text"].strip()]
    buttons = buttons_of(messages)
    if numbered and buttons and texts:
        texts[-1] = f"{texts[-1]}\n\n{numbered_list(buttons)}"
    pieces = [piece for t in texts for piece in split_text(t, limit)]
    outgoing = [Outgoing(piece) for piece in pieces]
    if outgoing and buttons:
        outgoing[-1] = Outgoing(outgoing[-1].text, tuple(buttons))
    return outgoing


class Channel:
    """One messenger platform's webhook and sender; subclasses set the class attributes below.

    The conversation id of a person is ``prefix + address``; :meth:`push` takes
    such an id, so it can serve as the channel's outbound sender.
    """

    name: ClassVar[str]
    prefix: ClassVar[str]
    #: Environment variables that must all be set for the channel to be registered.
    required: ClassVar[Tuple[str, ...]]
    #: Environment variable with the platform API's base address, and its default.
    api_variable: ClassVar[str]
    api_default: ClassVar[str]
    #: The platform's maximum text length of one message.
    text_limit: ClassVar[int]
    #: How long after the person's last message the platform lets us write freely (None: always).
    window: ClassVar[Optional[timedelta]] = None
    #: How long a counsellor may still write, as a human agent, after ``window`` (None: not at all).
    human_agent_window: ClassVar[Optional[timedelta]] = None

    def __init__(
        self, settings: Mapping[str, str], api: str, public_url: Optional[str], memory: ChannelMemory
    ) -> None:
        self.settings = dict(settings)
        self.api = api.rstrip("/")
        self.public_url = public_url
        self.memory = memory

    @classmethod
    def from_env(cls, app: web.Application, environ: Mapping[str, str]) -> Optional[Channel]:
        """The channel configured from ``environ``, or None (logged) if a required variable is missing."""
        values = {name: environ.get(name, "").strip() for name in cls.required}
        missing = [name for name, value in values.items() if not value]
        if missing:
            if any(value for name, value in values.items() if name != PUBLIC_URL_VARIABLE):
                logger.warning("%s channel not started: %s not set", cls.name, ", ".join(missing))
            return None
        public_url = environ.get(PUBLIC_URL_VARIABLE, "").strip().rstrip("/") or None
        api = environ.get(cls.api_variable, "").strip() or cls.api_default
        return cls(values, api, public_url, ChannelMemory(app, cls.name))

    # What each platform supplies.

    def routes(self) -> List[web.RouteDef]:
        raise NotImplementedError

    async def verify(self, request: web.Request, body: bytes) -> Optional[str]:
        """None if the request is authentic, else why not (logged; never the body)."""
        raise NotImplementedError

    def parse(self, body: bytes) -> List[Incoming]:
        """The people's messages in an authentic payload; raise MalformedPayload if it is not one."""
        raise NotImplementedError

    async def deliver(self, app: web.Application, address: str, messages: Sequence[Outgoing]) -> bool:
        """Send ``messages`` to ``address`` through the platform's API; whether all were accepted.

        Never raises; a failure is logged by status only (see :meth:`call_api`).
        """
        raise NotImplementedError

    def numbered(self, buttons: Sequence[Button]) -> bool:
        """Whether the buttons are also shown as a numbered list (and typed numbers accepted)."""
        return False

    def accepted(self) -> web.Response:
        """The 200 answer to an accepted webhook call."""
        return web.json_response({"ok": True})

    async def acknowledge(self, app: web.Application, incoming: Incoming) -> None:
        """Confirm ``incoming.receipt`` to the platform, where it needs that (before answering)."""

    # The shared flow.

    async def webhook(self, request: web.Request) -> web.Response:
        """POST handler: authenticate (403), parse (400), answer each new message, then 200."""
        body = await request.read()
        problem = await self.verify(request, body)
        if problem is not None:
            self.refused(request, problem)
            return web.json_response({"error": "forbidden"}, status=403)
        try:
            incoming = self.parse(body)
        except MalformedPayload as error:
            logger.warning("%s webhook: malformed payload (%s)", self.name, error)
            return web.json_response({"error": "bad request"}, status=400)
        for message in incoming:
            if message.event_id is not None:
                if self.memory.recall(SEEN_MEMORY, message.event_id):
                    continue
                self.memory.remember(SEEN_MEMORY, message.event_id, True)
            await self.acknowledge(request.app, message)
            if message.text.strip():
                await self.answer(request.app, message, self.base_url(request))
        return self.accepted()

    def refused(self, request: web.Request, problem: str) -> None:
        """Log a refused request: the reason and the peer, never the body or the secret."""
        logger.warning("%s webhook refused: %s (from %s)", self.name, problem, request.remote)

    def base_url(self, request: web.Request) -> str:
        """Where people reach the gateway (LOTSE_PUBLIC_URL, else the request's own address)."""
        return self.public_url or f"{request.scheme}://{request.host}"

    async def answer(self, app: web.Application, incoming: Incoming, base_url: str) -> None:
        """Converse and deliver the reply, or the unavailable notice when Rasa cannot answer.

        The notice is in the conversation's latest language, else the one the platform
        reports, else the default language.
        """
        conversation_id = self.prefix + incoming.address
        message = incoming.text if incoming.pressed else self.chosen(conversation_id, incoming.text)
        try:
            reply = await converse(app, self.name, conversation_id, message, incoming.language)
            await self.send_pending(app, conversation_id)
        except RasaUnavailable:
            logger.warning("%s: Rasa unavailable, sending the notice", self.name)
            language = self.memory.recall(LANGUAGE_MEMORY, conversation_id) or incoming.language or ""
            notice = localized(language, "service_unavailable")
            messages: List[Dict[str, Any]] = [{"text": notice, "buttons": []}]
        else:
            self.memory.remember(LANGUAGE_MEMORY, conversation_id, reply.language)
            messages = reply.with_roadmap_link(base_url)
        await self.deliver(app, incoming.address, self.render(conversation_id, messages))

    async def push(self, app: web.Application, conversation_id: str, text: str) -> None:
        """Send ``text`` (e.g. a counsellor's reply) to the person of ``conversation_id``.

        This is the channel's sender in the outbound registry. Within :attr:`window` of
        the person's last message it is sent as usual, within :attr:`human_agent_window`
        after that as a human agent's message; later it is not sent (OutsideWindow), and
        goes out when the person writes again (:meth:`send_pending`). Raises ValueError
        if ``conversation_id`` is not of this channel, DeliveryFailed if the platform
        did not accept the message.
        """
        if not conversation_id.startswith(self.prefix):
            raise ValueError(f"{conversation_id!r} is not a {self.name} conversation")
        human_agent = False
        if self.window is not None:
            last = app[STORE].last_from_person(conversation_id)
            silent = now(app).replace(tzinfo=None) - last if last is not None else None
            if silent is None or silent > self.window + (self.human_agent_window or timedelta(0)):
                raise OutsideWindow(self.name)
            human_agent = silent > self.window
        outgoing = self.render(conversation_id, [{"text": text, "buttons": []}])
        outgoing = [replace(message, human_agent=human_agent) for message in outgoing]
        if not await self.deliver(app, conversation_id[len(self.prefix) :], outgoing):
            raise DeliveryFailed(self.name)

    async def send_pending(self, app: web.Application, conversation_id: str) -> None:
        """Send the counsellor's messages that could not be delivered before, oldest first."""
        store = app[STORE]
        for message in store.undelivered_to_person(conversation_id, self.name):
            try:
                await self.push(app, conversation_id, message.text)
            except DeliveryFailed:
                return
            store.mark_delivered([message.id])

    def render(self, conversation_id: str, messages: Sequence[Dict[str, Any]]) -> List[Outgoing]:
        """The messages to send; remembers numbered choices (every message sent replaces them)."""
        buttons = buttons_of(messages)
        numbered = self.numbered(buttons)
        if numbered and buttons:
            self.memory.remember(CHOICES_MEMORY, conversation_id, [button.payload for button in buttons])
        else:
            self.memory.forget(CHOICES_MEMORY, conversation_id)
        return plan(messages, self.text_limit, numbered)

    def chosen(self, conversation_id: str, text: str) -> str:
        """The payload of choice number ``text`` last shown in the conversation, else ``text`` itself.

        Any script's digits count (``"2"``, ``"٢"``, ``"۲"``).
        """
        choices = self.memory.recall(CHOICES_MEMORY, conversation_id)
        number = text.strip()
        if isinstance(choices, list) and number.isdecimal() and 1 <= int(number) <= len(choices):
            return str(choices[int(number) - 1])
        return text

    async def call_api(self, app: web.Application, url: str, **kwargs: Any) -> bool:
        """POST to the platform's API; False (logged by status only, no URL or body) on failure."""
        try:
            async with app[HTTP].post(url, **kwargs) as response:
                if response.status >= 300:
                    logger.warning("%s API answered %s", self.name, response.status)
                    return False
                return True
        except (ClientError, TimeoutError) as error:
            logger.warning("%s API not reachable (%s)", self.name, type(error).__name__)
            return False


def expect(data: Any, key: str, kind: type, where: str) -> Any:
    """``data[key]`` if ``data`` is a dict and the value is a ``kind``; else raise MalformedPayload."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise MalformedPayload(f"{where}.{key} missing or not {kind.__name__}")
    return value


def json_object(body: bytes) -> Dict[str, Any]:
    """The body as a JSON object; raise MalformedPayload if it is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedPayload("not JSON") from error
    if not isinstance(data, dict):
        raise MalformedPayload("not a JSON object")
    return data
