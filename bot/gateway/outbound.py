"""The outbound registry: how to push a message (a counsellor's reply) to a person on a channel.

Each messenger channel puts a sender under its name (``"telegram"``, ``"facebook"``,
``"whatsapp"``) in ``app[OUTBOUND]`` with :func:`register`, before the app starts. A sender
is ``await sender(app, conversation_id, text)``. The web chat has no sender: its page
polls ``/api/messages/poll``. The registry lives here, beside
:mod:`bot.gateway.conversations`, so the gateway needs no import of ``bot.channels``.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Dict

from aiohttp import web

Sender = Callable[[web.Application, str, str], Awaitable[None]]

OUTBOUND = web.AppKey("outbound", Dict[str, Sender])


def register(app: web.Application, channel: str, sender: Sender) -> None:
    """Make ``sender`` the way to reach people on ``channel`` (before the app starts)."""
    app.setdefault(OUTBOUND, {})[channel] = sender
