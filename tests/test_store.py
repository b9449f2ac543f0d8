"""The gateway's store, the retention purge, deleting Rasa trackers, office hours and `lotse counsellor`."""

import io
import os
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select, text

from bot import cli
from bot.handoff import (
    HandoffConfigError,
    OfficeHours,
    check_handoff_config,
    needs_person,
    parse_handoff_config,
)
from bot.privacy import delete_tracker, purge, purge_trackers
from bot.store import (
    BOT,
    CLAIMED,
    CLOSED,
    COUNSELLOR,
    IN,
    OPEN,
    Store,
    cases,
    counsellors,
    messages,
    sessions,
)


@pytest.fixture
def url():
    """The test's own gateway database (SQLite, or PostgreSQL with ``--database postgresql``)."""
    return os.environ["LOTSE_DATABASE_URL"]


@pytest.fixture
def store(url):
    store = Store(url)
    yield store
    store.close()


def test_passwords_are_salted_scrypt_hashes(store):
    store.add_counsellor("anna", "correct horse battery", ["sn_ibas_leipzig"], ["de", "uk"])
    store.add_counsellor("ben", "correct horse battery", ["be_club_dialog"])
    with store.engine.connect() as db:
        rows = {row.username: row for row in db.execute(select(counsellors))}
    assert rows["anna"].password_hash.startswith("scrypt$")
    assert "correct horse" not in rows["anna"].password_hash
    assert rows["anna"].salt != rows["ben"].salt
    assert rows["anna"].password_hash != rows["ben"].password_hash
    anna = store.authenticate("anna", "correct horse battery")
    assert anna is not None and anna.offices == ("sn_ibas_leipzig",) and anna.languages == ("de", "uk")
    assert store.authenticate("anna", "wrong") is None
    assert store.authenticate("nobody", "correct horse battery") is None
    with pytest.raises(ValueError):
        store.add_counsellor("anna", "another password", ["sn_ibas_leipzig"])
    assert [c.username for c in store.counsellors()] == ["anna", "ben"]


