"""Routing events: stored redacted and capped, linked to the resident's "Sainko apua?" answer by a keyed
hash of the conversation id (the raw id is never stored here, so this table cannot be joined to a
transcript or a case by anyone who can read the database alone)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import ROUTING_QUESTION_CHARS, RoutingEvent, utcnow
from bot.privacy import redact

# Feedback answers the answer shown just before it; an older answered event is another question.
FEEDBACK_WINDOW = timedelta(hours=2)
_HASH_LABEL = b"routing-events/conversation/v1|"


def conversation_hash(key: str, conversation_id: str | None) -> str | None:
    """HMAC-SHA256 of the conversation id. The key is a server secret, so the hash cannot be recomputed
    from a guessed id by someone who only has the table; it only has to be stable for one conversation's
    minutes (the feedback link), so rotating the secret costs nothing."""
    if not conversation_id or not key:
        return None
    digest = hmac.new(key.encode("utf-8"), _HASH_LABEL + conversation_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]


def storable_question(text: str) -> str:
    """Redacted, whitespace collapsed, then capped: redacting first, so a cut never leaves half a phone
    number or identity code the redaction would no longer recognise."""
    redacted = " ".join(redact(text).text.split())
    if len(redacted) <= ROUTING_QUESTION_CHARS:
        return redacted
    return redacted[: ROUTING_QUESTION_CHARS - 1].rstrip() + "…"


def record(
    session: Session,
    *,
    conversation_hash: str | None,
    outcome: str,
    source: str,
    question: str,
    best_score: float | None,
    margin: float | None,
    services: Iterable[str],
    topic: str | None,
    language: str,
    at: datetime | None = None,
) -> RoutingEvent:
    event = RoutingEvent(
        at=at or utcnow(),
        conversation_hash=conversation_hash,
        outcome=outcome,
        source=source,
        question=storable_question(question),
        best_score=best_score,
        margin=margin,
        services=list(dict.fromkeys(services)),
        topic=topic,
        language=language,
    )
    session.add(event)
    session.flush()
    return event


def link_feedback(
    session: Session, conversation_hash: str | None, helpful: bool, now: datetime | None = None
) -> RoutingEvent | None:
    """Mark the conversation's latest answered event, not yet rated, with the resident's answer."""
    if conversation_hash is None:
        return None
    since = (now or utcnow()) - FEEDBACK_WINDOW
    event = session.scalars(
        select(RoutingEvent)
        .where(RoutingEvent.conversation_hash == conversation_hash, RoutingEvent.outcome == "answered",
               RoutingEvent.helpful.is_(None), RoutingEvent.at >= since)
        .order_by(RoutingEvent.at.desc(), RoutingEvent.id.desc())
        .limit(1)
    ).first()
    if event is not None:
        event.helpful = helpful
        session.flush()
    return event
