"""Cases handed over to a human worker, and their life cycle: new -> claimed -> closed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import URGENCIES, Handoff, HandoffNote, utcnow
from bot.repositories import live_chat
from bot.repositories.conversations import remember_phone

URGENCY_ORDER = {urgency: rank for rank, urgency in enumerate(URGENCIES)}  # acute, urgent, normal


class HandoffNotFound(Exception):
    pass


class InvalidTransition(Exception):
    """The case is not in a state that allows the change (answered with 409)."""


class IdempotencyConflict(Exception):
    """The idempotency key was already used for another conversation's case."""


def _contact_without_phone(session: Session, conversation_id: str, contact: dict[str, Any] | None) -> dict:
    """The phone number itself goes to ContactDetail; the case only records that one is on file."""
    contact = dict(contact or {})
    phone = contact.pop("phone", None)
    if isinstance(phone, str) and phone.strip():
        remember_phone(session, conversation_id, phone)
        contact["phone_on_file"] = True
    return contact


def get_by_key(session: Session, idempotency_key: str) -> Handoff | None:
    return session.scalars(select(Handoff).where(Handoff.idempotency_key == idempotency_key)).first()


OUTAGE_KEY_PREFIX = "outage:"  # the idempotency key of a case the gateway stored while Rasa was down


def outage_key(conversation_id: str) -> str:
    # Unique per case (a closed outage case must not swallow a later outage's), found by its prefix.
    return f"{OUTAGE_KEY_PREFIX}{conversation_id}:{uuid.uuid4().hex}"


def absorb_outage_case(session: Session, data: dict[str, Any]) -> Handoff | None:
    """The open case the gateway stored for this conversation while Rasa was down, completed with the action
    server's case instead of a second case (Rasa does not know what the gateway answered alone). Signals of
    both are kept, urgency never drops, consent and contact come from the dialogue; from now on the case
    answers to the action server's idempotency key."""
    prefix = f"{OUTAGE_KEY_PREFIX}{data['conversation_id']}:"
    case = session.scalars(
        select(Handoff).where(
            Handoff.idempotency_key.startswith(prefix, autoescape=True),
            Handoff.status.in_(("new", "claimed")),
        )
    ).first()
    if case is None:
        return None
    signals = list(data.get("risk_signals") or [])
    known = {signal.get("category") for signal in signals}
    signals += [signal for signal in case.risk_signals or [] if signal.get("category") not in known]
    reassess(
        session, case, urgency=data["urgency"], segment=data["segment"],
        segment_reasons=list(data.get("segment_reasons") or []), risk_signals=signals,
        summary=data.get("summary") or case.summary,
    )
    case.consent = bool(case.consent or data.get("consent"))
    case.contact = _contact_without_phone(session, data["conversation_id"], data.get("contact"))
    live_chat.apply_contact_choice(case)
    case.idempotency_key = data.get("idempotency_key")
    session.flush()
    return case


def create(session: Session, data: dict[str, Any]) -> tuple[Handoff, bool]:
    """Store a case; with an ``idempotency_key`` seen before, return that case instead (``created`` False).

    On a race between two requests with the same key the loser's transaction is rolled back and the
    winner's case returned, so callers should create the case before anything else in the transaction.
    """
    key = data.get("idempotency_key")
    if key:
        existing = get_by_key(session, key)
        if existing is not None:
            if existing.conversation_id != data["conversation_id"]:
                raise IdempotencyConflict(key)
            return existing, False
    handoff = Handoff(
        conversation_id=data["conversation_id"],
        status="new",
        urgency=data["urgency"],
        segment=data["segment"],
        segment_reasons=list(data.get("segment_reasons") or []),
        risk_signals=list(data.get("risk_signals") or []),
        summary=data.get("summary") or "",
        consent=bool(data.get("consent")),
        contact=_contact_without_phone(session, data["conversation_id"], data.get("contact")),
        idempotency_key=key,
    )
    live_chat.apply_contact_choice(handoff)
    session.add(handoff)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        existing = get_by_key(session, key) if key else None
        if existing is None:
            raise
        if existing.conversation_id != data["conversation_id"]:
            raise IdempotencyConflict(key) from None
        return existing, False
    return handoff, True


