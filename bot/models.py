"""The gateway's tables. The schema itself is created by the Alembic migrations in ``migrations/``."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# Workers handle cases, editors keep the service catalogue; an admin may do both. An editor never sees a case.
ROLES = ("worker", "admin", "editor")
CASE_ROLES = ("worker", "admin")
EDITOR_ROLES = ("editor", "admin")
STATUSES = ("new", "claimed", "closed")
URGENCIES = ("acute", "urgent", "normal")
# "worker": a professional writing in a live chat; "system": a notice both sides see (joined, ended).
MESSAGE_ROLES = ("user", "bot", "worker", "system")
# A case whose resident chose to chat now: waiting for a worker, active with one, ended.
CHAT_STATES = ("waiting", "active", "ended")
SEGMENT_NAMES = {
    1: "omatoimiasiakkuus",
    2: "tukiasiakkuus",
    3: "yhteistyoasiakkuus",
    4: "huolenpitoasiakkuus",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def new_id() -> str:
    return str(uuid.uuid4())


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(128), nullable=False)
    role = Column(String(16), nullable=False, default="worker")
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # On live-chat duty until this moment (set by the worker, cleared on sign-out); None = off duty.
    chat_duty_until = Column(DateTime(timezone=True), nullable=True)


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(String(36), primary_key=True, default=new_id)
    conversation_id = Column(String(128), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    status = Column(String(16), nullable=False, default="new", index=True)
    urgency = Column(String(16), nullable=False)
    segment = Column(Integer, nullable=False)  # suggested by triage
    segment_confirmed = Column(Integer, nullable=True)  # set by a worker
    segment_reasons = Column(JSON, nullable=False, default=list)
    risk_signals = Column(JSON, nullable=False, default=list)
    summary = Column(Text, nullable=False, default="")
    consent = Column(Boolean, nullable=False, default=False)
    # How the resident wants to be reached; a phone number is never stored here (see ContactDetail).
    contact = Column(JSON, nullable=False, default=dict)
    claimed_by = Column(String(64), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    outcome = Column(Text, nullable=True)
    idempotency_key = Column(String(200), nullable=True, unique=True)
    chat_state = Column(String(16), nullable=True)  # None: not a live chat; else one of CHAT_STATES

    @property
    def effective_segment(self) -> int:
        return self.segment_confirmed or self.segment


class HandoffNote(Base):
    __tablename__ = "handoff_notes"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(String(36), ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ConversationMessage(Base):
    __tablename__ = "conversation_messages"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    role = Column(String(8), nullable=False)
    text = Column(Text, nullable=False)  # already redacted by the gateway
    author = Column(String(64), nullable=True)  # the worker's username for role "worker"
    kind = Column(String(32), nullable=True)  # an assistant message's card type ("ask_callback_phone", ...)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ContactDetail(Base):
    """A phone number a resident gave for a call-back, kept apart from the transcript."""

    __tablename__ = "contact_details"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="phone")
    value = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Feedback(Base):
    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    helpful = Column(Boolean, nullable=False)
    topic = Column(String(64), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(64), nullable=False)
    handoff_id = Column(String(36), nullable=True, index=True)
    detail = Column(JSON, nullable=True)


class CatalogueChange(Base):
    """One published change of a catalogue entry, with the content before and after (the history).

    The YAML files are the live catalogue; this table is who changed what and when. An undo is a new row
    that restores an earlier ``before``, so the history stays whole."""

    __tablename__ = "catalogue_changes"

    id = Column(Integer, primary_key=True)
    service_id = Column(String(64), nullable=False, index=True)
    action = Column(String(16), nullable=False)  # CHANGE_ACTIONS
    author = Column(String(64), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    before = Column(JSON, nullable=True)  # None: the entry did not exist
    after = Column(JSON, nullable=True)  # None: the entry was retired
    file = Column(String(128), nullable=False)
    minor = Column(Boolean, nullable=False, default=False)
    note = Column(Text, nullable=True)
    undo_of = Column(Integer, nullable=True)  # the change this one undid


CHANGE_ACTIONS = ("create", "update", "retire", "undo")


class CatalogueDraft(Base):
    """A saved change not yet live: the live entry stays as it is until the draft is published, by an editor
    or at ``publish_at`` by the gateway. One draft per entry; a new entry's draft has no live entry yet."""

    __tablename__ = "catalogue_drafts"

    service_id = Column(String(64), primary_key=True)
    data = Column(JSON, nullable=False)
    base_version = Column(String(32), nullable=True)  # the live version the draft was made from
    file = Column(String(128), nullable=False)
    author = Column(String(64), nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    minor = Column(Boolean, nullable=False, default=False)
    note = Column(Text, nullable=True)
    publish_at = Column(DateTime(timezone=True), nullable=True, index=True)


# What routing did with a resident's question, for the content editors' gaps report.
ROUTING_OUTCOMES = ("answered", "clarified", "nothing")
# How the shown services were found: the catalogue search on the text, the resident's pick among the
# clarifying buttons, or (search unsure) the NLU topic's cards.
ROUTING_SOURCES = ("search", "choice", "topic")
ROUTING_QUESTION_CHARS = 300


class RoutingEvent(Base):
    """One routing decision. No raw conversation id: a keyed hash links it to the resident's "Sainko
    apua?" answer in the same conversation and nothing else; the question is redacted and capped."""

    __tablename__ = "routing_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    conversation_hash = Column(String(64), nullable=True, index=True)
    outcome = Column(String(16), nullable=False)  # ROUTING_OUTCOMES
    source = Column(String(16), nullable=False, default="search")  # ROUTING_SOURCES
    question = Column(String(ROUTING_QUESTION_CHARS), nullable=False, default="")
    best_score = Column(Float, nullable=True)  # None: no ranking (a button choice, an empty search)
    margin = Column(Float, nullable=True)  # best minus the second best
    services = Column(JSON, nullable=False, default=list)  # ids of the cards or buttons shown
    topic = Column(String(64), nullable=True)
    language = Column(String(8), nullable=False, default="fi")
    helpful = Column(Boolean, nullable=True)  # the resident's "Sainko apua?" answer, when given
