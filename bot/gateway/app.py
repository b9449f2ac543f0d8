"""The gateway: Lotse's public face. Serves the chat page and relays messages to Rasa.

Rasa listens on loopback only; people reach Lotse through this service.
Every bad request gets a JSON ``{"error": ...}`` in the conversation's
language with a 4xx status; an unreachable Rasa gives 503. No handler
lets an exception become a 500.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from bot.channels import add_channel_routes
from bot.gateway.conversations import CONVERSATION_ID, HTTP, RASA_URL, converse
from bot.gateway.desk import setup_handoff
from bot.gateway.relay import RasaUnavailable
from bot.gateway.roadmap_page import roadmap_page
from bot.texts import RTL_LANGUAGES, all_texts, answer_language, supported_languages, text

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024
RASA_TIMEOUT = ClientTimeout(total=30)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(status: int, language: Optional[str], key: str, **values: object) -> web.Response:
    return web.json_response({"error": text(answer_language(language), key, **values)}, status=status)


def _direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


@web.middleware
async def never_500(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn unexpected failures into a clear 503 instead of a stack trace."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:  # noqa: BLE001 - the last line of defence, logged without message text
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return _error(503, None, "service_unavailable")


async def index(request: web.Request) -> web.FileResponse:
    """The chat page."""
    return web.FileResponse(STATIC_DIR / "index.html")


async def texts(request: web.Request) -> web.Response:
    """UI texts and the language list for the chat page."""
    language = answer_language(request.query.get("language"))
    entries = all_texts()[language]
    return web.json_response(
        {
            "language": language,
            "dir": _direction(language),
            "texts": {key: value for key, value in entries.items() if key.startswith("ui_")},
            "languages": [
                {"code": code, "name": all_texts()[code]["language_name"]} for code in supported_languages()
            ],
        }
    )


async def _read_object(request: web.Request) -> Optional[Dict[str, Any]]:
    """The request body as a JSON object, or None if it is not one."""
    try:
        body = json.loads((await request.read()).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return body if isinstance(body, dict) else None


async def messages(request: web.Request) -> web.Response:
    """Relay one message to Rasa's REST channel and return the bot's answers."""
    try:
        body = await _read_object(request)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, None, "bad_input_too_long", limit=MAX_MESSAGE_CHARS)
    if body is None:
        return _error(400, None, "bad_request")
    language = body.get("language") if isinstance(body.get("language"), str) else None
    conversation_id = body.get("conversation_id")
    message = body.get("text")
    if not isinstance(conversation_id, str) or not CONVERSATION_ID.match(conversation_id):
        return _error(400, language, "bad_request")
    if not isinstance(message, str) or not message.strip():
        return _error(422, language, "bad_input_empty")
    if len(message) > MAX_MESSAGE_CHARS:
        return _error(413, language, "bad_input_too_long", limit=MAX_MESSAGE_CHARS)
    try:
        reply = await converse(request.app, "web", conversation_id, message, language)
    except RasaUnavailable:
        return _error(503, language, "service_unavailable")
    base_url = f"{request.scheme}://{request.host}"
    return web.json_response(
        {
            "conversation_id": conversation_id,
            "language": reply.language,
            "dir": reply.direction,
            "messages": reply.with_roadmap_link(base_url),
            **({"deleted": True} if reply.deleted else {}),
        }
    )


async def health(request: web.Request) -> web.Response:
    """Liveness of the gateway and reachability of Rasa."""
    try:
        async with request.app[HTTP].get(request.app[RASA_URL] + "/") as response:
            rasa = "ok" if response.status == 200 else f"status {response.status}"
    except (ClientError, TimeoutError):
        rasa = "unreachable"
    return web.json_response({"gateway": "ok", "rasa": rasa}, status=200 if rasa == "ok" else 503)


def create_app(rasa_url: str = "http://127.0.0.1:5005") -> web.Application:
    """The gateway application, talking to Rasa at ``rasa_url``."""
    app = web.Application(middlewares=[never_500], client_max_size=MAX_BODY_BYTES)
    app[RASA_URL] = rasa_url.rstrip("/")

    async def http_session(app: web.Application):
        app[HTTP] = ClientSession(timeout=RASA_TIMEOUT)
        yield
        await app[HTTP].close()

    app.cleanup_ctx.append(http_session)
    app.router.add_get("/", index)
    app.router.add_get("/healthz", health)
    app.router.add_get("/api/texts", texts)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/roadmap", roadmap_page)
    app.router.add_static("/static/", STATIC_DIR)
    setup_handoff(app)
    add_channel_routes(app)
    return app
