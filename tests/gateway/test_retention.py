"""The retention job (python -m bot.cli purge): old transcripts, call-back numbers and Rasa trackers go; open
cases keep theirs; closed cases keep their record but not their contact details; every run is audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select, text

from bot.cli import main as cli
from bot.db import configure_database, new_session, run_migrations
from bot.models import AuditLog, ContactDetail, ConversationMessage, Handoff
from bot.repositories import handoffs as handoffs_repo
from bot.repositories.conversations import add_message, remember_phone
from bot.retention import RetentionError, parse_period, purge, tracker_store_url

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
OLD = NOW - timedelta(days=120)
RECENT = NOW - timedelta(days=10)


def _case(session, conversation_id: str, status: str, closed_at: datetime | None) -> Handoff:
    case, _ = handoffs_repo.create(session, {
        "conversation_id": conversation_id, "urgency": "normal", "segment": 2, "segment_reasons": [],
        "risk_signals": [], "summary": "yhteenveto", "consent": True,
        "contact": {"method": "phone", "phone": "040 123 4567"},
    })
    case.status, case.closed_at = status, closed_at
    return case


def _tracker(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, "
                                "sender_id VARCHAR(255), type_name VARCHAR(255), data TEXT)"))
        connection.execute(text("DELETE FROM events"))
        for i, sender in enumerate(["old-self-service", "old-self-service", "open-case", "recent"]):
            insert = "INSERT INTO events (id, sender_id, type_name, data) VALUES (:i, :s, 'user', '{}')"
            connection.execute(text(insert), {"i": i + 1, "s": sender})
    engine.dispose()


def _tracker_senders(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        senders = [row[0] for row in connection.execute(text("SELECT sender_id FROM events ORDER BY id"))]
    engine.dispose()
    return senders


def test_purge_deletes_only_what_is_past_the_retention_period(database_url, tmp_path) -> None:
    configure_database(database_url)
    run_migrations(database_url)
    tracker = tracker_store_url(database_url, tmp_path)
    _tracker(tracker)
    with new_session() as session:
        for conversation, moment in (("old-self-service", OLD), ("open-case", OLD), ("recent", RECENT),
                                     ("old-closed", OLD)):
            message = add_message(session, conversation, "user", "kysymys")
            message.created_at = moment
            remember_phone(session, conversation, "0401234567")
        _case(session, "open-case", "new", None)
        closed = _case(session, "old-closed", "closed", OLD)
        session.commit()

        result = purge(session, parse_period("90d"), tracker, actor="cli", now=NOW)

        left = sorted({m.conversation_id for m in session.scalars(select(ConversationMessage))})
        assert left == ["open-case", "recent"]
        numbers = sorted({c.conversation_id for c in session.scalars(select(ContactDetail))})
        assert numbers == ["open-case", "recent"], numbers
        session.refresh(closed)
        assert closed.contact == {} and closed.summary == "yhteenveto"  # the record stays, the number goes
        assert result.conversations == 2 and result.tracker_events == 2
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "retention_purge")).one()
        assert entry.actor == "cli" and entry.detail["messages"] == 2
    assert _tracker_senders(tracker) == ["open-case", "recent"]


@pytest.mark.parametrize("period", ["0h", "90", "-5d", "90 days", "1w"])
def test_a_period_that_is_not_clear_is_refused(period: str, database_url, capsys) -> None:
    with pytest.raises(RetentionError):
        parse_period(period)
    assert cli(["--database-url", database_url, "purge", f"--older-than={period}"]) != 0
