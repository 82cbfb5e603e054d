"""The redacted transcript of a conversation, and the call-back phone number kept apart from it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import MESSAGE_ROLES, ContactDetail, ConversationMessage

ASK_CALLBACK_PHONE = "ask_callback_phone"  # the card type of the assistant's call-back number question


def add_message(
    session: Session, conversation_id: str, role: str, text: str, author: str | None = None,
    kind: str | None = None,
) -> ConversationMessage:
    """Append one message; a resident's ``text`` must already be redacted."""
    if role not in MESSAGE_ROLES:
        raise ValueError(f"role must be one of {MESSAGE_ROLES}, not {role!r}")
    message = ConversationMessage(conversation_id=conversation_id, role=role, text=text, author=author,
                                  kind=kind[:32] if kind else None)
    session.add(message)
    session.flush()
    return message


def asked_for_callback_phone(session: Session, conversation_id: str) -> bool:
    """Whether the assistant's latest message asked for the resident's call-back number."""
    latest = session.scalars(
        select(ConversationMessage)
        .where(ConversationMessage.conversation_id == conversation_id, ConversationMessage.role == "bot")
        .order_by(ConversationMessage.created_at.desc(), ConversationMessage.id.desc())
    ).first()
    return latest is not None and latest.kind == ASK_CALLBACK_PHONE


def get_transcript(session: Session, conversation_id: str) -> list[ConversationMessage]:
    return list(
        session.scalars(
            select(ConversationMessage)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.created_at, ConversationMessage.id)
        )
    )


def get_transcripts(
    session: Session, conversation_ids: Iterable[str]
) -> dict[str, list[ConversationMessage]]:
    ids = sorted(set(conversation_ids))
    result: dict[str, list[ConversationMessage]] = {cid: [] for cid in ids}
    if not ids:
        return result
    rows = session.scalars(
        select(ConversationMessage)
        .where(ConversationMessage.conversation_id.in_(ids))
        .order_by(ConversationMessage.created_at, ConversationMessage.id)
    )
    for row in rows:
        result[row.conversation_id].append(row)
    return result


def remember_phone(session: Session, conversation_id: str, phone: str) -> ContactDetail | None:
    """Keep a phone number the resident gave; the same number twice is stored once."""
    phone = phone.strip()
    if not phone:
        return None
    existing = session.scalars(
        select(ContactDetail).where(
            ContactDetail.conversation_id == conversation_id,
            ContactDetail.kind == "phone",
            ContactDetail.value == phone,
        )
    ).first()
    if existing is not None:
        return existing
    detail = ContactDetail(conversation_id=conversation_id, kind="phone", value=phone)
    session.add(detail)
    session.flush()
    return detail


def latest_phone(session: Session, conversation_id: str) -> str | None:
    detail = session.scalars(
        select(ContactDetail)
        .where(ContactDetail.conversation_id == conversation_id, ContactDetail.kind == "phone")
        .order_by(ContactDetail.created_at.desc(), ContactDetail.id.desc())
    ).first()
    return detail.value if detail else None
