"""Cases as workers see them (the API and the inbox pages alike): the case fields with the transcript, and the
worker's side of a live chat. Every read or write of personal data here is audited by the caller's ``via``."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from bot.models import Handoff, User, as_utc
from bot.privacy import redact_identity_codes
from bot.repositories import audit
from bot.repositories import conversations as conversations_repo
from bot.repositories import handoffs as handoffs_repo
from bot.repositories import live_chat as live_chat_repo
from bot.schemas import case_fields, transcript_message


def build_case(session: Session, handoff: Handoff) -> dict:
    transcript = conversations_repo.get_transcript(session, handoff.conversation_id)
    return case_fields(handoff, transcript, datetime.now(timezone.utc))


def build_case_detail(session: Session, handoff: Handoff) -> dict:
    fields = build_case(session, handoff)
    fields["notes"] = [
        {"id": n.id, "author": n.author, "text": n.text, "created_at": as_utc(n.created_at)}
        for n in handoffs_repo.notes(session, handoff.id)
    ]
    fields["callback_phone"] = conversations_repo.latest_phone(session, handoff.conversation_id)
    return fields


def build_cases(session: Session, handoffs: list[Handoff]) -> list[dict]:
    transcripts = conversations_repo.get_transcripts(session, [h.conversation_id for h in handoffs])
    now = datetime.now(timezone.utc)
    return [case_fields(h, transcripts[h.conversation_id], now) for h in handoffs]


def chat_messages(session: Session, handoff: Handoff, user: User, after: int, via: str) -> dict:
    """The conversation's messages after ``after``; reading new ones is audited, an empty poll is not."""
    messages = live_chat_repo.messages_after(session, handoff.conversation_id, after)
    if messages:
        audit.record(
            session,
            user.username,
            "chat_messages_read",
            handoff.id,
            {"via": via, "from_id": messages[0].id, "to_id": messages[-1].id},
        )
    return {
        "chat_state": handoff.chat_state,
        "messages": [transcript_message(m) for m in messages],
        "last_id": messages[-1].id if messages else after,
    }


def send_chat_message(session: Session, handoff: Handoff, user: User, text: str, via: str) -> dict:
    """Raises ``InvalidTransition`` (closed case) or ``ChatNotAllowed`` (no active chat, not yours)."""
    handoffs_repo.require_open(handoff)
    message = live_chat_repo.add_worker_message(session, handoff, user.username, redact_identity_codes(text))
    audit.record(
        session, user.username, "chat_message_sent", handoff.id, {"via": via, "message_id": message.id}
    )
    return transcript_message(message)


def end_chat(session: Session, handoff: Handoff, user: User, via: str) -> bool:
    ended = live_chat_repo.end(session, handoff, live_chat_repo.ENDED_BY_WORKER_TEXT)
    if ended:
        audit.record(session, user.username, "chat_ended", handoff.id, {"via": via, "by": "worker"})
    return ended
