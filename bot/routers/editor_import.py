"""Importing from the national service catalogue (PTV v11 JSON) in the editor: upload, see what would be added
and changed field by field (conflicts with an editor's own change are kept local unless ticked), apply only
that. The same plan and apply as ``python -m service_catalogue.import_ptv`` (``service_catalogue.ptv``)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bot.catalogue import catalogue_editing
from bot.db import get_session
from bot.security import csrf_valid, settings_from
from bot.web_session import EDITOR, authorised, csrf_failed, render, templates
from service_catalogue.models import ProviderType
from service_catalogue.ptv.apply import apply_plan
from service_catalogue.ptv.plan import AddDefaults, ImportPlan, plan_import
from service_catalogue.ptv.reading import PtvFormatError, read_payloads
from service_catalogue.topics import TOPICS

router = APIRouter(prefix="/editor/import", tags=["editor"], include_in_schema=False)
templates.env.globals.update(
    IMPORT_ACTIONS={
        "add": "Uusi palvelu", "update": "Muuttuu", "blocked": "Ei voi tuoda", "skipped": "Ohitetaan",
    },
    FIELD_KINDS={"add": "lisätään", "change": "päivitetään PTV:n mukaan"},
)


def _page(request: Request, user: Any, **context: Any) -> HTMLResponse:
    status_code = context.pop("status_code", 200)
    return render(request, EDITOR, "import.html", {
        "user": user, "active": "import", "provider_types": [p.value for p in ProviderType],
        "topics": sorted(TOPICS), "plan": None, "result": None, "payload": "", "defaults": AddDefaults(),
        **context,
    }, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def import_form(request: Request, session: Session = Depends(get_session)) -> Response:
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    return _page(request, user)


async def _payloads(form: Any) -> list[tuple[str, Any]]:
    """Uploaded files, or the payload carried over from the plan page (JSON: [[name, data], ...])."""
    carried = form.get("payload")
    if isinstance(carried, str) and carried.strip():
        return [(str(name), data) for name, data in json.loads(carried)]
    payloads = []
    for upload in form.getlist("files"):
        if hasattr(upload, "read"):
            raw = await upload.read()
            if raw:
                try:
                    payloads.append((upload.filename or "upload", json.loads(raw.decode("utf-8"))))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise PtvFormatError(upload.filename or "upload", f"not JSON: {error}") from None
    return payloads


@router.post("", response_class=HTMLResponse)
async def import_plan(request: Request, session: Session = Depends(get_session)) -> Response:
    form = await request.form()
    if not csrf_valid(request, str(form.get("csrf_token") or "")):
        return csrf_failed(request, EDITOR)
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    defaults = AddDefaults(
        provider_type=str(form.get("provider_type") or "") or None,
        topics=[str(t) for t in form.getlist("topics") if t],
        segments=[int(s) for s in form.getlist("segments") if str(s).isdigit()],
    )
    try:
        payloads = await _payloads(form)
        if not payloads:
            return _page(request, user, error="Valitse tuotava PTV:n JSON-tiedosto.", status_code=422)
        settings = settings_from(request)
        plan: ImportPlan = plan_import(settings.catalogue_dir, read_payloads(payloads), defaults=defaults)
    except (PtvFormatError, ValueError) as error:
        return _page(request, user, error=f"Tiedostoa ei voi tuoda: {error}", status_code=422)
    carried = json.dumps(payloads, ensure_ascii=False)
    if form.get("_action") != "apply":
        return _page(request, user, plan=plan, payload=carried, defaults=defaults)
    accepted = [str(name) for name in form.getlist("accept")]
    result = apply_plan(plan, catalogue_editing(settings), session, author=user.username, accept=accepted)
    return _page(request, user, result=result, status_code=200 if result.ok else 409)
