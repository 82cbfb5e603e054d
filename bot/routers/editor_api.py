"""The catalogue editor's JSON API (role editor or admin): read entries with their version token, save with
it (409 with the other change on a mismatch), drafts and scheduled publishing, history and undo, preview.
Only translation between HTTP and ``bot.catalogue_editing``; every change is audited there."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from sqlalchemy.orm import Session

from bot.catalogue import catalogue_editing
from bot.catalogue_editing import CatalogueEditing, EditConflict, EntryInvalid, EntrySnapshot, UnknownEntry
from bot.catalogue_views import differences, list_entries, preview
from bot.db import get_session
from bot.models import CatalogueChange, User, as_utc
from bot.routers.common import no_store
from bot.schemas import MAX_ROW_ID, ErrorResponse
from bot.schemas import FieldError as FieldErrorOut
from bot.security import require_editor, settings_from
from bot.text_input import CleanTextModel

router = APIRouter(prefix="/api/editor", tags=["catalogue editor"], dependencies=[Depends(no_store)])

MAX_NOTE = 500


class ConflictBody(CleanTextModel):
    detail: str
    expected_version: str | None
    current: dict[str, Any] | None = Field(..., description="the entry as it is live now (null: retired)")


class InvalidEntryBody(CleanTextModel):
    detail: list[FieldErrorOut]


# What the service layer's errors become (``_outcome``), declared on each route that can give them.
MISSING = {404: {"model": ErrorResponse, "description": "no such entry (or change)"}}
CONFLICT = {409: {"model": ConflictBody, "description": "changed by someone else since `version` was read"}}
INVALID = {422: {"model": InvalidEntryBody, "description": "the entry is not valid, by field"}}


class EntryChange(CleanTextModel):
    version: str | None = Field(None, max_length=64, description="the version the change was made from")
    data: dict[str, Any]
    minor: bool = Field(False, description="a phone number or a typo: translations are not marked for review")
    note: str = Field("", max_length=MAX_NOTE)


class NewEntry(CleanTextModel):
    data: dict[str, Any]
    file: str | None = Field(None, max_length=128, regex=r"^[a-z0-9_]+\.yaml$")
    note: str = Field("", max_length=MAX_NOTE)


class DraftChange(EntryChange):
    publish_at: datetime | None = Field(None, description="publish automatically at this moment")
    file: str | None = Field(None, max_length=128, regex=r"^[a-z0-9_]+\.yaml$")


class VersionOnly(CleanTextModel):
    version: str | None = Field(None, max_length=64)
    note: str = Field("", max_length=MAX_NOTE)


class PreviewRequest(CleanTextModel):
    data: dict[str, Any]
    replacing: str | None = Field(None, max_length=64)
    questions: list[str] = Field([], max_items=12)


def _change(change: CatalogueChange | None, with_content: bool = False) -> dict[str, Any] | None:
    if change is None:
        return None
    out: dict[str, Any] = {
        "id": change.id,
        "service_id": change.service_id,
        "action": change.action,
        "author": change.author,
        "at": as_utc(change.at),
        "file": change.file,
        "minor": change.minor,
        "note": change.note,
        "undo_of": change.undo_of,
        "differences": [asdict(d) for d in differences(change.before, change.after)],
    }
    if with_content:
        out.update(before=change.before, after=change.after)
    return out


def _entry(snapshot: EntrySnapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    draft = snapshot.draft
    return {
        "service_id": snapshot.service_id,
        "version": snapshot.version,
        "file": snapshot.file,
        "data": _jsonable(snapshot.data),
        "draft": None
        if draft is None
        else {
            "data": _jsonable(draft.data),
            "base_version": draft.base_version,
            "author": draft.author,
            "updated_at": draft.updated_at,
            "minor": draft.minor,
            "note": draft.note,
            "publish_at": draft.publish_at,
            "file": draft.file,
        },
        "last_change": _change(snapshot.last_change),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _invalid(error: EntryInvalid) -> JSONResponse:
    detail = [{"field": e.field, "error": e.message} for e in error.errors]
    return JSONResponse({"detail": detail}, status_code=422)


def _conflict(error: EditConflict) -> JSONResponse:
    body = {"detail": str(error), "expected_version": error.expected, "current": _entry(error.current)}
    return JSONResponse(jsonable_encoder(body), status_code=409)


def _not_found(service_id: str) -> JSONResponse:
    return JSONResponse({"detail": f"no catalogue entry {service_id!r}"}, status_code=404)


def _outcome(action: Any, service_id: str) -> Any:
    """Run a service-layer call and translate its errors into HTTP."""
    try:
        return action()
    except EntryInvalid as error:
        return _invalid(error)
    except EditConflict as error:
        return _conflict(error)
    except UnknownEntry:
        return _not_found(service_id)


def _editing(request: Request) -> CatalogueEditing:
    return catalogue_editing(settings_from(request))


@router.get("/entries")
def entries(
    request: Request,
    q: str = Query("", max_length=100),
    provider_type: str = Query("", max_length=32),
    topic: str = Query("", max_length=64),
    review_due: bool = False,
    language_gap: str = Query("", regex="^(|sv|en)$"),
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    editing = _editing(request)
    rows = list_entries(
        editing,
        editing.drafts(session),
        date.today(),
        query=q,
        provider_type=provider_type,
        topic=topic,
        review_due=review_due,
        language_gap=language_gap,
    )
    return [asdict(row) for row in rows]


@router.get("/entries/{service_id}", responses=MISSING)
def entry(
    request: Request,
    service_id: str,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    return _outcome(lambda: _entry(_editing(request).get(session, service_id)), service_id)


@router.put("/entries/{service_id}", responses={**MISSING, **CONFLICT, **INVALID})
def save_entry(
    request: Request,
    service_id: str,
    body: EntryChange,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    """Publish a change made from ``version``; 409 with the live entry when someone else saved in between."""
    return _outcome(
        lambda: _entry(
            _editing(request).publish(
                session,
                service_id,
                body.data,
                version=body.version,
                author=user.username,
                minor=body.minor,
                note=body.note,
            )
        ),
        service_id,
    )


@router.post("/entries", status_code=201, responses={**CONFLICT, **INVALID})
def add_entry(
    request: Request,
    body: NewEntry,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    service_id = str(body.data.get("id", ""))
    return _outcome(
        lambda: _entry(
            _editing(request).add(
                session,
                body.data,
                author=user.username,
                file=body.file,
                note=body.note,
            )
        ),
        service_id,
    )


@router.post("/entries/{service_id}/retire", responses={**MISSING, **CONFLICT, **INVALID})
def retire_entry(
    request: Request,
    service_id: str,
    body: VersionOnly,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    return _outcome(
        lambda: _change(
            _editing(request).retire(
                session,
                service_id,
                version=body.version,
                author=user.username,
                note=body.note,
            )
        ),
        service_id,
    )


@router.put("/entries/{service_id}/draft", responses={**MISSING, **CONFLICT, **INVALID})
def save_draft(
    request: Request,
    service_id: str,
    body: DraftChange,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    """Keep a change as a draft (the live entry is unchanged); ``publish_at`` schedules it."""
    return _outcome(
        lambda: _entry(
            _editing(request).save_draft(
                session,
                service_id,
                body.data,
                version=body.version,
                author=user.username,
                minor=body.minor,
                note=body.note,
                publish_at=body.publish_at,
                file=body.file,
            )
        ),
        service_id,
    )


@router.delete("/entries/{service_id}/draft", status_code=204, response_model=None, responses=MISSING)
def discard_draft(
    request: Request,
    service_id: str,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    outcome = _outcome(
        lambda: _editing(request).discard_draft(session, service_id, author=user.username), service_id
    )
    return outcome if isinstance(outcome, Response) else Response(status_code=204)


@router.post("/entries/{service_id}/draft/publish", responses={**MISSING, **CONFLICT, **INVALID})
def publish_draft(
    request: Request,
    service_id: str,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    return _outcome(
        lambda: _entry(
            _editing(request).publish_draft(
                session,
                service_id,
                author=user.username,
            )
        ),
        service_id,
    )


@router.get("/entries/{service_id}/history")
def entry_history(
    request: Request,
    service_id: str,
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    return [_change(c) for c in _editing(request).history(session, service_id)]  # type: ignore[misc]


@router.get("/changes")
def recent_changes(
    request: Request,
    limit: int = Query(50, ge=1, le=500),
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    return [_change(c) for c in _editing(request).history(session, limit=limit)]  # type: ignore[misc]


@router.get("/changes/{change_id}", responses=MISSING)
def change_detail(
    request: Request,
    change_id: int = Path(..., ge=1, le=MAX_ROW_ID),
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    return _outcome(
        lambda: _change(_editing(request).change(session, change_id), with_content=True),
        f"change {change_id}",
    )


@router.post("/changes/{change_id}/undo", responses={**MISSING, **CONFLICT, **INVALID})
def undo_change(
    request: Request,
    body: VersionOnly,
    change_id: int = Path(..., ge=1, le=MAX_ROW_ID),
    user: User = Depends(require_editor),
    session: Session = Depends(get_session),
) -> Any:
    """A new change restoring the content before ``change_id``; ``version`` is the live version now."""
    return _outcome(
        lambda: _change(
            _editing(request).undo(
                session,
                change_id,
                version=body.version,
                author=user.username,
            )
        ),
        f"change {change_id}",
    )


@router.post("/preview", responses={**MISSING, **INVALID})
def preview_entry(request: Request, body: PreviewRequest, user: User = Depends(require_editor)) -> Any:
    """The cards in fi/sv/en and which service the assistant would answer each example question with."""
    return _outcome(
        lambda: asdict(
            preview(
                _editing(request),
                body.data,
                replacing=body.replacing,
                questions=body.questions,
            )
        ),
        body.replacing or "",
    )
