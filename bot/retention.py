"""The retention job: what the county may no longer keep is deleted after its retention period.

Deleted, for every conversation whose last message is older than the period and that has no open case:
the transcript (``conversation_messages``), the call-back numbers (``contact_details``) and Rasa's tracker
events for the same conversation id (Rasa has no deletion of its own, so the job deletes from its SQL tracker
store). For closed cases older than the period the case row stays (the worker's record: segment, summary,
notes, outcome), but its contact details are emptied. Routing events (the editors' gaps report) older than
the period are deleted too: redacted as they are, a question can still say more than it should. Every run
is audited with its counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, delete, func, inspect, select, text
from sqlalchemy.orm import Session

from bot.models import ContactDetail, ConversationMessage, Handoff, RoutingEvent
from bot.repositories import audit

OPEN_STATUSES = ("new", "claimed")
_PERIOD = re.compile(r"^(?P<n>\d{1,5})(?P<unit>[dh])$")
TRACKER_TABLE = "events"  # Rasa's SQLTrackerStore


class RetentionError(ValueError):
    pass


def parse_period(value: str) -> timedelta:
    """``90d`` or ``12h``; at least one hour, so a typo cannot empty the database."""
    match = _PERIOD.match(value.strip())
    if not match:
        raise RetentionError("the period is a number and d (days) or h (hours), e.g. 90d")
    amount = int(match["n"])
    period = timedelta(days=amount) if match["unit"] == "d" else timedelta(hours=amount)
    if period < timedelta(hours=1):
        raise RetentionError("the period must be at least 1h")
    return period


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    messages: int
    contact_details: int
    tracker_events: int
    closed_cases_cleared: int
    routing_events: int = 0


def tracker_store_url(database_url: str, data_dir: Path) -> str:
    """Where Rasa keeps its trackers: the gateway's PostgreSQL, or its own SQLite file
    (``scripts/run_system.py``)."""
    if database_url.startswith("postgresql"):
        return database_url
    return f"sqlite:///{data_dir / 'rasa_tracker.sqlite3'}"


def _delete_tracker_events(url: str, conversation_ids: list[str]) -> int:
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0  # Rasa has not run here yet
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table(TRACKER_TABLE):
            return 0
        deleted = 0
        with engine.begin() as connection:
            for start in range(0, len(conversation_ids), 500):
                chunk = conversation_ids[start:start + 500]
                params = {f"id{i}": value for i, value in enumerate(chunk)}
                placeholders = ", ".join(f":id{i}" for i in range(len(chunk)))
                result = connection.execute(
                    text(f"DELETE FROM {TRACKER_TABLE} WHERE sender_id IN ({placeholders})"), params)
                deleted += result.rowcount or 0
        return deleted
    finally:
        engine.dispose()


def purge(session: Session, older_than: timedelta, tracker_url: str, actor: str,
          now: datetime | None = None) -> PurgeResult:
    """Delete what is older than ``older_than`` (rules in the module docstring); commits."""
    cutoff = (now or datetime.now(timezone.utc)) - older_than
    last_message = (select(ConversationMessage.conversation_id, func.max(ConversationMessage.created_at))
                    .group_by(ConversationMessage.conversation_id))
    open_ids = set(session.scalars(select(Handoff.conversation_id).where(Handoff.status.in_(OPEN_STATUSES))))
    expired = [cid for cid, last in session.execute(last_message)
               if _aware(last) < cutoff and cid not in open_ids]
    messages = contacts = 0
    for start in range(0, len(expired), 500):
        chunk = expired[start:start + 500]
        messages += session.execute(
            delete(ConversationMessage).where(ConversationMessage.conversation_id.in_(chunk))).rowcount or 0
        contacts += session.execute(
            delete(ContactDetail).where(ContactDetail.conversation_id.in_(chunk))).rowcount or 0
    cleared = 0
    for case in session.scalars(select(Handoff).where(Handoff.status.notin_(OPEN_STATUSES))):
        if case.closed_at is not None and _aware(case.closed_at) < cutoff and case.contact not in ({}, None):
            case.contact = {}
            cleared += 1
    events = _delete_tracker_events(tracker_url, expired) if expired else 0
    routing = session.execute(delete(RoutingEvent).where(RoutingEvent.at < cutoff)).rowcount or 0
    result = PurgeResult(len(expired), messages, contacts, events, cleared, routing)
    audit.record(session, actor, "retention_purge", None,
                 {"older_than_hours": int(older_than.total_seconds() // 3600), **result.__dict__})
    session.commit()
    return result


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