def test_sessions_are_stored_hashed_and_end(store):
    anna = store.add_counsellor("anna", "correct horse battery", ["sn_ibas_leipzig"])
    token, session = store.create_session(anna)
    with store.engine.connect() as db:
        stored = db.execute(select(sessions.c.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    assert store.session(token).counsellor.username == "anna"
    assert store.session(token).csrf_token == session.csrf_token
    assert store.session("forged") is None and store.session(None) is None
    store.end_session(token)
    assert store.session(token) is None


def test_removing_a_counsellor_ends_their_sessions(store):
    anna = store.add_counsellor("anna", "correct horse battery", ["sn_ibas_leipzig"])
    token, _ = store.create_session(anna)
    assert store.remove_counsellor("anna") is True
    assert store.session(token) is None
    assert store.remove_counsellor("anna") is False


def test_case_life_cycle_and_queue(store):
    summary = {"reason": "request", "profession": {"reference": "Pflegefachfrau / Pflegefachmann"}}
    case = store.open_case("conv-0001", "web", "sn_ibas_leipzig", "uk", summary)
    assert case.status == OPEN
    # One active case per conversation.
    assert store.open_case("conv-0001", "web", "sn_ibas_leipzig", "uk", {}).id == case.id
    store.open_case("conv-0002", "telegram", "sn_ibas_leipzig", "ar", {})
    store.open_case("conv-0003", "web", "be_club_dialog", "uk", {})
    assert [c.conversation_id for c in store.queue(["sn_ibas_leipzig"])] == ["conv-0001", "conv-0002"]
    assert [c.conversation_id for c in store.queue(["sn_ibas_leipzig"], "uk")] == ["conv-0001"]
    assert store.claim(case.id, "anna") is True
    assert store.claim(case.id, "ben") is False
    assert store.case(case.id).claimed_by == "anna" and store.case(case.id).status == CLAIMED
    assert store.active_case("conv-0001").id == case.id
    assert store.close_case(case.id) is True and store.close_case(case.id) is False
    assert store.active_case("conv-0001") is None
    assert store.case(case.id).as_json()["profession"] == "Pflegefachfrau / Pflegefachmann"
    assert [c.id for c in store.queue(["sn_ibas_leipzig"], statuses=(CLOSED,))] == [case.id]


def test_messages_for_the_person_and_for_the_counsellor(store):
    case = store.open_case("conv-0001", "web", "sn_ibas_leipzig", "de", {})
    store.add_message("conv-0001", "web", IN, "hallo", delivered=True)
    waiting = store.add_message("conv-0001", "web", IN, "<b>bitte</b>", case_id=case.id)
    answer = store.add_message("conv-0001", "web", COUNSELLOR, "Guten Tag", case_id=case.id)
    assert [m.text for m in store.messages_for_person("conv-0001", 0)] == ["Guten Tag"]
    assert store.messages_for_person("conv-0001", answer.id) == []
    assert store.count_case_messages(case.id, IN) == 1
    seen = store.case_messages(case.id)
    assert [m.id for m in seen] == [waiting.id, answer.id]
    assert seen[0].delivered is False  # as stored; now marked delivered
    assert store.case_messages(case.id)[0].delivered is True
    assert [m.id for m in store.case_messages(case.id, after=waiting.id)] == [answer.id]


def test_a_restart_keeps_cases_and_messages(url):
    first = Store(url)
    case = first.open_case("conv-0001", "web", "sn_ibas_leipzig", "de", {"reason": "request"})
    first.add_message("conv-0001", "web", IN, "hallo", case_id=case.id)
    first.add_counsellor("anna", "correct horse battery", ["sn_ibas_leipzig"])
    first.close()
    again = Store(url)
    assert again.active_case("conv-0001").summary == {"reason": "request"}
    assert [m.text for m in again.conversation("conv-0001")] == ["hallo"]
    assert again.authenticate("anna", "correct horse battery") is not None
    again.close()


def _age(store, days, table, **where):
    moment = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=days)
    column = "closed_at" if table is cases else "created_at"
    with store.engine.begin() as db:
        condition = [getattr(table.c, k) == v for k, v in where.items()]
        db.execute(table.update().where(*condition).values({column: moment}))


def test_purge_deletes_old_closed_cases_and_silent_conversations_only(store):
    old_closed = store.open_case("old-closed", "web", "sn_ibas_leipzig", "de", {})
    store.add_message("old-closed", "web", IN, "alt", case_id=old_closed.id)
    store.close_case(old_closed.id)
    _age(store, 100, cases, id=old_closed.id)
    old_open = store.open_case("old-open", "web", "sn_ibas_leipzig", "de", {})
    store.add_message("old-open", "web", IN, "wartet", case_id=old_open.id)
    _age(store, 100, messages, conversation_id="old-open")
    store.add_message("old-chat", "web", IN, "alt", delivered=True)
    store.add_message("old-chat", "web", BOT, "antwort", delivered=True)
    _age(store, 100, messages, conversation_id="old-chat")
    store.add_message("new-chat", "web", IN, "neu", delivered=True)
    recent_closed = store.open_case("new-chat", "web", "sn_ibas_leipzig", "de", {})
    store.close_case(recent_closed.id)

    counts = purge(store, days=90, tracker_url="")
    assert counts["cases"] == 1 and counts["messages"] == 3
    assert store.case(old_closed.id) is None
    assert store.conversation("old-closed") == [] and store.conversation("old-chat") == []
    assert store.case(old_open.id).status == OPEN  # a waiting person is never purged
    assert [m.text for m in store.conversation("old-open")] == ["wartet"]
    assert [m.text for m in store.conversation("new-chat")] == ["neu"]
    assert store.case(recent_closed.id) is not None


def _tracker_db(tmp_path, rows):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    with engine.begin() as db:
        columns = "id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp FLOAT"
        db.execute(text(f"CREATE TABLE events ({columns})"))
        for sender, timestamp in rows:
            db.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp) VALUES (:s, 'user', :t)"),
                {"s": sender, "t": timestamp},
            )
    return url, engine


def test_tracker_rows_are_deleted_per_conversation_and_by_age(tmp_path):
    now = datetime.now(timezone.utc)
    old = (now - timedelta(days=120)).timestamp()
    url, engine = _tracker_db(
        tmp_path,
        [("keep", now.timestamp()), ("forget", now.timestamp()), ("forget", now.timestamp()), ("old", old)],
    )
    assert delete_tracker("forget", url) == 2
    assert purge_trackers(now.replace(tzinfo=None) - timedelta(days=90), url) == 1
    with engine.connect() as db:
        assert [r.sender_id for r in db.execute(text("SELECT sender_id FROM events"))] == ["keep"]
    assert delete_tracker("keep", f"sqlite:///{tmp_path / 'missing.db'}") == 0


