"""The counsellor desk (``/desk``) and the person's side of the handoff (``/api/messages/poll``).

Counsellors log in with username and password (accounts: ``lotse counsellor add``).
A session is a random token in an HttpOnly, SameSite=Strict cookie; the store
keeps only its hash. Every POST needs the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``); a missing or wrong one gets 403. The
login form has its own token, paired with a short-lived cookie. After repeated wrong
passwords a username (or client address) is refused for a while with 429
(:mod:`bot.gateway.login_limit`).

A counsellor sees the cases of the offices they serve: the queue (filtered by
office and language), a case's summary and transcript, and its live messages;
they claim a case, reply and close it. The desk pages are static files that
render every text with ``textContent``; the API answers JSON only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from aiohttp import web

from bot.gateway.conversations import CONVERSATION_ID, STORE, deliver, tell_person
from bot.gateway.login_limit import LoginLimiter
from bot.privacy import purge
from bot.store import CLAIMED, CLOSED, COUNSELLOR, OPEN, SESSION_HOURS, Case, DeskSession, Store, database_url

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "lotse_desk"
LOGIN_COOKIE = "lotse_desk_login"
CSRF_HEADER = "X-CSRF-Token"
MAX_REPLY_CHARS = 4000
PURGE_EVERY_SECONDS = 3600
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: Failed logins per username and address (see bot/gateway/login_limit.py).
LOGIN_LIMITER = web.AppKey("login_limiter", LoginLimiter)


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _redirect(location: str) -> web.Response:
    """303 See Other: after a POST the browser loads ``location`` with GET."""
    return web.Response(status=303, headers={"Location": location})


@web.middleware
async def desk_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Strict security headers and no caching on every desk response."""
    response = await handler(request)
    if request.path == "/desk" or request.path.startswith("/desk/"):
        response.headers.update(SECURITY_HEADERS)
    return response


def _cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/desk", httponly=True, samesite="Strict", secure=request.secure
    )


def _desk_session(request: web.Request) -> Optional[DeskSession]:
    return request.app[STORE].session(request.cookies.get(SESSION_COOKIE))


def _same(given: Optional[str], expected: Optional[str]) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


async def _csrf_ok(request: web.Request, expected: str) -> bool:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        given = (await request.post()).get("csrf_token")
    return _same(given if isinstance(given, str) else None, expected)


def api(handler: Callable[[web.Request, DeskSession], Awaitable[web.StreamResponse]]) -> Handler:
    """A desk API handler: 401 without a session, 403 for a POST without the right CSRF token."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        session = _desk_session(request)
        if session is None:
            return _json_error(401, "not logged in")
        if request.method == "POST" and not await _csrf_ok(request, session.csrf_token):
            return _json_error(403, "missing or wrong CSRF token")
        return await handler(request, session)

    return wrapped


# --- pages -----------------------------------------------------------------------------------
LOGIN_PAGE = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Lotse – Beratungsdesk: Anmeldung</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/desk.css">
</head>
<body class="login">
  <main>
    <h1>Lotse – Beratungsdesk</h1>
    {error}
    <form method="post" action="/desk/login">
      <input type="hidden" name="csrf_token" value="{csrf}">
      <label for="username">Benutzername</label>
      <input id="username" name="username" autocomplete="username" required maxlength="64" autofocus>
      <label for="password">Passwort</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit">Anmelden</button>
    </form>
  </main>
</body>
</html>
"""


def _login_page(request: web.Request, status: int = 200, error: str = "") -> web.Response:
    token = secrets.token_urlsafe(32)
    notice = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    response = web.Response(
        text=LOGIN_PAGE.format(csrf=html.escape(token), error=notice), content_type="text/html", status=status
    )
    _cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


async def login_page(request: web.Request) -> web.StreamResponse:
    """The login form (a logged-in counsellor goes to the desk)."""
    if _desk_session(request) is not None:
        raise web.HTTPSeeOther("/desk")
    return _login_page(request)


