"""Residents' answers to "did this help?"."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Feedback


def record_feedback(
    session: Session, conversation_id: str, helpful: bool, topic: str | None = None
) -> Feedback:
    item = Feedback(conversation_id=conversation_id, helpful=helpful, topic=topic)
    session.add(item)
    session.flush()
    return item


def list_feedback(session: Session, conversation_id: str | None = None) -> list[Feedback]:
    query = select(Feedback).order_by(Feedback.id)
    if conversation_id is not None:
        query = query.where(Feedback.conversation_id == conversation_id)
    return list(session.scalars(query))
