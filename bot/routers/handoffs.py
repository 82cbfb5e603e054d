"""The worker API: the queue of cases, one case in full, and the actions on it. Every call is audited."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy.orm import Session

from bot.cases import build_case_detail, build_cases, chat_messages, end_chat, send_chat_message
from bot.db import get_session
from bot.models import User, as_utc
from bot.repositories import audit
from bot.repositories import handoffs as handoffs_repo
from bot.repositories import live_chat as live_chat_repo
from bot.routers.common import load_case, no_store
from bot.schemas import (
    MAX_ROW_ID,
    AuditEntry,
    Case,
    CaseDetail,
    ChatMessageCreate,
    ChatMessages,
    CloseRequest,
    ErrorResponse,
    NoteCreate,
    NoteOut,
    SegmentUpdate,
    Status,
    TranscriptMessage,
)
from bot.security import current_worker, require_admin

router = APIRouter(prefix="/api/handoffs", tags=["handoffs"], dependencies=[Depends(no_store)])


NOT_FOUND = {404: {"model": ErrorResponse, "description": "no such case"}}
CONFLICT = {409: {"model": ErrorResponse, "description": "the case is closed or claimed by another worker"}}
CHAT_CONFLICT = {409: {"model": ErrorResponse, "description": "the case has no chat this worker may use now"}}


def _conflict(error: handoffs_repo.InvalidTransition) -> HTTPException:
    return HTTPException(409, str(error))


@router.get("", response_model=list[Case])
def list_cases(
    status: Status | None = Query(None),
    conversation_id: str | None = Query(None, max_length=128),
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> list[dict]:
    handoffs = handoffs_repo.list_handoffs(session, status=status, conversation_id=conversation_id)
    audit.record(
        session, user.username, "cases_listed",
        detail={"status": status, "conversation_id": conversation_id, "count": len(handoffs)},
    )
    result = build_cases(session, handoffs)
    session.commit()
    return result


@router.get("/{handoff_id}", response_model=CaseDetail, responses=NOT_FOUND)
def get_case(
    handoff_id: str, user: User = Depends(current_worker), session: Session = Depends(get_session)
) -> dict:
    handoff = load_case(session, handoff_id)
    audit.record(session, user.username, "case_viewed", handoff.id, {"via": "api"})
    result = build_case_detail(session, handoff)
    session.commit()
    return result


@router.post("/{handoff_id}/claim", response_model=CaseDetail, responses={**NOT_FOUND, **CONFLICT})
def claim_case(
    handoff_id: str, user: User = Depends(current_worker), session: Session = Depends(get_session)
) -> dict:
    handoff = load_case(session, handoff_id)
    try:
        changed = handoffs_repo.claim(session, handoff, user.username)
    except handoffs_repo.InvalidTransition as error:
        raise _conflict(error) from error
    audit.record(session, user.username, "case_claimed", handoff.id, {"via": "api", "changed": changed})
    session.commit()
    return build_case_detail(session, handoff)


@router.post(
    "/{handoff_id}/notes", response_model=NoteOut, status_code=201, responses={**NOT_FOUND, **CONFLICT}
)
def add_note(
    handoff_id: str,
    body: NoteCreate,
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    handoff = load_case(session, handoff_id)
    try:
        note = handoffs_repo.add_note(session, handoff, user.username, body.text)
    except handoffs_repo.InvalidTransition as error:
        raise _conflict(error) from error
    audit.record(session, user.username, "note_added", handoff.id, {"via": "api", "note_id": note.id})
    session.commit()
    return {"id": note.id, "author": note.author, "text": note.text, "created_at": as_utc(note.created_at)}


@router.post("/{handoff_id}/segment", response_model=CaseDetail, responses={**NOT_FOUND, **CONFLICT})
def set_segment(
    handoff_id: str,
    body: SegmentUpdate,
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    handoff = load_case(session, handoff_id)
    previous = handoff.effective_segment
    try:
        handoffs_repo.set_segment(session, handoff, body.segment)
    except handoffs_repo.InvalidTransition as error:
        raise _conflict(error) from error
    audit.record(
        session, user.username, "segment_set", handoff.id,
        {"via": "api", "from": previous, "to": body.segment, "suggested": handoff.segment},
    )
    session.commit()
    return build_case_detail(session, handoff)


@router.post("/{handoff_id}/close", response_model=CaseDetail, responses={**NOT_FOUND, **CONFLICT})
def close_case(
    handoff_id: str,
    body: CloseRequest,
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    handoff = load_case(session, handoff_id)
    try:
        handoffs_repo.close(session, handoff, user.username, body.outcome)
    except handoffs_repo.InvalidTransition as error:
        raise _conflict(error) from error
    audit.record(session, user.username, "case_closed", handoff.id, {"via": "api"})
    session.commit()
    return build_case_detail(session, handoff)


# --- live chat --------------------------------------------------------------------------------------


@router.get("/{handoff_id}/messages", response_model=ChatMessages, responses=NOT_FOUND)
def get_chat_messages(
    handoff_id: str,
    after: int = Query(0, ge=0, le=MAX_ROW_ID),
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    result = chat_messages(session, load_case(session, handoff_id), user, after, "api")
    session.commit()
    return result


@router.post(
    "/{handoff_id}/messages",
    response_model=TranscriptMessage,
    status_code=201,
    responses={**NOT_FOUND, **CHAT_CONFLICT},
)
def post_chat_message(
    handoff_id: str,
    body: ChatMessageCreate,
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    handoff = load_case(session, handoff_id)
    try:
        message = send_chat_message(session, handoff, user, body.text, "api")
    except (handoffs_repo.InvalidTransition, live_chat_repo.ChatNotAllowed) as error:
        raise HTTPException(409, str(error)) from error
    session.commit()
    return message


@router.post("/{handoff_id}/chat/end", response_model=CaseDetail, responses={**NOT_FOUND, **CHAT_CONFLICT})
def end_chat_endpoint(
    handoff_id: str, user: User = Depends(current_worker), session: Session = Depends(get_session)
) -> dict:
    handoff = load_case(session, handoff_id)
    if not end_chat(session, handoff, user, "api"):
        raise HTTPException(409, "the case has no waiting or active chat")
    session.commit()
    return build_case_detail(session, handoff)


@router.get("/{handoff_id}/audit", response_model=list[AuditEntry], responses=NOT_FOUND)
def case_audit(
    handoff_id: str, user: User = Depends(require_admin), session: Session = Depends(get_session)
) -> list[dict]:
    """Who has seen and changed the case (admins only)."""
    handoff = load_case(session, handoff_id)
    entries = [
        {"id": e.id, "at": as_utc(e.at), "actor": e.actor, "action": e.action, "handoff_id": e.handoff_id,
         "detail": e.detail}
        for e in audit.for_handoff(session, handoff.id)
    ]
    audit.record(session, user.username, "audit_viewed", handoff.id, {"via": "api"})
    session.commit()
    return entries
