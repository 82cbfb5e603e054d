"""Live chat between a resident and an on-duty worker: worker duty, chat state of a case, its messages.

A case becomes a live chat when the resident chooses "chat now" as the contact method. Its life cycle:
``waiting`` (in the queue) -> ``active`` (a worker claimed it and joined) -> ``ended`` (either side ended
it, or the case was closed). Messages live in the same transcript as the assistant's, so the worker,
the audit trail and the triage summary see one conversation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import ConversationMessage, Handoff, User, as_utc, utcnow
from bot.repositories.conversations import add_message

LIVE_STATES = ("waiting", "active")
CHAT_METHOD = "chat"

# System lines in the transcript, for the worker and the audit of what the resident was shown.
JOINED_TEXT = "Ammattilainen liittyi keskusteluun."
ENDED_BY_WORKER_TEXT = "Ammattilainen päätti keskustelun."
ENDED_BY_RESIDENT_TEXT = "Asukas päätti keskustelun."
ENDED_BY_CLOSING_TEXT = "Keskustelu päättyi, kun tapaus suljettiin."


class ChatNotAllowed(Exception):
    """The case is not in a chat state that allows this (answered with 409)."""


# --- worker duty ----------------------------------------------------------------------------------


def start_duty(session: Session, user: User, until: datetime) -> None:
    user.chat_duty_until = until
    session.flush()


def end_duty(session: Session, user: User) -> None:
    user.chat_duty_until = None
    session.flush()


def on_duty(user: User, now: datetime | None = None) -> bool:
    until = as_utc(user.chat_duty_until)
    return until is not None and until > (now or utcnow())


def workers_on_duty(session: Session, now: datetime | None = None) -> int:
    moment = now or utcnow()
    count = session.scalar(
        select(func.count(User.id)).where(User.active.is_(True), User.chat_duty_until > moment)
    )
    return int(count or 0)


def waiting_chats(session: Session) -> int:
    """How many residents wait in a chat for a worker to join (a count: no personal data, not audited)."""
    return int(session.scalar(select(func.count(Handoff.id)).where(Handoff.chat_state == "waiting")) or 0)


# --- chat state of a case -------------------------------------------------------------------------


def apply_contact_choice(handoff: Handoff) -> None:
    """Choosing "chat now" puts the case in the waiting state; another choice leaves a chat as it is."""
    if (handoff.contact or {}).get("method") == CHAT_METHOD and handoff.chat_state in (None, "ended"):
        handoff.chat_state = "waiting"


def live_case(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's case that is a live chat now (waiting or active), if any."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.chat_state.in_(LIVE_STATES))
        .order_by(Handoff.created_at.desc())
    ).first()


def latest_chat_case(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's latest case that was or is a live chat."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.chat_state.is_not(None))
        .order_by(Handoff.created_at.desc())
    ).first()


def join(session: Session, handoff: Handoff) -> bool:
    """The worker who claimed a waiting chat joins it; ``True`` when the chat became active now."""
    if handoff.chat_state != "waiting":
        return False
    handoff.chat_state = "active"
    add_message(session, handoff.conversation_id, "system", JOINED_TEXT)
    return True


def add_worker_message(session: Session, handoff: Handoff, username: str, text: str) -> ConversationMessage:
    if handoff.chat_state != "active":
        raise ChatNotAllowed("the case has no active chat")
    if handoff.claimed_by != username:
        raise ChatNotAllowed(f"the chat is handled by {handoff.claimed_by}")
    handoff.updated_at = utcnow()
    return add_message(session, handoff.conversation_id, "worker", text, author=username)


def end(session: Session, handoff: Handoff, text: str) -> bool:
    """End a waiting or active chat; ``False`` when there was none to end."""
    if handoff.chat_state not in LIVE_STATES:
        return False
    handoff.chat_state = "ended"
    add_message(session, handoff.conversation_id, "system", text)
    return True


def messages_after(
    session: Session, conversation_id: str, after_id: int, roles: tuple[str, ...] | None = None
) -> list[ConversationMessage]:
    query = (
        select(ConversationMessage)
        .where(ConversationMessage.conversation_id == conversation_id, ConversationMessage.id > after_id)
        .order_by(ConversationMessage.id)
        .limit(200)
    )
    if roles:
        query = query.where(ConversationMessage.role.in_(roles))
    return list(session.scalars(query))
