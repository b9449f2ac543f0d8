"""The gateway's own store: counsellors, desk sessions, handoff cases and every chat message.

SQLAlchemy Core (1.4) over any SQLAlchemy URL: SQLite by default at
``var/lotse.db`` (``LOTSE_DATABASE_URL`` chooses another, e.g. PostgreSQL).
Tables are created on first use. All times are naive UTC.

Passwords are hashed with :func:`hashlib.scrypt` and a per-user salt; session
tokens are stored as SHA-256 hashes only. Nothing here logs message text.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url

from bot.paths import PROJECT_DIR

DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_DIR / 'var' / 'lotse.db'}"
SESSION_HOURS = 12
DEFAULT_RETENTION_DAYS = 90

#: Message directions: from the person, from the bot, from a counsellor.
IN, BOT, COUNSELLOR = "in", "bot", "counsellor"
#: Case states.
OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
ACTIVE = (OPEN, CLAIMED)

# scrypt cost: 16 MiB of memory, about 50 ms per hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LENGTH = 2**14, 8, 1, 32

metadata = MetaData()

counsellors = Table(
    "counsellors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("salt", String(64), nullable=False),
    Column("offices", JSON, nullable=False),
    Column("languages", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("counsellor_id", Integer, ForeignKey("counsellors.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("office_id", String(100), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("summary", JSON, nullable=False),
    Column("status", String(10), nullable=False, index=True),
    Column("claimed_by", String(64)),
    Column("created_at", DateTime, nullable=False),
    Column("claimed_at", DateTime),
    Column("closed_at", DateTime),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True),
    Column("channel", String(32), nullable=False),
    Column("direction", String(12), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("delivered", Boolean, nullable=False, default=False),
)


#: What the messenger channels remember between messages (numbered choices, the latest language,
#: long button payloads, event ids seen), so that a restart keeps it. ``key`` is a conversation
#: id, an event id or a short payload id; rows go with the conversation or the retention period.
channel_memory = Table(
    "channel_memory",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", DateTime, nullable=False, index=True),
)


def utcnow() -> datetime:
    """The current time as naive UTC (how the store keeps times)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(moment: Optional[datetime]) -> Optional[str]:
    """A stored time as ISO 8601 UTC (``...Z``)."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def database_url() -> str:
    """``LOTSE_DATABASE_URL`` or SQLite at ``var/lotse.db``."""
    return os.environ.get("LOTSE_DATABASE_URL") or DEFAULT_DATABASE_URL


def retention_days() -> int:
    """``LOTSE_RETENTION_DAYS`` (default 90): how long closed cases and old conversations are kept."""
    try:
        days = int(os.environ.get("LOTSE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return max(days, 1)


def hash_password(password: str, salt: bytes) -> str:
    """``scrypt$N$r$p$<hex>`` of ``password`` with ``salt``."""
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_LENGTH
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${digest.hex()}"


def _password_matches(password: str, salt_hex: str, stored: str) -> bool:
    try:
        _, n, r, p, expected = stored.split("$")
        digest = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
            dklen=len(expected) // 2,
        )  # fmt: skip
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def token_hash(token: str) -> str:
    """How a session token is stored: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Counsellor:
    id: int
    username: str
    offices: Tuple[str, ...]
    languages: Tuple[str, ...]


@dataclass(frozen=True)
class DeskSession:
    counsellor: Counsellor
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class Case:
    id: int
    conversation_id: str
    channel: str
    office_id: str
    language: str
    summary: Dict[str, Any]
    status: str
    claimed_by: Optional[str]
    created_at: datetime
    claimed_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None

    def as_json(self, with_summary: bool = True) -> Dict[str, Any]:
        """The case for the desk's JSON API."""
        data: Dict[str, Any] = {
            "id": self.id,
            "channel": self.channel,
            "office_id": self.office_id,
            "language": self.language,
            "status": self.status,
            "claimed_by": self.claimed_by,
            "created_at": iso(self.created_at),
            "claimed_at": iso(self.claimed_at),
            "closed_at": iso(self.closed_at),
            "reason": self.summary.get("reason"),
            "profession": (self.summary.get("profession") or {}).get("reference"),
        }
        if with_summary:
            data["summary"] = self.summary
        return data


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: str
    case_id: Optional[int]
    channel: str
    direction: str
    text: str
    created_at: datetime
    delivered: bool = field(default=False)

    def as_json(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "direction": self.direction,
            "text": self.text,
            "created_at": iso(self.created_at),
        }


def _counsellor(row: Any) -> Counsellor:
    return Counsellor(row.id, row.username, tuple(row.offices or ()), tuple(row.languages or ()))


