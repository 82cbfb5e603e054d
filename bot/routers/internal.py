"""The internal API the action server calls: store a case (durably, before the resident is told), update
its contact details, read it back, record feedback and routing events. Bearer ``ACTION_SERVICE_TOKEN``
only."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy.orm import Session

from bot.cases import build_case
from bot.catalogue import gateway_catalogue_or_none
from bot.db import get_session
from bot.live_chat import availability
from bot.models import Handoff, as_utc
from bot.repositories import audit
from bot.repositories import feedback as feedback_repo
from bot.repositories import handoffs as handoffs_repo
from bot.repositories import routing_events as routing_repo
from bot.routers.common import load_case, no_store
from bot.schemas import (
    CreatedCase,
    ErrorResponse,
    FeedbackCreate,
    FeedbackOut,
    HandoffCreate,
    HandoffUpdate,
    RoutingEventCreate,
    RoutingEventOut,
)
from bot.security import require_action_service, settings_from
from bot.settings import Settings
from bot.text_input import CleanTextModel
from service_catalogue.county import CountyProfile

router = APIRouter(
    prefix="/api/internal",
    tags=["internal"],
    dependencies=[Depends(require_action_service), Depends(no_store)],
)

ACTOR = audit.ACTION_SERVER
NOT_FOUND = {404: {"model": ErrorResponse, "description": "no such case"}}
logger = logging.getLogger(__name__)


class LiveChatAvailability(CleanTextModel):
    available: bool
    service_time: bool
    workers_on_duty: int
    hours: str
    next_contact: str


def _county(settings: Settings) -> CountyProfile | None:
    catalogue = gateway_catalogue_or_none(settings)
    return catalogue.county if catalogue else None


def _contact_time(settings: Settings) -> str | None:
    """When the county's workers next read cases ("tänään virka-aikana", ...), from the county profile."""
    profile = _county(settings)
    return profile.contact_time_text() if profile else None


def next_step(handoff: Handoff, settings: Settings) -> str:
    """What happens next, in Finnish, for the resident: by urgency, contact method and service hours."""
    if handoff.status == "closed":
        return "Ammattilainen on käsitellyt asiasi. Voit aina aloittaa uuden keskustelun."
    if handoff.chat_state == "waiting":
        return (
            "Ammattilainen liittyy tähän keskusteluun, kun hän vapautuu. Voit kirjoittaa jo nyt: "
            "hän näkee viestisi. Hätätilanteessa soita 112."
        )
    if handoff.chat_state == "active":
        return "Keskustelet nyt ammattilaisen kanssa."
    if handoff.urgency == "acute":
        return "Ammattilainen on hälytetty ja katsoo keskustelun mahdollisimman pian."
    callback = (handoff.contact or {}).get("method") == "callback"
    who = "Ammattilainen soittaa sinulle" if callback else "Ammattilainen käsittelee asiasi"
    when = _contact_time(settings) or "virka-aikana"
    sentence = f"{who} {when}."
    if handoff.urgency == "urgent":
        sentence += " Jos tilanne pahenee, soita hätänumeroon 112."
    return sentence


def _created_case(request: Request, session: Session, handoff: Handoff) -> dict:
    return {**build_case(session, handoff), "next_step": next_step(handoff, settings_from(request))}


@router.post(
    "/handoffs",
    response_model=CreatedCase,
    status_code=201,
    responses={
        200: {"model": CreatedCase, "description": "a repeated idempotency key: the case stored before"},
        409: {"model": ErrorResponse, "description": "the idempotency key belongs to another conversation"},
    },
)
def create_handoff(
    body: HandoffCreate, request: Request, response: Response, session: Session = Depends(get_session)
) -> dict:
    data = body.dict()
    data["contact"] = body.contact.dict()
    known = body.idempotency_key and handoffs_repo.get_by_key(session, body.idempotency_key)
    absorbed = None if known else handoffs_repo.absorb_outage_case(session, data)
    if absorbed is not None:
        response.status_code = 200
        audit.record(session, ACTOR, "case_updated", absorbed.id, {"via": "after_outage",
                                                                     "urgency": absorbed.urgency})
        session.commit()
        return _created_case(request, session, absorbed)
    try:
        handoff, created = handoffs_repo.create(session, data)
    except handoffs_repo.IdempotencyConflict as error:
        raise HTTPException(409, "idempotency_key was already used for another conversation") from error
    if created:
        audit.record(
            session,
            ACTOR,
            "case_created",
            handoff.id,
            {"urgency": handoff.urgency, "segment": handoff.segment, "consent": handoff.consent},
        )
    else:
        response.status_code = 200
        audit.record(
            session, ACTOR, "case_create_repeated", handoff.id, {"idempotency_key": body.idempotency_key}
        )
    # Committed before answering: the resident is only told about a case that is stored.
    session.commit()
    return _created_case(request, session, handoff)


