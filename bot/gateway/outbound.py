"""The outbound registry: how to push a message (a counsellor's reply) to a person on a channel.

Each messenger channel puts a sender under its name (``"telegram"``, ``"facebook"``,
``"whatsapp"``) in ``app[OUTBOUND]`` with :func:`register`, before the app starts. A sender
is ``await sender(app, conversation_id, text)``; it raises :class:`DeliveryFailed` when the
message did not reach the platform, :class:`OutsideWindow` when the platform allows no
message now. The web chat has no sender: its page
polls ``/api/messages/poll``. The registry lives here, beside
:mod:`bot.gateway.conversations`, so the gateway needs no import of ``bot.channels``.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Dict

from aiohttp import web


class DeliveryFailed(Exception):
    """The platform's API did not accept a message (the reason is logged by status only)."""


class OutsideWindow(DeliveryFailed):
    """The platform allows no free message this long after the person's last one (nothing was sent)."""


Sender = Callable[[web.Application, str, str], Awaitable[None]]

OUTBOUND = web.AppKey("outbound", Dict[str, Sender])


def register(app: web.Application, channel: str, sender: Sender) -> None:
    """Make ``sender`` the way to reach people on ``channel`` (before the app starts)."""
    app.setdefault(OUTBOUND, {})[channel] = sender
