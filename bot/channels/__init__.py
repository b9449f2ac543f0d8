"""Messenger channels: Telegram, Facebook Messenger and WhatsApp (through Twilio).

:func:`add_channel_routes` registers the webhook of every channel whose settings
are all in the environment (see README.md, "Messenger channels"); the route of a
channel that is not configured does not exist (404). Each registered channel's
sender goes into the outbound registry (:mod:`bot.gateway.outbound`), through
which counsellors' replies reach the person.
"""

from __future__ import annotations

import logging
import os
from typing import List, Mapping, Optional, Tuple, Type

from aiohttp import web

from bot.channels.common import Channel
from bot.channels.facebook import FacebookChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import WhatsAppChannel
from bot.gateway.outbound import register

logger = logging.getLogger(__name__)

CHANNELS: Tuple[Type[Channel], ...] = (TelegramChannel, FacebookChannel, WhatsAppChannel)


def add_channel_routes(app: web.Application, environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """Add the routes of the channels configured in ``environ`` (default: the process environment).

    Returns the names of the channels added.
    """
    environ = os.environ if environ is None else environ
    added = []
    for kind in CHANNELS:
        channel = kind.from_env(app, environ)
        if channel is None:
            continue
        app.router.add_routes(channel.routes())
        register(app, channel.name, channel.push)
        added.append(channel.name)
    if added:
        logger.info("messenger channels: %s", ", ".join(added))
    return added
