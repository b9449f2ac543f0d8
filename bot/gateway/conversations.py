"""One entry point for every channel: a person's message in, the answer for that person out.

The web chat and each messenger call :func:`converse`. It keeps the transcript
(every message in and out) in the gateway's store and applies the human handoff
to every channel alike:

- while the conversation has an open or claimed case, the person's messages go to
  the counsellor (stored, not sent to Rasa's conversation); the first one gets a short
  acknowledgement while no counsellor has claimed the case. Only Rasa's NLU reads
  them, for one purpose: "delete my data" deletes the conversation and its case
  at once, in any language, also while a counsellor has it;
- otherwise the message goes to Rasa. When the bot's answer carries a ``handoff``
  summary (the person agreed to share it), a case is opened in the queue of the
  counselling office; when it carries ``delete_data``, the conversation is deleted.

Counsellor replies reach a messenger through its sender in :data:`OUTBOUND`; the
web chat polls for them.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

from aiohttp import ClientSession, web

from bot.gateway.outbound import OUTBOUND, OutsideWindow
from bot.gateway.relay import BotReply, intent_of, relay
from bot.handoff import handoff_config
from bot.privacy import delete_conversation
from bot.store import BOT, COUNSELLOR, IN, OPEN, Case, Message, Store, iso
from bot.texts import text

logger = logging.getLogger(__name__)

RASA_URL = web.AppKey("rasa_url", str)
HTTP = web.AppKey("http", ClientSession)
#: The gateway's store (cases, messages, counsellors).
STORE = web.AppKey("store", Store)
#: The current time as an aware datetime (tests set it to try office hours).
CLOCK = web.AppKey("clock", Callable[[], datetime])
#: Conversation ids the gateway accepts from the web chat. Ids of messenger conversations
#: (``tg-``, ``fb-`` or ``wa-`` and a number, see bot/channels) are refused, so that nobody can
#: read or delete a messenger user's conversation or case through the web API.
#: The intent of "delete my data" (see data/nlu and actions/handoff.py).
DELETE_INTENT = "delete_data"
CONVERSATION_ID = re.compile(r"^(?!(?:tg|fb|wa)-[-+0-9]*$)[A-Za-z0-9_-]{8,64}$")

__all__ = ["CLOCK", "CONVERSATION_ID", "HTTP", "OUTBOUND", "RASA_URL", "STORE", "converse", "deliver"]


def now(app: web.Application) -> datetime:
    """The current time (aware), from the app's clock if it has one."""
    clock = app.get(CLOCK)
    return clock() if clock is not None else datetime.now(timezone.utc)


async def converse(
    app: web.Application, channel: str, conversation_id: str, message: str, language: Optional[str]
) -> BotReply:
    """Answer one message of ``conversation_id`` that came in on ``channel`` ("web", "telegram", ...).

    Raises :class:`bot.gateway.relay.RasaUnavailable` when the bot cannot answer.
    """
    store = app[STORE]
    case = store.active_case(conversation_id)
    if case is not None:
        if await intent_of(app[HTTP], app[RASA_URL], message) == DELETE_INTENT:
            return _forget(store, case)
        return _to_counsellor(store, case, channel, message)
    reply = await relay(app[HTTP], app[RASA_URL], conversation_id, message, language)
    if reply.deleted:
        delete_conversation(store, conversation_id)
        return reply
    store.add_message(conversation_id, channel, IN, message, delivered=True)
    for answer in reply.messages:
        store.add_message(conversation_id, channel, BOT, answer["text"], delivered=True)
    if reply.handoff is not None:
        _open_case(app, store, channel, conversation_id, reply)
    return reply


def _say(store: Store, reply: BotReply, case: Case, channel: str, key: str, **values: object) -> None:
    """Add the text ``key`` to the reply and to the case's messages."""
    message = text(reply.language, key, **values)
    reply.messages.append({"text": message, "buttons": []})
    store.add_message(case.conversation_id, channel, BOT, message, case_id=case.id, delivered=True)