async def login(request: web.Request) -> web.StreamResponse:
    """Check the login form; on success start a session and go to the desk."""
    form = await request.post()
    if not _same(form.get("csrf_token"), request.cookies.get(LOGIN_COOKIE)):  # type: ignore[arg-type]
        return web.Response(text="Forbidden: missing or wrong CSRF token.", status=403)
    username, password = form.get("username"), form.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or len(username) > 64:
        return _login_page(request, 400, "Bitte Benutzername und Passwort eingeben.")
    limiter, address = request.app[LOGIN_LIMITER], request.remote or ""
    wait = limiter.retry_after(username, address)
    if wait:
        logger.warning("desk login refused: too many failed attempts")
        minutes = -(-wait // 60)
        response = _login_page(
            request, 429, f"Zu viele falsche Anmeldungen. Bitte versuchen Sie es in {minutes} Minuten wieder."
        )
        response.headers["Retry-After"] = str(wait)
        return response
    store = request.app[STORE]
    counsellor = await asyncio.get_running_loop().run_in_executor(
        None, store.authenticate, username, password
    )
    if counsellor is None:
        limiter.failed(username, address)
        logger.info("desk login failed")
        return _login_page(request, 401, "Benutzername oder Passwort ist falsch.")
    limiter.succeeded(username)
    token, _ = store.create_session(counsellor)
    logger.info("desk login of counsellor %s", counsellor.id)
    response = _redirect("/desk")
    _cookie(response, request, SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600)
    response.del_cookie(LOGIN_COOKIE, path="/desk")
    return response


async def desk_page(request: web.Request) -> web.StreamResponse:
    """The desk page, or the login page without a session."""
    if _desk_session(request) is None:
        raise web.HTTPFound("/desk/login")
    return web.FileResponse(STATIC_DIR / "desk.html")


@api
async def logout(request: web.Request, session: DeskSession) -> web.StreamResponse:
    """End the session."""
    request.app[STORE].end_session(request.cookies.get(SESSION_COOKIE))
    response = _redirect("/desk/login")
    response.del_cookie(SESSION_COOKIE, path="/desk")
    return response


# --- API -------------------------------------------------------------------------------------
@api
async def me(request: web.Request, session: DeskSession) -> web.Response:
    """The logged-in counsellor, their offices and the session's CSRF token."""
    counsellor = session.counsellor
    return web.json_response(
        {
            "username": counsellor.username,
            "offices": _offices(counsellor.offices),
            "languages": list(counsellor.languages),
            "csrf_token": session.csrf_token,
        }
    )


def _offices(ids: Any) -> list:
    from bot.knowledge.loader import knowledge

    offices = knowledge().offices
    return [
        {
            "id": i,
            "name": offices[i].name if i in offices else i,
            "city": offices[i].city if i in offices else "",
        }
        for i in ids
    ]


@api
async def queue(request: web.Request, session: DeskSession) -> web.Response:
    """Cases of the counsellor's offices: ``?office=&language=&status=active|open|claimed|closed``."""
    offices = session.counsellor.offices
    office = request.query.get("office")
    if office:
        if office not in offices:
            return _json_error(403, "not one of your offices")
        offices = (office,)
    status = request.query.get("status", "active")
    statuses = {"active": (OPEN, CLAIMED), "open": (OPEN,), "claimed": (CLAIMED,), "closed": (CLOSED,)}
    if status not in statuses:
        return _json_error(400, "unknown status")
    found = request.app[STORE].queue(offices, request.query.get("language") or None, statuses[status])
    return web.json_response({"cases": [case.as_json(with_summary=False) for case in found]})


def _own_case(request: web.Request, session: DeskSession) -> Optional[Case]:
    """The case of the URL if it belongs to one of the counsellor's offices."""
    try:
        case_id = int(request.match_info["case_id"])
    except ValueError:
        return None
    case = request.app[STORE].case(case_id)
    return case if case is not None and case.office_id in session.counsellor.offices else None


@api
async def case_detail(request: web.Request, session: DeskSession) -> web.Response:
    """One case with its summary and the transcript up to the handoff."""
    case = _own_case(request, session)
    if case is None:
        return _json_error(404, "no such case")
    return web.json_response({"case": case.as_json()})


@api
async def claim(request: web.Request, session: DeskSession) -> web.Response:
    """Take an open case (409 if someone else was quicker)."""
    case = _own_case(request, session)
    if case is None:
        return _json_error(404, "no such case")
    store = request.app[STORE]
    if not store.claim(case.id, session.counsellor.username):
        return _json_error(409, "the case is not open any more")
    logger.info("case %s claimed by counsellor %s", case.id, session.counsellor.id)
    return web.json_response({"case": store.case(case.id).as_json()})


@api
async def close(request: web.Request, session: DeskSession) -> web.Response:
    """Close a case; the person is told, and their next message goes to the bot again."""
    case = _own_case(request, session)
    if case is None:
        return _json_error(404, "no such case")
    if case.status == CLAIMED and case.claimed_by != session.counsellor.username:
        return _json_error(409, "another counsellor has claimed this case")
    store = request.app[STORE]
    if not store.close_case(case.id):
        return _json_error(409, "the case is closed already")
    await tell_person(request.app, case, "handoff_closed")
    logger.info("case %s closed by counsellor %s", case.id, session.counsellor.id)
    return web.json_response({"case": store.case(case.id).as_json()})


def _after(request: web.Request) -> Optional[int]:
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        return None
    return after if after >= 0 else None


@api
async def case_messages(request: web.Request, session: DeskSession) -> web.Response:
    """The case's messages after id ``after`` (the desk polls this every 2 s)."""
    case = _own_case(request, session)
    after = _after(request)
    if case is None:
        return _json_error(404, "no such case")
    if after is None:
        return _json_error(400, "after must be a message id")
    found = request.app[STORE].case_messages(case.id, after)
    status = request.app[STORE].case(case.id)
    return web.json_response(
        {"messages": [m.as_json() for m in found], "status": status.status if status else CLOSED}
    )


@api
async def reply(request: web.Request, session: DeskSession) -> web.Response:
    """Send the counsellor's answer ``{text}`` to the person of a claimed case."""
    case = _own_case(request, session)
    if case is None:
        return _json_error(404, "no such case")
    if case.status != CLAIMED or case.claimed_by != session.counsellor.username:
        return _json_error(409, "claim the case before you answer")
    try:
        body = await request.json()
    except ValueError:
        return _json_error(400, "send JSON {text}")
    message = body.get("text") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.strip():
        return _json_error(422, "the message is empty")
    if len(message) > MAX_REPLY_CHARS:
        return _json_error(413, f"at most {MAX_REPLY_CHARS} characters")
    stored = request.app[STORE].add_message(
        case.conversation_id, case.channel, COUNSELLOR, message.strip(), case_id=case.id
    )
    waiting = await deliver(request.app, case, stored)
    return web.json_response({"message": stored.as_json(), **({"waiting": waiting} if waiting else {})})


# --- the person's side -----------------------------------------------------------------------
async def poll(request: web.Request) -> web.Response:
    """New counsellor messages for a conversation: ``?conversation_id=..&after=<message id>``."""
    conversation_id = request.query.get("conversation_id", "")
    after = _after(request)
    if not CONVERSATION_ID.match(conversation_id) or after is None:
        return _json_error(400, "conversation_id and after (a message id) are needed")
    store = request.app[STORE]
    found = store.messages_for_person(conversation_id, after, channel="web")
    case = store.active_case(conversation_id)
    return web.json_response(
        {
            "messages": [{"id": m.id, "text": m.text} for m in found],
            "handoff": case.status if case is not None and case.channel == "web" else None,
        }
    )


# --- wiring ----------------------------------------------------------------------------------
async def _purge_hourly(app: web.Application) -> None:
    """The retention job: at start-up and then every hour."""
    while True:
        try:
            await asyncio.get_running_loop().run_in_executor(None, purge, app[STORE])
        except Exception:  # noqa: BLE001 - the job must survive a failed run; logged without data
            logger.exception("retention purge failed")
        await asyncio.sleep(PURGE_EVERY_SECONDS)


def setup_handoff(app: web.Application, url: Optional[str] = None) -> None:
    """Open the store (``url`` or LOTSE_DATABASE_URL) and add the desk, the poll route and the purge job."""

    async def store_and_purge(app: web.Application):
        app[STORE] = Store(url or database_url())
        job = asyncio.get_running_loop().create_task(_purge_hourly(app))
        yield
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job
        app[STORE].close()

    app.cleanup_ctx.append(store_and_purge)
    app[LOGIN_LIMITER] = LoginLimiter()
    app.middlewares.append(desk_headers)
    app.router.add_get("/api/messages/poll", poll)
    app.router.add_get("/desk", desk_page)
    app.router.add_get("/desk/login", login_page)
    app.router.add_post("/desk/login", login)
    app.router.add_post("/desk/logout", logout)
    app.router.add_get("/desk/api/me", me)
    app.router.add_get("/desk/api/cases", queue)
    app.router.add_get("/desk/api/cases/{case_id}", case_detail)
    app.router.add_post("/desk/api/cases/{case_id}/claim", claim)
    app.router.add_post("/desk/api/cases/{case_id}/close", close)
    app.router.add_get("/desk/api/cases/{case_id}/messages", case_messages)
    app.router.add_post("/desk/api/cases/{case_id}/messages", reply)
