"""The gaps report for the content editors' view: what residents asked that the catalogue did not
answer. Editors and admins only; the report holds redacted questions and counts, never a case."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from bot.db import get_session
from bot.gaps_report import report_for_days, service_names
from bot.routers.common import no_store
from bot.security import require_editor, settings_from

router = APIRouter(
    prefix="/api/editor", tags=["editor"], dependencies=[Depends(require_editor), Depends(no_store)]
)


@router.get("/gaps")
def gaps(
    request: Request,
    days: int = Query(30, ge=1, le=366, description="how many days back from now"),
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    names = service_names(settings_from(request))
    return report_for_days(session, days, names=names).as_dict()
