"""Shared fixtures: the whole assistant started as `make run` starts it."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
STACK_PORT = int(os.environ.get("LOTSE_TEST_PORT", 8089))


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class _PlatformHandler(BaseHTTPRequestHandler):
    """Records every call (path and JSON or form body) and answers 200 like the platforms' APIs."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        if self.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(raw or "{}")
        else:
            body = dict(urllib.parse.parse_qsl(raw))
        self.server.calls.append({"path": urllib.parse.urlsplit(self.path).path, "body": body})
        answer = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def platform():
    """A local server that plays Telegram's, Meta's and Twilio's APIs for the stack and records calls.

    ``platform.calls`` lists ``{"path", "body"}``; ``platform.settings`` are the channel variables
    the stack runs with (webhook secrets, tokens, and this server as every platform's API).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PlatformHandler)
    server.calls = []
    api = f"http://127.0.0.1:{server.server_address[1]}"
    server.settings = {
        "LOTSE_PUBLIC_URL": f"http://127.0.0.1:{STACK_PORT}",
        "LOTSE_TELEGRAM_TOKEN": "123456:stack-test-token",
        "LOTSE_TELEGRAM_SECRET": "stack-test-secret",
        "LOTSE_TELEGRAM_API": api,
        "LOTSE_FACEBOOK_APP_SECRET": "stack-test-app-secret",
        "LOTSE_FACEBOOK_VERIFY_TOKEN": "stack-test-verify",
        "LOTSE_FACEBOOK_PAGE_TOKEN": "stack-test-page-token",
        "LOTSE_FACEBOOK_API": api + "/v19.0",
        "LOTSE_TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
        "LOTSE_TWILIO_AUTH_TOKEN": "stack-test-twilio-token",
        "LOTSE_TWILIO_NUMBER": "+14155238886",
        "LOTSE_TWILIO_API": api,
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def stack(platform):
    """Rasa (trained model), the action server and the gateway, started by `lotse run`.

    The messenger channels are on, with the local ``platform`` server as their APIs.
    """
    lotse = Path(sys.executable).parent / "lotse"
    process = subprocess.Popen(
        [str(lotse), "run", "--port", str(STACK_PORT)],
        cwd=PROJECT_DIR,
        start_new_session=True,
        env={**os.environ, **platform.settings},
    )
    base = f"http://127.0.0.1:{STACK_PORT}"
    deadline = time.monotonic() + 240
    while not _healthy(base + "/healthz"):
        if process.poll() is not None or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):  # it may have stopped by itself
                os.killpg(process.pid, signal.SIGTERM)
            pytest.fail("the assistant did not start (see output above)")
        time.sleep(1)
    yield base
    process.send_signal(signal.SIGINT)
    try:
        assert process.wait(timeout=30) == 0, "lotse run did not stop cleanly on Ctrl-C"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_addoption(parser):
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the gateway store's database for tests without the real stack (postgresql: a private server)",
    )


@pytest.fixture(scope="session")
def postgres(request):
    """The URL of a private PostgreSQL server for this test session (see tests/postgres_server.py)."""
    from tests.postgres_server import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(autouse=True)
def _own_databases(request, monkeypatch, tmp_path):
    """Tests without the real stack get their own gateway store and tracker store.

    The gateway store is a temporary SQLite file, or with ``--database postgresql`` a new
    database on the session's PostgreSQL server. Rasa's tracker store stays SQLite.
    """
    if "stack" in request.fixturenames:
        return
    if request.config.getoption("--database") == "postgresql":
        from tests.postgres_server import fresh_database

        url = fresh_database(request.getfixturevalue("postgres"))
    else:
        url = f"sqlite:///{tmp_path / 'lotse.db'}"
    monkeypatch.setenv("LOTSE_DATABASE_URL", url)
    monkeypatch.setenv("LOTSE_TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
