"""Relay one person's message to Rasa's REST channel and read the bot's answer.

Every channel (the web chat, each messenger) goes through :func:`relay`, so
they all get the same answers, language handling and roadmap links.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from aiohttp import ClientError, ClientSession

from bot.texts import RTL_LANGUAGES, answer_language, limited_texts, text

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa did not answer (down, starting, or an error status)."""


@dataclass
class BotReply:
    """The bot's answer to one message: messages with buttons, and the conversation's language."""

    language: str
    messages: List[Dict[str, Any]] = field(default_factory=list)
    #: Query string of the person's printable roadmap, when the bot offered it.
    roadmap: Optional[str] = None
    #: The case summary the bot sent after the person agreed to talk to a counsellor.
    handoff: Optional[Dict[str, Any]] = None
    #: The person asked to delete their data (the bot has forgotten the conversation).
    deleted: bool = False

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr`` for the conversation's language."""
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    def with_roadmap_link(self, base_url: str) -> List[Dict[str, Any]]:
        """The messages, preceded by the roadmap link (absolute, on ``base_url``) if there is one."""
        if self.roadmap is None:
            return self.messages
        link = {
            "text": f"{text(self.language, 'roadmap_link')}\n{base_url}/roadmap?{self.roadmap}",
            "buttons": [],
        }
        return [link, *self.messages]


async def relay(
    http: ClientSession, rasa_url: str, conversation_id: str, message: str, language: Optional[str]
) -> BotReply:
    """Send ``message`` for ``conversation_id`` to Rasa; raise RasaUnavailable if it cannot answer."""
    metadata = {"language": language} if language else {}
    try:
        async with http.post(
            rasa_url + "/webhooks/rest/webhook",
            json={"sender": conversation_id, "message": message, "metadata": metadata},
        ) as response:
            if response.status != 200:
                logger.warning("Rasa answered %s", response.status)
                raise RasaUnavailable(response.status)
            outputs: List[Dict[str, Any]] = await response.json()
    except (ClientError, TimeoutError, json.JSONDecodeError) as error:
        logger.warning("Rasa is not reachable at %s", rasa_url)
        raise RasaUnavailable(str(error)) from error
    reply = BotReply(language=language or "")
    for output in outputs:
        custom = output.get("custom")
        if isinstance(custom, dict):
            reply.language = custom.get("language", reply.language)
            reply.roadmap = custom.get("roadmap", reply.roadmap)
            if isinstance(custom.get("handoff"), dict):
                reply.handoff = custom["handoff"]
            reply.deleted = reply.deleted or custom.get("delete_data") is True
        elif "text" in output:
            reply.messages.append({"text": output["text"], "buttons": output.get("buttons", [])})
    if reply.language not in limited_texts():
        reply.language = answer_language(reply.language)
    return reply


async def intent_of(http: ClientSession, rasa_url: str, message: str) -> Optional[str]:
    """The intent Rasa's NLU reads in ``message``, without touching any conversation.

    Uses Rasa's ``/model/parse``; ``nlu_fallback`` when it is unsure, None when Rasa cannot answer.
    """
    try:
        async with http.post(rasa_url + "/model/parse", json={"text": message}) as response:
            if response.status != 200:
                logger.warning("Rasa's parse answered %s", response.status)
                return None
            parsed = await response.json()
    except (ClientError, TimeoutError, json.JSONDecodeError):
        logger.warning("Rasa is not reachable at %s", rasa_url)
        return None
    intent = parsed.get("intent") if isinstance(parsed, dict) else None
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None
