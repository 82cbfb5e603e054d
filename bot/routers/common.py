"""HTTP helpers that several routers share (kept out of any one router so routers never import each other)."""

from __future__ import annotations

from fastapi import HTTPException, Request, Response
from sqlalchemy.orm import Session

from bot.catalogue import gateway_catalogue
from bot.models import Handoff
from bot.repositories import handoffs as handoffs_repo
from bot.security import settings_from
from service_catalogue.county import CountyProfile


def no_store(response: Response) -> None:
    """Case data is personal: no browser or proxy may keep a copy."""
    response.headers["Cache-Control"] = "no-store"


def load_case(session: Session, handoff_id: str) -> Handoff:
    """The case, or a 404 for the API."""
    try:
        return handoffs_repo.get(session, handoff_id)
    except handoffs_repo.HandoffNotFound as error:
        raise HTTPException(404, "no such case") from error


def county_of(request: Request) -> CountyProfile:
    """The county profile of the catalogue this gateway serves (service hours, municipalities)."""
    return gateway_catalogue(settings_from(request)).county
