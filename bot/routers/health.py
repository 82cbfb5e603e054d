"""Liveness and readiness: is the gateway up, can it serve residents, and can it reach all it talks to.

``/health/serving`` is the load balancer's readiness: the gateway serves residents as long as its database
answers, with Rasa down too (it stores the message and answers from its own screening, crisis card first,
``bot.outage``). Taking it out of rotation when Rasa is down would turn that answer into the proxy's 503.
``/health/ready`` also asks Rasa and the action server: for monitoring, the tests and the launcher."""

from __future__ import annotations

from typing import Literal

import httpx
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.chat_services import ChatServices, get_chat_services
from bot.db import get_session
from bot.text_input import CleanTextModel

router = APIRouter(prefix="/health", tags=["health"])


class Readiness(CleanTextModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, bool]


@router.get("/live")
def live() -> dict[str, str]:
    return {"status": "ok"}


def _action_server_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=3.0).is_success
    except httpx.HTTPError:
        return False


def _database_ready(session: Session) -> bool:
    try:
        session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not ready"; the body says which part failed
        return False


def _readiness(checks: dict[str, bool]) -> JSONResponse:
    status = 200 if all(checks.values()) else 503
    return JSONResponse({"status": "ok" if status == 200 else "unavailable", "checks": checks},
                        status_code=status)


@router.get(
    "/serving",
    response_model=None,
    responses={
        200: {"model": Readiness, "description": "the database answers: residents are served"},
        503: {"model": Readiness, "description": "the database does not"},
    },
)
def serving(session: Session = Depends(get_session)) -> JSONResponse:
    return _readiness({"database": _database_ready(session)})


@router.get(
    "/ready",
    response_model=None,
    responses={
        200: {"model": Readiness, "description": "the database, Rasa and the action server answer"},
        503: {"model": Readiness, "description": "one of them does not: ``checks`` says which"},
    },
)
def ready(
    session: Session = Depends(get_session), services: ChatServices = Depends(get_chat_services)
) -> JSONResponse:
    return _readiness({
        "database": _database_ready(session),
        "rasa": services.rasa.is_ready(),
        "action_server": _action_server_ready(services.settings.action_server_url),
    })
