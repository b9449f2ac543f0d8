"""Shared fixtures: the whole assistant started as `make run` starts it."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
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


@pytest.fixture(scope="session")
def stack():
    """Rasa (trained model), the action server and the gateway, started by `lotse run`."""
    lotse = Path(sys.executable).parent / "lotse"
    process = subprocess.Popen(
        [str(lotse), "run", "--port", str(STACK_PORT)], cwd=PROJECT_DIR, start_new_session=True
    )
    base = f"http://127.0.0.1:{STACK_PORT}"
    deadline = time.monotonic() + 240
    while not _healthy(base + "/healthz"):
        if process.poll() is not None or time.monotonic() > deadline:
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
