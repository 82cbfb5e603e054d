"""Live-chat duty of a worker: while at least one worker is on duty inside the county's service hours,
residents are offered "chat now" as a way to be contacted. Every change is audited."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from bot.catalogue import gateway_catalogue
from bot.db import get_session
from bot.live_chat import DutyOutsideServiceHours, availability, start_duty
from bot.models import User, as_utc
from bot.repositories import audit
from bot.repositories import live_chat as live_chat_repo
from bot.routers.handoffs import no_store
from bot.security import current_worker, settings_from
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


def duty_state(session: Session, user: User, request: Request) -> dict:
    county = gateway_catalogue(settings_from(request)).county
    now_available = availability(session, county)
    on_duty = live_chat_repo.on_duty(user)
    return {
        "on_duty": on_duty,
        "until": as_utc(user.chat_duty_until) if on_duty else None,
        "chat_available": now_available.available,
        "workers_on_duty": now_available.workers_on_duty,
        "waiting_chats": live_chat_repo.waiting_chats(session),
        "hours": now_available.hours,
    }


def change_duty(session: Session, user: User, request: Request, on_duty: bool, via: str) -> None:
    """Start or end the worker's duty; ``DutyOutsideServiceHours`` outside the county's hours."""
    if on_duty:
        until = start_duty(session, user, gateway_catalogue(settings_from(request)).county)
        audit.record(
            session, user.username, "chat_duty_started", detail={"via": via, "until": until.isoformat()}
        )
    else:
        live_chat_repo.end_duty(session, user)
        audit.record(session, user.username, "chat_duty_ended", detail={"via": via})


@router.get("", response_model=DutyState)
def get_duty(
    request: Request, user: User = Depends(current_worker), session: Session = Depends(get_session)
) -> dict:
    return duty_state(session, user, request)


@router.post("", response_model=DutyState)
def set_duty(
    body: DutyChange,
    request: Request,
    user: User = Depends(current_worker),
    session: Session = Depends(get_session),
) -> dict:
    try:
        change_duty(session, user, request, body.on_duty, "api")
    except DutyOutsideServiceHours as error:
        raise HTTPException(409, f"live-chat duty is only possible during service hours ({error})") from error
    session.commit()
    return duty_state(session, user, request)