def get(session: Session, handoff_id: str) -> Handoff:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise HandoffNotFound(handoff_id)
    return handoff


def list_handoffs(
    session: Session,
    status: str | list[str] | tuple[str, ...] | None = None,
    conversation_id: str | None = None,
    limit: int = 500,
) -> list[Handoff]:
    """Most urgent first (acute, urgent, normal), then the longest waiting first."""
    urgency_rank = case(
        *[(Handoff.urgency == urgency, rank) for urgency, rank in URGENCY_ORDER.items()],
        else_=len(URGENCY_ORDER),
    )
    query = select(Handoff).order_by(urgency_rank, Handoff.created_at, Handoff.id).limit(limit)
    if isinstance(status, str):
        query = query.where(Handoff.status == status)
    elif status:
        query = query.where(Handoff.status.in_(list(status)))
    if conversation_id is not None:
        query = query.where(Handoff.conversation_id == conversation_id)
    return list(session.scalars(query))


def notes(session: Session, handoff_id: str) -> list[HandoffNote]:
    return list(
        session.scalars(
            select(HandoffNote)
            .where(HandoffNote.handoff_id == handoff_id)
            .order_by(HandoffNote.created_at, HandoffNote.id)
        )
    )


def require_open(handoff: Handoff) -> None:
    if handoff.status == "closed":
        raise InvalidTransition("the case is closed")


def claim(session: Session, handoff: Handoff, username: str) -> bool:
    """Take the case; ``False`` when this worker already had it (nothing changed).

    Claiming a waiting live chat joins it: the resident is told a professional is now there.
    """
    require_open(handoff)
    if handoff.status == "claimed":
        if handoff.claimed_by == username:
            return False
        raise InvalidTransition(f"the case is already claimed by {handoff.claimed_by}")
    handoff.status = "claimed"
    handoff.claimed_by = username
    live_chat.join(session, handoff)
    session.flush()
    return True


def add_note(session: Session, handoff: Handoff, author: str, text: str) -> HandoffNote:
    require_open(handoff)
    note = HandoffNote(handoff_id=handoff.id, author=author, text=text)
    session.add(note)
    handoff.updated_at = utcnow()
    session.flush()
    return note


def set_segment(session: Session, handoff: Handoff, segment: int) -> None:
    require_open(handoff)
    if segment not in (1, 2, 3, 4):
        raise ValueError("segment must be 1-4")
    handoff.segment_confirmed = segment
    session.flush()


def close(session: Session, handoff: Handoff, username: str, outcome: str) -> None:
    require_open(handoff)
    if handoff.status == "new":
        handoff.claimed_by = username
    handoff.status = "closed"
    handoff.closed_at = utcnow()
    handoff.outcome = outcome
    live_chat.end(session, handoff, live_chat.ENDED_BY_CLOSING_TEXT)
    session.flush()


URGENCY_RANK = {"normal": 0, "urgent": 1, "acute": 2}


def reassess(
    session: Session,
    handoff: Handoff,
    *,
    urgency: str | None,
    segment: int | None,
    segment_reasons: list[str] | None,
    risk_signals: list[dict[str, Any]] | None,
    summary: str | None,
) -> None:
    """Take a later assessment of the conversation; urgency never drops (a worker lowers it by acting)."""
    require_open(handoff)
    if urgency is not None and URGENCY_RANK[urgency] > URGENCY_RANK.get(handoff.urgency, 0):
        handoff.urgency = urgency
    if segment is not None:
        handoff.segment = segment
    if segment_reasons is not None:
        handoff.segment_reasons = segment_reasons
    if risk_signals is not None:
        handoff.risk_signals = risk_signals
    if summary is not None:
        handoff.summary = summary
    session.flush()


def update_contact(
    session: Session, handoff: Handoff, contact: dict[str, Any] | None = None, consent: bool | None = None
) -> None:
    require_open(handoff)
    if contact is not None:
        handoff.contact = _contact_without_phone(session, handoff.conversation_id, contact)
        live_chat.apply_contact_choice(handoff)
    if consent is not None:
        handoff.consent = consent
    session.flush()