def _forget(store: Store, case: Case) -> BotReply:
    """Delete the conversation of ``case`` (its case too) and confirm it in the case's language."""
    delete_conversation(store, case.conversation_id)
    reply = BotReply(language=case.language, deleted=True)
    reply.messages.append({"text": text(case.language, "data_deleted"), "buttons": []})
    return reply


def _to_counsellor(store: Store, case: Case, channel: str, message: str) -> BotReply:
    """Keep the person's message for the counsellor; acknowledge only the first one of an open case."""
    store.add_message(case.conversation_id, channel, IN, message, case_id=case.id)
    reply = BotReply(language=case.language)
    if case.status == OPEN and store.count_case_messages(case.id, IN) == 1:
        _say(store, reply, case, channel, "handoff_ack")
    return reply


def _office(summary: Dict[str, Any]) -> Dict[str, Any]:
    """The counselling office of the summary, or the online (ZSBA) office if it names none we know."""
    from bot.knowledge.loader import knowledge
    from bot.routing import online_office

    offices = knowledge().offices
    office_id = (summary.get("office") or {}).get("id")
    office = offices.get(office_id) if isinstance(office_id, str) else None
    office = office or online_office() or next(iter(offices.values()))
    return {"id": office.id, "name": office.name, "city": office.city, "url": str(office.url)}


def _open_case(
    app: web.Application, store: Store, channel: str, conversation_id: str, reply: BotReply
) -> None:
    """Open the case the bot handed off, with the transcript so far, and tell the person what happens."""
    summary = dict(reply.handoff or {})
    summary["office"] = _office(summary)
    summary["language"] = reply.language
    summary["transcript"] = _transcript(store.conversation(conversation_id))
    hours = handoff_config().office_hours
    moment = now(app)
    summary["outside_office_hours"] = not hours.is_open(moment)
    case = store.open_case(conversation_id, channel, summary["office"]["id"], reply.language, summary)
    logger.info("opened case %s for office %s (%s)", case.id, case.office_id, channel)
    office = summary["office"]["name"]
    if hours.is_open(moment):
        _say(store, reply, case, channel, "handoff_opened", office=office)
    else:
        when = hours.next_opening(moment).strftime("%Y-%m-%d %H:%M")
        _say(store, reply, case, channel, "handoff_opened_later", office=office, when=when)


def _transcript(messages: List[Message]) -> List[Dict[str, Any]]:
    return [{"direction": m.direction, "text": m.text, "at": iso(m.created_at)} for m in messages]


async def deliver(app: web.Application, case: Case, message: Message) -> Optional[str]:
    """Push a counsellor's message to a messenger; the web chat fetches it by polling instead.

    None when it was sent (or is fetched by the web chat); otherwise why it waits:
    ``"outside_window"`` (the platform allows no message now) or ``"failed"``. A waiting
    message stays undelivered and goes out when the person writes again.
    """
    sender = app.get(OUTBOUND, {}).get(case.channel)
    if sender is None:
        return None
    try:
        await sender(app, case.conversation_id, message.text)
    except OutsideWindow:
        logger.info("case %s: %s allows no message now; it waits for the person", case.id, case.channel)
        return "outside_window"
    except Exception:  # noqa: BLE001 - a messenger failure must not break the desk; no text logged
        logger.warning("could not deliver a counsellor message of case %s to %s", case.id, case.channel)
        return "failed"
    app[STORE].mark_delivered([message.id])
    return None


async def tell_person(app: web.Application, case: Case, key: str) -> Message:
    """Store a notice (text ``key`` in the case's language) as a counsellor message and deliver it."""
    message = app[STORE].add_message(
        case.conversation_id, case.channel, COUNSELLOR, text(case.language, key), case_id=case.id
    )
    await deliver(app, case, message)
    return message
