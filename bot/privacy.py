"""Deleting a person's data on request and after the retention period.

The gateway keeps messages and cases in :mod:`bot.store`; Rasa keeps its
trackers in the SQL tracker store of ``endpoints.yml`` (SQLite ``var/tracker.db``).
Rasa 3.6 has no HTTP call to delete a tracker, so its rows are deleted here
with SQLAlchemy. Logs name counts only, never text or conversation content.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Dict, Optional

import yaml
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from bot.paths import PROJECT_DIR
from bot.store import Store, make_engine, retention_days, utcnow

logger = logging.getLogger(__name__)

#: Paths polled every few seconds; their successful requests are not logged.
QUIET_PATHS = frozenset({"/api/messages/poll", "/healthz"})


class AccessLog(AbstractAccessLogger):
    """The gateway's access log: method, path (no query string), status and time; no address or agent."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if request.path in QUIET_PATHS and response.status < 400:
            return
        self.logger.info("%s %s %s %.3fs", request.method, request.path, response.status, time)


def tracker_database_url() -> Optional[str]:
    """The URL of Rasa's SQL tracker store: ``LOTSE_TRACKER_DATABASE_URL`` or ``endpoints.yml``."""
    if os.environ.get("LOTSE_TRACKER_DATABASE_URL"):
        return os.environ["LOTSE_TRACKER_DATABASE_URL"]
    try:
        endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    store = endpoints.get("tracker_store") or {}
    if str(store.get("type", "")).lower() != "sql" or store.get("dialect", "sqlite") != "sqlite":
        return None  # other SQL dialects: set LOTSE_TRACKER_DATABASE_URL
    path = PROJECT_DIR / str(store.get("db", "rasa.db"))
    return f"sqlite:///{path}"


def _tracker_events(url: Optional[str]):
    """An engine for the tracker store if it exists and has Rasa's ``events`` table, else None."""
    if not url:
        return None
    if url.startswith("sqlite:///") and not os.path.exists(url[len("sqlite:///") :]):
        return None
    engine = make_engine(url)
    if not inspect(engine).has_table("events"):
        engine.dispose()
        return None
    return engine


def _delete_events(statement: str, parameters: dict, url: Optional[str], failure: str) -> int:
    """Run one DELETE on Rasa's events table, if there is one; the number of rows deleted."""
    try:
        engine = _tracker_events(url if url is not None else tracker_database_url())
        if engine is None:
            return 0
        try:
            with engine.begin() as db:
                return db.execute(text(statement), parameters).rowcount
        finally:
            engine.dispose()
    except SQLAlchemyError:
        logger.warning(failure)
        return 0


def delete_tracker(conversation_id: str, url: Optional[str] = None) -> int:
    """Delete Rasa's stored events of one conversation; the number of rows deleted."""
    return _delete_events(
        "DELETE FROM events WHERE sender_id = :sender",
        {"sender": conversation_id},
        url,
        "could not delete a conversation from the tracker store",
    )


def purge_trackers(cutoff: datetime, url: Optional[str] = None) -> int:
    """Delete Rasa conversations whose newest event is older than ``cutoff`` (naive UTC)."""
    seconds = (cutoff - datetime(1970, 1, 1)).total_seconds()
    return _delete_events(
        "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events"
        " GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)",
        {"cutoff": seconds},
        url,
        "could not purge the tracker store",
    )


def delete_conversation(store: Store, conversation_id: str, tracker_url: Optional[str] = None) -> None:
    """A person asked to delete their data: the gateway's messages and cases, and Rasa's tracker."""
    store.delete_conversation(conversation_id)
    delete_tracker(conversation_id, tracker_url)
    logger.info("deleted a conversation on request")


def purge(
    store: Store,
    days: Optional[int] = None,
    now: Optional[datetime] = None,
    tracker_url: Optional[str] = None,
) -> Dict[str, int]:
    """Delete closed cases and conversations older than ``days`` (default LOTSE_RETENTION_DAYS)."""
    cutoff = (now or utcnow()) - timedelta(days=days or retention_days())
    counts = store.purge(cutoff)
    counts["tracker_events"] = purge_trackers(cutoff, tracker_url)
    logger.info("retention purge: %s", ", ".join(f"{count} {name}" for name, count in counts.items()))
    return counts
