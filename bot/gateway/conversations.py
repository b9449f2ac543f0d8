"""One entry point for every channel: a person's message in, the answer for that person out.

The web chat and each messenger call :func:`converse`; today it relays to
Rasa. Human handoff hooks in here, so that it applies to every channel alike.
"""

from __future__ import annotations

from typing import Optional

from aiohttp import ClientSession, web

from bot.gateway.relay import BotReply, relay

RASA_URL = web.AppKey("rasa_url", str)
HTTP = web.AppKey("http", ClientSession)


async def converse(
    app: web.Application, channel: str, conversation_id: str, message: str, language: Optional[str]
) -> BotReply:
    """Answer one message of ``conversation_id`` that came in on ``channel`` ("web", "telegram", ...).

    Raises :class:`bot.gateway.relay.RasaUnavailable` when the bot cannot answer.
    """
    return await relay(app[HTTP], app[RASA_URL], conversation_id, message, language)
