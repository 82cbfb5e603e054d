"""Live-chat duty of a worker: while at least one worker is on duty inside the county's service hours,
residents are offered "chat now" as a way to be contacted. Every change is audited."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from bot.db import get_session
from bot.live_chat import DutyOutsideServiceHours, change_duty, duty_state
from bot.models import User
from bot.routers.common import county_of, no_store
from bot.schemas import ErrorResponse
from bot.security import current_worker
from bot.text_input import CleanTextModel

router = APIRouter(prefix="/api/duty", tags=["live chat"], dependencies=[Depends(no_store)])


class DutyChange(CleanTextModel):
    on_duty: bool


class DutyState(CleanTextModel):
    on_duty: bool
    until: datetime | None
    chat_available: bool
    workers_on_duty: int
    waiting_chats: int
    hours: str


@router.get("", response_model=DutyState)
def get_duty(
    request: Request, user: User = Depends(current_worker), session: Session = Depends(get_session)
) -> dict:
    return duty_state(session, user, county_of(request))


@router.post(
    "",
    response_model=DutyState,
    responses={409: {"model": ErrorResponse, "description": "duty is only possible during service hours"}},
)
def set_duty(
    body: DutyChange,
    request: Request,
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    try:
        change_duty(session, user, county_of(request), body.on_duty, "api")
    except DutyOutsideServiceHours as error:
        raise HTTPException(409, f"live-chat duty is only possible during service hours ({error})") from error
    session.commit()
    return duty_state(session, user, county_of(request))