def _case(row: Any) -> Case:
    return Case(
        row.id, row.conversation_id, row.channel, row.office_id, row.language, dict(row.summary or {}),
        row.status, row.claimed_by, row.created_at, row.claimed_at, row.closed_at,
    )  # fmt: skip


def _message(row: Any) -> Message:
    return Message(
        row.id, row.conversation_id, row.case_id, row.channel, row.direction, row.text, row.created_at,
        bool(row.delivered),
    )  # fmt: skip


def _to_person(conversation_id: str, channel: str, condition: Any) -> Any:
    """A query of the counsellor messages to the person of a conversation on ``channel``, oldest first."""
    return (
        select(messages)
        .where(
            messages.c.conversation_id == conversation_id,
            messages.c.channel == channel,
            messages.c.direction == COUNSELLOR,
            condition,
        )
        .order_by(messages.c.id)
    )


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the folder is created and threads may share it."""
    parsed = make_url(url)
    kwargs: Dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if parsed.database and parsed.database != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(parsed.database)), exist_ok=True)
    return create_engine(url, **kwargs)


class Store:
    """Counsellors, sessions, cases and messages in one SQL database."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- counsellors -------------------------------------------------------------------------
    def add_counsellor(
        self, username: str, password: str, offices: Sequence[str], languages: Sequence[str] = ()
    ) -> Counsellor:
        """Create an account; ValueError if the name is taken or the password is empty."""
        if not password:
            raise ValueError("the password must not be empty")
        salt = secrets.token_bytes(16)
        with self.engine.begin() as db:
            if db.execute(select(counsellors.c.id).where(counsellors.c.username == username)).first():
                raise ValueError(f"a counsellor named {username!r} exists already")
            result = db.execute(
                insert(counsellors).values(
                    username=username,
                    password_hash=hash_password(password, salt),
                    salt=salt.hex(),
                    offices=list(offices),
                    languages=list(languages),
                    created_at=utcnow(),
                )
            )
            return Counsellor(result.inserted_primary_key[0], username, tuple(offices), tuple(languages))

    def remove_counsellor(self, username: str) -> bool:
        """Delete an account and its sessions; False if there was none."""
        with self.engine.begin() as db:
            row = db.execute(select(counsellors.c.id).where(counsellors.c.username == username)).first()
            if row is None:
                return False
            db.execute(delete(sessions).where(sessions.c.counsellor_id == row.id))
            db.execute(delete(counsellors).where(counsellors.c.id == row.id))
            return True

    def counsellors(self) -> List[Counsellor]:
        with self.engine.connect() as db:
            return [_counsellor(r) for r in db.execute(select(counsellors).order_by(counsellors.c.username))]

    def authenticate(self, username: str, password: str) -> Optional[Counsellor]:
        """The counsellor if the password is right (slow on purpose, also for unknown names)."""
        with self.engine.connect() as db:
            row = db.execute(select(counsellors).where(counsellors.c.username == username)).first()
        if row is None:
            hash_password(password, b"\0" * 16)  # same cost as a real check
            return None
        return _counsellor(row) if _password_matches(password, row.salt, row.password_hash) else None

    # --- sessions ----------------------------------------------------------------------------
    def create_session(self, counsellor: Counsellor) -> Tuple[str, DeskSession]:
        """A new session: the token for the cookie (stored only hashed) and the session."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        session = DeskSession(counsellor, secrets.token_urlsafe(32), now + timedelta(hours=SESSION_HOURS))
        with self.engine.begin() as db:
            db.execute(delete(sessions).where(sessions.c.expires_at < now))
            db.execute(
                insert(sessions).values(
                    token_hash=token_hash(token),
                    counsellor_id=counsellor.id,
                    csrf_token=session.csrf_token,
                    created_at=now,
                    expires_at=session.expires_at,
                )
            )
        return token, session

    def session(self, token: Optional[str]) -> Optional[DeskSession]:
        """The live session for a cookie token, if any."""
        if not token:
            return None
        query = (
            select(sessions, counsellors)
            .join(counsellors, counsellors.c.id == sessions.c.counsellor_id)
            .where(sessions.c.token_hash == token_hash(token), sessions.c.expires_at > utcnow())
        )
        with self.engine.connect() as db:
            row = db.execute(query).first()
        if row is None:
            return None
        return DeskSession(_counsellor(row), row.csrf_token, row.expires_at)

    def end_session(self, token: Optional[str]) -> None:
        if token:
            with self.engine.begin() as db:
                db.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))

    # --- messages ----------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: str,
        channel: str,
        direction: str,
        text: str,
        case_id: Optional[int] = None,
        delivered: bool = False,
    ) -> Message:
        now = utcnow()
        with self.engine.begin() as db:
            result = db.execute(
                insert(messages).values(
                    conversation_id=conversation_id,
                    case_id=case_id,
                    channel=channel,
                    direction=direction,
                    text=text,
                    created_at=now,
                    delivered=delivered,
                )
            )
        return Message(
            result.inserted_primary_key[0], conversation_id, case_id, channel, direction, text, now, delivered
        )

    def conversation(self, conversation_id: str) -> List[Message]:
        """Every stored message of a conversation, oldest first."""
        query = select(messages).where(messages.c.conversation_id == conversation_id).order_by(messages.c.id)
        with self.engine.connect() as db:
            return [_message(r) for r in db.execute(query)]

    def messages_for_person(
        self, conversation_id: str, after: int, channel: str = "web", limit: int = 100
    ) -> List[Message]:
        """Counsellor messages on ``channel`` newer than id ``after``; marks them delivered."""
        query = _to_person(conversation_id, channel, messages.c.id > after).limit(limit)
        with self.engine.begin() as db:
            found = [_message(r) for r in db.execute(query)]
            self._mark_delivered(db, [m.id for m in found if not m.delivered])
        return found

    def last_from_person(self, conversation_id: str) -> Optional[datetime]:
        """When the person of a conversation last wrote (None: never, or deleted)."""
        query = select(func.max(messages.c.created_at)).where(
            messages.c.conversation_id == conversation_id, messages.c.direction == IN
        )
        with self.engine.connect() as db:
            return db.execute(query).scalar_one()

    def undelivered_to_person(self, conversation_id: str, channel: str) -> List[Message]:
        """Counsellor messages on ``channel`` not yet delivered to the person, oldest first."""
        query = _to_person(conversation_id, channel, messages.c.delivered.is_(False))
        with self.engine.connect() as db:
            return [_message(r) for r in db.execute(query)]

    def case_messages(self, case_id: int, after: int = 0, limit: int = 200) -> List[Message]:
        """The messages of a case newer than id ``after``; the person's ones count as delivered."""
        query = (
            select(messages)
            .where(messages.c.case_id == case_id, messages.c.id > after)
            .order_by(messages.c.id)
            .limit(limit)
        )
        with self.engine.begin() as db:
            found = [_message(r) for r in db.execute(query)]
            self._mark_delivered(db, [m.id for m in found if m.direction == IN and not m.delivered])
        return found

    def count_case_messages(self, case_id: int, direction: str) -> int:
        query = select(func.count()).where(messages.c.case_id == case_id, messages.c.direction == direction)
        with self.engine.connect() as db:
            return int(db.execute(query).scalar_one())

    def mark_delivered(self, message_ids: Iterable[int]) -> None:
        with self.engine.begin() as db:
            self._mark_delivered(db, list(message_ids))

    @staticmethod
    def _mark_delivered(db: Any, ids: List[int]) -> None:
        if ids:
            db.execute(update(messages).where(messages.c.id.in_(ids)).values(delivered=True))

    # --- cases -------------------------------------------------------------------------------
    def open_case(
        self, conversation_id: str, channel: str, office_id: str, language: str, summary: Dict[str, Any]
    ) -> Case:
        """Open a case for the conversation, or return the one that is still open or claimed."""
        existing = self.active_case(conversation_id)
        if existing is not None:
            return existing
        now = utcnow()
        with self.engine.begin() as db:
            result = db.execute(
                insert(cases).values(
                    conversation_id=conversation_id,
                    channel=channel,
                    office_id=office_id,
                    language=language,
                    summary=summary,
                    status=OPEN,
                    created_at=now,
                )
            )
        case_id = result.inserted_primary_key[0]
        return Case(case_id, conversation_id, channel, office_id, language, summary, OPEN, None, now)

    def active_case(self, conversation_id: str) -> Optional[Case]:
        """The open or claimed case of a conversation, if any."""
        query = (
            select(cases)
            .where(cases.c.conversation_id == conversation_id, cases.c.status.in_(ACTIVE))
            .order_by(cases.c.id.desc())
        )
        with self.engine.connect() as db:
            row = db.execute(query).first()
        return _case(row) if row else None

    def case(self, case_id: int) -> Optional[Case]:
        with self.engine.connect() as db:
            row = db.execute(select(cases).where(cases.c.id == case_id)).first()
        return _case(row) if row else None

    def queue(
        self,
        offices: Sequence[str],
        language: Optional[str] = None,
        statuses: Sequence[str] = ACTIVE,
        limit: int = 200,
    ) -> List[Case]:
        """Cases of ``offices`` (optionally of one ``language``) in ``statuses``, oldest first."""
        conditions = [cases.c.office_id.in_(list(offices)), cases.c.status.in_(list(statuses))]
        if language:
            conditions.append(cases.c.language == language)
        query = select(cases).where(and_(*conditions)).order_by(cases.c.id).limit(limit)
        with self.engine.connect() as db:
            return [_case(r) for r in db.execute(query)]

    def claim(self, case_id: int, username: str) -> bool:
        """Claim an open case; False if it is not open any more."""
        with self.engine.begin() as db:
            result = db.execute(
                update(cases)
                .where(cases.c.id == case_id, cases.c.status == OPEN)
                .values(status=CLAIMED, claimed_by=username, claimed_at=utcnow())
            )
        return result.rowcount == 1

    def close_case(self, case_id: int) -> bool:
        """Close an open or claimed case; False if it was closed already."""
        with self.engine.begin() as db:
            result = db.execute(
                update(cases)
                .where(cases.c.id == case_id, cases.c.status.in_(ACTIVE))
                .values(status=CLOSED, closed_at=utcnow())
            )
        return result.rowcount == 1

    # --- channel memory ----------------------------------------------------------------------
    def _memory_row(self, channel: str, kind: str, key: str) -> Any:
        c = channel_memory.c
        return and_(c.channel == channel, c.kind == kind, c.key == key)

    def recall(self, channel: str, kind: str, key: str) -> Any:
        """What ``channel`` remembered as ``kind`` for ``key`` (None if nothing)."""
        query = select(channel_memory.c.value).where(self._memory_row(channel, kind, key))
        with self.engine.connect() as db:
            row = db.execute(query).first()
        return None if row is None else row.value

    def remember(self, channel: str, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` (JSON) as ``kind`` for ``key``, replacing what was there."""
        values = {"value": value, "updated_at": utcnow()}
        with self.engine.begin() as db:
            row = self._memory_row(channel, kind, key)
            if not db.execute(update(channel_memory).where(row).values(**values)).rowcount:
                db.execute(insert(channel_memory).values(channel=channel, kind=kind, key=key, **values))

    def forget(self, channel: str, kind: str, key: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(channel_memory).where(self._memory_row(channel, kind, key)))

    # --- privacy -----------------------------------------------------------------------------
    def delete_conversation(self, conversation_id: str) -> int:
        """Delete every message, case and channel memory of a conversation; the number of rows deleted."""
        with self.engine.begin() as db:
            removed = db.execute(
                delete(messages).where(messages.c.conversation_id == conversation_id)
            ).rowcount
            removed += db.execute(delete(cases).where(cases.c.conversation_id == conversation_id)).rowcount
            memory = delete(channel_memory).where(channel_memory.c.key == conversation_id)
            removed += db.execute(memory).rowcount
        return removed

    def purge(self, cutoff: datetime) -> Dict[str, int]:
        """Delete old closed cases, silent conversations and channel memories (older than ``cutoff``).

        Conversations with an open or claimed case are kept whole. Returns counts.
        """
        active = select(cases.c.conversation_id).where(cases.c.status.in_(ACTIVE))
        silent = (
            select(messages.c.conversation_id)
            .group_by(messages.c.conversation_id)
            .having(func.max(messages.c.created_at) < cutoff)
        )
        with self.engine.begin() as db:
            old_cases = [
                row.id
                for row in db.execute(
                    select(cases.c.id).where(
                        cases.c.status == CLOSED,
                        or_(cases.c.closed_at < cutoff, cases.c.conversation_id.in_(silent)),
                    )
                )
            ]
            removed_messages = 0
            if old_cases:
                removed_messages += db.execute(
                    delete(messages).where(messages.c.case_id.in_(old_cases))
                ).rowcount
                db.execute(delete(cases).where(cases.c.id.in_(old_cases)))
            removed_messages += db.execute(
                delete(messages).where(
                    messages.c.conversation_id.in_(silent), messages.c.conversation_id.not_in(active)
                )
            ).rowcount
            expired = db.execute(delete(sessions).where(sessions.c.expires_at < utcnow())).rowcount
            memories = db.execute(delete(channel_memory).where(channel_memory.c.updated_at < cutoff)).rowcount
        return {
            "cases": len(old_cases),
            "messages": removed_messages,
            "sessions": expired,
            "channel_memories": memories,
        }