BERLIN = timezone(timedelta(hours=1))  # CET, no daylight saving time in these dates


@pytest.mark.parametrize(
    ("moment", "is_open", "opening"),
    [
        (datetime(2025, 1, 15, 10, 0, tzinfo=BERLIN), True, "2025-01-15 10:00"),  # Wednesday
        (datetime(2025, 1, 15, 17, 0, tzinfo=BERLIN), False, "2025-01-16 09:00"),
        (datetime(2025, 1, 17, 18, 30, tzinfo=BERLIN), False, "2025-01-20 09:00"),  # Friday evening
        (datetime(2025, 1, 18, 12, 0, tzinfo=BERLIN), False, "2025-01-20 09:00"),  # Saturday
        (datetime(2025, 1, 20, 7, 0, tzinfo=BERLIN), False, "2025-01-20 09:00"),  # Monday early
        (datetime(2025, 1, 20, 8, 30, tzinfo=timezone.utc), True, "2025-01-20 09:30"),  # 9:30 in Berlin
    ],
)
def test_office_hours(moment, is_open, opening):
    hours = OfficeHours()
    assert hours.is_open(moment) is is_open
    assert hours.next_opening(moment).strftime("%Y-%m-%d %H:%M") == opening


def test_handoff_settings_are_checked():
    assert check_handoff_config() == []
    assert needs_person("lawyer")
    assert parse_handoff_config({"needs_person": {"professions": ["feldsher"]}}).professions == {"feldsher"}
    assert not needs_person("nurse") and not needs_person(None)
    with pytest.raises(HandoffConfigError) as error:
        parse_handoff_config(
            {"office_hours": {"timezone": "Mars/Olympus", "days": [0], "start": "18:00", "end": "9"}}
        )
    assert len(error.value.problems) == 3


def test_counsellor_accounts_on_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert (
        cli.main(["counsellor", "add", "anna", "--office", "sn_ibas_leipzig", "--language", "de", "uk"]) == 0
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["counsellor", "add", "ben", "--office", "sn_ibas_leipzig"]) == 1
    assert cli.main(["counsellor", "add", "cleo", "--office", "nowhere"]) == 2
    capsys.readouterr()
    assert cli.main(["counsellor", "list"]) == 0
    listing = capsys.readouterr().out
    assert "anna" in listing and "sn_ibas_leipzig" in listing and "de, uk" in listing and "ben" not in listing
    store = Store()
    assert store.authenticate("anna", "a long enough password") is not None
    store.close()
    with pytest.raises(SystemExit):  # the password is never an argument
        cli.main(["counsellor", "add", "dora", "secret-password", "--office", "sn_ibas_leipzig"])
    assert cli.main(["counsellor", "remove", "anna"]) == 0
    assert cli.main(["counsellor", "remove", "anna"]) == 1
    assert cli.main(["data", "purge"]) == 0
    assert "deleted" in capsys.readouterr().out


def test_the_store_runs_on_the_chosen_database(request, store):
    chosen = request.config.getoption("--database")
    assert store.engine.dialect.name == chosen


def test_channel_memories_go_with_the_conversation_and_after_the_retention_period(store):
    store.remember("whatsapp", "choices", "wa-4917612345678", ["/affirm", "/deny"])
    store.remember("whatsapp", "choices", "wa-4917612345678", ["/ask_costs"])  # replaced
    store.remember("whatsapp", "language", "wa-4917612345678", "uk")
    store.remember("telegram", "seen", "update-7", True)
    assert store.recall("whatsapp", "choices", "wa-4917612345678") == ["/ask_costs"]
    assert store.recall("telegram", "choices", "wa-4917612345678") is None
    store.delete_conversation("wa-4917612345678")
    assert store.recall("whatsapp", "choices", "wa-4917612345678") is None
    assert store.recall("whatsapp", "language", "wa-4917612345678") is None
    assert store.recall("telegram", "seen", "update-7") is True
    store.purge(datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(seconds=1))
    assert store.recall("telegram", "seen", "update-7") is None