@router.get("/handoffs/{handoff_id}", response_model=CreatedCase, responses=NOT_FOUND)
def get_handoff(handoff_id: str, request: Request, session: Session = Depends(get_session)) -> dict:
    handoff = load_case(session, handoff_id)
    audit.record(session, ACTOR, "case_viewed", handoff.id, {"via": "internal"})
    session.commit()
    return _created_case(request, session, handoff)


@router.patch(
    "/handoffs/{handoff_id}",
    response_model=CreatedCase,
    responses={
        **NOT_FOUND,
        409: {"model": ErrorResponse, "description": "the case is closed"},
    },
)
def update_handoff(
    handoff_id: str, body: HandoffUpdate, request: Request, session: Session = Depends(get_session)
) -> dict:
    handoff = load_case(session, handoff_id)
    contact = body.contact.dict() if body.contact is not None else None
    try:
        handoffs_repo.update_contact(session, handoff, contact=contact, consent=body.consent)
        handoffs_repo.reassess(
            session,
            handoff,
            urgency=body.urgency,
            segment=body.segment,
            segment_reasons=body.segment_reasons,
            risk_signals=[s.dict() for s in body.risk_signals] if body.risk_signals is not None else None,
            summary=body.summary,
        )
    except handoffs_repo.InvalidTransition as error:
        raise HTTPException(409, str(error)) from error
    audit.record(
        session,
        ACTOR,
        "case_updated",
        handoff.id,
        {"contact_method": (contact or {}).get("method"), "consent": body.consent, "urgency": body.urgency},
    )
    session.commit()
    return _created_case(request, session, handoff)


@router.get("/live-chat", response_model=LiveChatAvailability)
def live_chat_availability(request: Request, session: Session = Depends(get_session)) -> dict:
    """Whether the assistant may offer "chat now": service hours of the county and a worker on duty."""
    profile = _county(settings_from(request))
    if profile is None:  # without service hours nobody can promise a worker is there
        return {
            "available": False, "service_time": False, "workers_on_duty": 0, "hours": "", "next_contact": ""
        }
    return availability(session, profile).as_dict()


def _conversation_hash(request: Request, conversation_id: str | None) -> str | None:
    # The service token is always set when this router answers at all; it only has to be stable for the
    # minutes between an answer and its feedback.
    return routing_repo.conversation_hash(settings_from(request).action_service_token, conversation_id)


@router.post("/feedback", response_model=FeedbackOut, status_code=201)
def create_feedback(body: FeedbackCreate, request: Request, session: Session = Depends(get_session)) -> dict:
    item = feedback_repo.record_feedback(session, body.conversation_id, body.helpful, body.topic)
    # The answer the resident rated: its question and cards become the editors' "did not help" list.
    routing_repo.link_feedback(session, _conversation_hash(request, body.conversation_id), body.helpful)
    session.commit()
    return {
        "id": item.id,
        "conversation_id": item.conversation_id,
        "helpful": item.helpful,
        "topic": item.topic,
        "created_at": as_utc(item.created_at),
    }


@router.post("/routing-events", response_model=RoutingEventOut, status_code=201)
def create_routing_event(
    body: RoutingEventCreate, request: Request, session: Session = Depends(get_session)
) -> dict:
    """What routing did with a question, for the gaps report; the question is redacted on arrival."""
    event = routing_repo.record(
        session,
        conversation_hash=_conversation_hash(request, body.conversation_id),
        outcome=body.outcome,
        source=body.source,
        question=body.question,
        best_score=body.best_score,
        margin=body.margin,
        services=body.services,
        topic=body.topic,
        language=body.language,
    )
    session.commit()
    return {"id": event.id, "at": as_utc(event.at), "outcome": event.outcome, "question": event.question}
