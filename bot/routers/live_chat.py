"""The resident's side of a live chat with a worker: new messages from the worker, and ending the chat.

The widget polls ``GET /api/chat/{conversation_id}/live`` while a chat is waiting or active, with the
conversation's live-chat secret (``X-Live-Secret``, issued with the id by ``POST /api/conversations``): the id
alone is seen by workers and in logs, so it is not enough to read or end a resident's chat.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from bot.chat_services import ChatServices, get_chat_services
from bot.conversation_ids import live_secret_valid
from bot.db import get_session
from bot.models import as_utc
from bot.repositories import audit
from bot.repositories import live_chat as live_chat_repo
from bot.routers.common import no_store
from bot.schemas import CONVERSATION_ID_REGEX, MAX_ROW_ID, ResidentError
from bot.text_input import CleanTextModel

router = APIRouter(prefix="/api/chat", tags=["live chat"], dependencies=[Depends(no_store)])

RESIDENT = "resident"
ConversationId = Path(..., regex=CONVERSATION_ID_REGEX)


class LiveMessage(CleanTextModel):
    id: int
    role: Literal["worker"]
    text: str
    created_at: datetime


class LiveState(CleanTextModel):
    state: Literal["waiting", "active", "ended"] | None
    handoff_id: str | None
    worker_available: bool = Field(
        ..., description="a worker is on duty now; false while waiting means nobody will join today"
    )
    messages: list[LiveMessage]
    last_id: int


def _state(session: Session, conversation_id: str, after: int) -> dict:
    handoff = live_chat_repo.latest_chat_case(session, conversation_id)
    # Service hours are not checked here: a worker on duty is by definition inside them (duty ends
    # with the service day), and this endpoint is polled every few seconds.
    # Only the worker's words: the resident's own messages and the assistant's replies are already
    # in the widget, and system lines are for the record (the widget says "joined"/"ended" itself).
    messages = live_chat_repo.messages_after(session, conversation_id, after, roles=("worker",))
    return {
        "state": handoff.chat_state if handoff else None,
        "handoff_id": handoff.id if handoff else None,
        "worker_available": live_chat_repo.workers_on_duty(session) > 0,
        "messages": [
            {"id": m.id, "role": m.role, "text": m.text, "created_at": as_utc(m.created_at)} for m in messages
        ],
        "last_id": messages[-1].id if messages else after,
    }


def resident_of_the_conversation(
    conversation_id: str = ConversationId,
    x_live_secret: str | None = Header(None, max_length=100, description="from POST /api/conversations"),
    services: ChatServices = Depends(get_chat_services),
) -> str:
    """The conversation's id when the caller holds its live-chat secret (the widget does); 403 otherwise."""
    if not live_secret_valid(services.conversation_key, conversation_id, x_live_secret):
        raise HTTPException(403, "this conversation's live-chat secret is missing or wrong")
    return conversation_id


NOT_YOURS = {403: {"model": ResidentError, "description": "the live-chat secret is missing or wrong"}}


@router.get("/{conversation_id}/live", response_model=LiveState, responses=NOT_YOURS)
def live_state(
    conversation_id: str = Depends(resident_of_the_conversation),
    after: int = Query(0, ge=0, le=MAX_ROW_ID, description="id of the last worker message the widget has"),
    session: Session = Depends(get_session),
) -> dict:
    return _state(session, conversation_id, after)


@router.post("/{conversation_id}/live/end", response_model=LiveState, responses=NOT_YOURS)
def end_live_chat(
    conversation_id: str = Depends(resident_of_the_conversation),
    after: int = Query(0, ge=0, le=MAX_ROW_ID),
    session: Session = Depends(get_session),
) -> dict:
    """The resident leaves the chat; the case stays in the queue for the worker to close."""
    handoff = live_chat_repo.live_case(session, conversation_id)
    if handoff is not None and live_chat_repo.end(session, handoff, live_chat_repo.ENDED_BY_RESIDENT_TEXT):
        audit.record(session, RESIDENT, "chat_ended", handoff.id, {"by": RESIDENT})
    session.commit()
    return _state(session, conversation_id, after)
