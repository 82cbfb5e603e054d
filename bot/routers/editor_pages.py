"""The catalogue editor's pages (role editor or admin): list and search, the entry form generated from the
schema with each error by its field, preview, draft, scheduled and immediate publishing, the conflict view,
history with undo, retiring, the content report. Server-rendered like the inbox, with the same sign-in and
CSRF (``bot.web_session``); the work is done by ``bot.catalogue_editing``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.catalogue import catalogue_editing, gateway_catalogue
from bot.catalogue_editing import CatalogueEditing, EditConflict, EntryInvalid, EntrySnapshot, UnknownEntry
from bot.catalogue_views import differences, list_entries, preview
from bot.db import get_session
from bot.editor_form import entry_form, form_values, parse_form
from bot.gaps_report import SeriesPoint, report_for_days, service_names
from bot.models import User
from bot.schemas import MAX_ROW_ID
from bot.security import csrf_valid, settings_from
from bot.web_session import (
    EDITOR,
    LOCAL_TZ,
    authorised,
    csrf_failed,
    error_page,
    login_page,
    render,
    sign_in,
    sign_out,
    templates,
)
from service_catalogue.content_report import build_report
from service_catalogue.models import ProviderType
from service_catalogue.topics import TOPICS

router = APIRouter(prefix="/editor", tags=["editor"], include_in_schema=False)

templates.env.globals.update(
    LANGUAGE_NAMES={"fi": "suomi", "sv": "ruotsi", "en": "englanti"},
    DECISION_LABELS={"answer": "vastaa", "clarify": "kysyy tarkennusta", "none": "ei löydä palvelua"},
    ACTION_LABELS={
        "create": "Lisätty",
        "update": "Muutettu",
        "retire": "Poistettu käytöstä",
        "undo": "Peruttu",
    },
    REASON_LABELS={
        "clarified": "tarkentava kysymys",
        "nothing": "ei palvelua",
        "not_helpful": "ei auttanut",
        "weak": "heikko osuma",
    },
)
# The gaps chart: bar colours with at least 3:1 contrast on white (WCAG 1.4.11), and their legend.
CHART_SERIES = (
    ("clarified", "Tarkentava kysymys", "#1f5fa8"),
    ("nothing", "Ei palvelua", "#a33a00"),
    ("not_helpful", "Ei auttanut", "#5b2c83"),
)
MESSAGES = {
    "published": "Muutos julkaistu. Asukkaat näkevät sen muutaman sekunnin kuluttua.",
    "draft_saved": "Luonnos tallennettu. Asukkaat näkevät yhä julkaistun version.",
    "scheduled": "Luonnos tallennettu ja ajastettu.",
    "draft_discarded": "Luonnos hylätty.",
    "retired": "Palvelu poistettu käytöstä. Sen voi palauttaa historiasta.",
    "undone": "Muutos peruttu uudella muutoksella.",
    "created": "Palvelu lisätty ja julkaistu.",
}
ERROR_TEXTS = {
    "field required": "Pakollinen tieto puuttuu.",
    "ensure this value has at least 1 items": "Anna vähintään yksi.",
    "ensure this value has at least 1 characters": "Pakollinen tieto puuttuu.",
    "invalid date format": "Anna päivämäärä muodossa VVVV-KK-PP.",
    "invalid datetime format": "Anna aika muodossa VVVV-KK-PP tai VVVV-KK-PPTHH:MM.",
    "value is not a valid integer": "Anna kokonaisluku.",
    "value is not a valid enumeration member; permitted: 'web', 'eservice', 'phone', 'location'": (
        "Valitse kanavan tyyppi."
    ),
}


def _editing(request: Request) -> CatalogueEditing:
    return catalogue_editing(settings_from(request))


async def _form(request: Request) -> dict[str, list[str]]:
    submitted: dict[str, list[str]] = {}
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str):
            submitted.setdefault(key, []).append(value)
    return submitted


def _one(form: Mapping[str, list[str]], key: str) -> str:
    return (form.get(key) or [""])[-1].strip()


def _rows(values: Mapping[str, Any]) -> dict[str, int]:
    """How many rows each repeated group has (``channels`` -> 3), from the flat form values."""
    counts: dict[str, int] = {}
    for form_field in entry_form():
        if form_field.kind == "group":
            indices = {key.split(".")[1] for key in values if key.startswith(f"{form_field.name}.")}
            counts[form_field.name] = len([i for i in indices if i.isdigit()])
    return counts


def _placed(errors: list[Any], values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each error at the nearest field shown in the form (``channels.0.__root__`` at its row)."""
    anchors = {form_field.name for form_field in entry_form()}
    for key in values:
        parts = key.split(".")
        anchors.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    placed: dict[str, list[str]] = {}
    for error in errors:
        parts = error.field.split(".")
        target = next(
            (".".join(parts[:i]) for i in range(len(parts), 0, -1) if ".".join(parts[:i]) in anchors),
            "(entry)",
        )
        placed.setdefault(target, []).append(ERROR_TEXTS.get(error.message, error.message))
    return placed


def _moment(text: str) -> datetime | None:
    """A moment typed in the county's time (``2026-02-01T09:00``); ValueError when it is not one."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def _entry_page(
    request: Request,
    user: User,
    *,
    snapshot: EntrySnapshot | None,
    data: Mapping[str, Any] | None,
    values: Mapping[str, Any] | None = None,
    version: str | None,
    errors: dict[str, list[str]] | None = None,
    preview_result: Any = None,
    message: str | None = None,
    status_code: int = 200,
    note: str = "",
    minor: bool = False,
    publish_at: str = "",
    showing_draft: bool = False,
) -> HTMLResponse:
    values = dict(values if values is not None else form_values(data))
    is_new = snapshot is None or snapshot.version is None
    service_id = snapshot.service_id if snapshot else None
    name = (data or {}).get("name") if data else None
    title = name.get("fi") if isinstance(name, dict) else service_id
    errors = errors or {}
    return render(
        request,
        EDITOR,
        "entry.html",
        {
            "user": user,
            "active": "new" if is_new else "entries",
            "snapshot": snapshot,
            "heading": f"Uusi palvelu{': ' + title if title else ''}" if is_new else f"Muokkaa: {title}",
            "action": "/editor/entries" if snapshot is None else f"/editor/entries/{service_id}",
            "form": entry_form(),
            "values": values,
            "rows_count": _rows(values),
            "version": version,
            "errors": errors,
            "error_count": sum(len(v) for v in errors.values()),
            "preview": preview_result,
            "review": list((data or {}).get("translation_review") or []),
            "message": message,
            "locked_id": not is_new,
            "note": note,
            "minor": minor,
            "publish_at": publish_at,
            "showing_draft": showing_draft,
        },
        status_code=status_code,
    )


# --- sign-in --------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, msg: str | None = None) -> HTMLResponse:
    return login_page(request, EDITOR, msg)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    return sign_in(request, EDITOR, session, username, password, csrf_token)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form(""), session: Session = Depends(get_session)) -> Response:
    return sign_out(request, EDITOR, session, csrf_token)


# --- list -----------------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def entries(
    request: Request,
    q: str = "",
    provider_type: str = "",
    topic: str = "",
    review_due: str = "",
    language_gap: str = "",
    msg: str | None = None,
    session: Session = Depends(get_session),
) -> Response:
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    editing = _editing(request)
    filters = {
        "q": q[:100],
        "provider_type": provider_type[:32],
        "topic": topic[:64],
        "review_due": bool(review_due),
        "language_gap": language_gap if language_gap in ("sv", "en") else "",
    }
    rows = list_entries(
        editing,
        editing.drafts(session),
        date.today(),
        query=filters["q"],
        provider_type=filters["provider_type"],
        topic=filters["topic"],
        review_due=filters["review_due"],
        language_gap=filters["language_gap"],
    )
    return render(
        request,
        EDITOR,
        "list.html",
        {
            "user": user,
            "active": "entries",
            "rows": rows,
            "filters": filters,
            "message": MESSAGES.get(msg or ""),
            "provider_types": [p.value for p in ProviderType],
            "topics": sorted(TOPICS),
        },
    )


# --- one entry ------------------------------------------------------------------------------------


@router.get("/entries/new", response_class=HTMLResponse)
def new_entry(request: Request, example: str = "", session: Session = Depends(get_session)) -> Response:
    """An empty form; ``example`` (a resident's question from the gaps report) becomes its first example."""
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    data: dict[str, Any] = {
        "last_reviewed": date.today().isoformat(),
        "area": "national",
        "target_groups": ["everyone"],
        "segments": [1],
    }
    if example.strip():
        data["example_questions"] = {"fi": [example.strip()[:300]]}
    return _entry_page(request, user, snapshot=None, data=data, version=None)


@router.get("/entries/{service_id}", response_class=HTMLResponse)
def entry(
    request: Request,
    service_id: str,
    source: str = "",
    msg: str | None = None,
    session: Session = Depends(get_session),
) -> Response:
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    try:
        snapshot = _editing(request).get(session, service_id)
    except UnknownEntry:
        return error_page(
            request, EDITOR, user, "Palvelua ei löydy", "Palvelua ei ole tai osoite on väärä.", 404
        )
    draft = snapshot.draft
    showing_draft = draft is not None and (source == "draft" or snapshot.data is None)
    data = draft.data if showing_draft and draft else snapshot.data
    return _entry_page(
        request,
        user,
        snapshot=snapshot,
        data=data,
        version=snapshot.version,
        message=MESSAGES.get(msg or ""),
        showing_draft=showing_draft,
        note=(draft.note or "") if showing_draft and draft else "",
        publish_at=draft.publish_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
        if showing_draft and draft and draft.publish_at
        else "",
    )


@router.post("/entries", response_class=HTMLResponse)
async def create_entry(request: Request, session: Session = Depends(get_session)) -> Response:
    return await _submit(request, session, None)


@router.post("/entries/{service_id}", response_class=HTMLResponse)
async def save_entry(request: Request, service_id: str, session: Session = Depends(get_session)) -> Response:
    return await _submit(request, session, service_id)


async def _submit(request: Request, session: Session, service_id: str | None) -> Response:
    form = await _form(request)
    if not csrf_valid(request, _one(form, "csrf_token")):
        return csrf_failed(request, EDITOR)
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    editing = _editing(request)
    snapshot = None
    if service_id is not None:
        try:
            snapshot = editing.get(session, service_id)
        except UnknownEntry:
            return error_page(request, EDITOR, user, "Palvelua ei löydy", "Palvelua ei ole.", 404)
    data = parse_form(form)
    data["translation_review"] = form.get("translation_review") or []
    if service_id is not None and snapshot is not None and snapshot.version is not None:
        data["id"] = service_id  # the id of a published entry is fixed (its field is read-only)
    action, version = _one(form, "_action"), _one(form, "_version") or None
    note, minor, publish_text = (
        _one(form, "_note")[:500],
        bool(_one(form, "_minor")),
        _one(form, "_publish_at"),
    )
    values = {k: (v if len(v) > 1 or k in _list_fields() else v[-1]) for k, v in form.items()}

    def again(
        errors: dict[str, list[str]] | None = None, preview_result: Any = None, status_code: int = 200
    ) -> HTMLResponse:
        return _entry_page(
            request,
            user,
            snapshot=snapshot,
            data=data,
            values=values,
            version=version,
            errors=errors,
            preview_result=preview_result,
            status_code=status_code,
            note=note,
            minor=minor,
            publish_at=publish_text,
        )

    live = snapshot is not None and snapshot.version is not None
    try:
        if action == "edit":  # back from the conflict view: the editor's own values on the live version
            return again()
        if action == "preview":
            return again(preview_result=preview(editing, data, replacing=service_id if live else None))
        if action == "draft":
            try:
                publish_at = _moment(publish_text)
            except ValueError:
                return again({"_publish_at": ["Anna aika muodossa VVVV-KK-PPTHH:MM."]}, status_code=422)
            saved = editing.save_draft(
                session,
                service_id if live else None,
                data,
                version=version,
                author=user.username,
                minor=minor,
                note=note,
                publish_at=publish_at,
            )
            done = "scheduled" if publish_at else "draft_saved"
            return RedirectResponse(f"/editor/entries/{saved.service_id}?source=draft&msg={done}", 303)
        if live:
            saved = editing.publish(
                session,
                service_id,
                data,
                version=version,
                author=user.username,  # type: ignore[arg-type]
                minor=minor,
                note=note,
            )
            done = "published"
        else:
            saved = editing.add(session, data, author=user.username, note=note)
            if service_id is not None and snapshot is not None and snapshot.draft is not None:
                editing.discard_draft(session, service_id, author=user.username)
            done = "created"
        return RedirectResponse(f"/editor/entries/{saved.service_id}?msg={done}", 303)
    except EntryInvalid as error:
        session.rollback()
        return again(_placed(error.errors, values), status_code=422)
    except EditConflict as error:
        session.rollback()
        current = error.current
        return render(
            request,
            EDITOR,
            "conflict.html",
            {
                "user": user,
                "service_id": service_id,
                "current": current,
                "differences": differences(current.data if current else None, data),
                "submitted": sorted(form.items()),
                "note": note,
            },
            status_code=409,
        )


def _list_fields() -> set[str]:
    return {f.name for f in entry_form() if f.kind == "choices"}


@router.post("/entries/{service_id}/draft")
def draft_action(
    request: Request,
    service_id: str,
    csrf_token: str = Form(""),
    _action: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, EDITOR)
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    editing = _editing(request)
    try:
        if _action == "discard":
            editing.discard_draft(session, service_id, author=user.username)
            return RedirectResponse(
                f"/editor/entries/{service_id}?msg=draft_discarded"
                if service_id in editing.entries()
                else "/editor?msg=draft_discarded",
                303,
            )
        editing.publish_draft(session, service_id, author=user.username)
        return RedirectResponse(f"/editor/entries/{service_id}?msg=published", 303)
    except UnknownEntry:
        return error_page(
            request, EDITOR, user, "Luonnosta ei löydy", "Luonnos on jo julkaistu tai hylätty.", 404
        )
    except (EditConflict, EntryInvalid) as error:
        session.rollback()
        return error_page(
            request,
            EDITOR,
            user,
            "Luonnosta ei voi julkaista",
            f"{error} Avaa luonnos, tarkista se ja tallenna uudelleen.",
            409,
        )


@router.post("/entries/{service_id}/retire")
def retire(
    request: Request,
    service_id: str,
    csrf_token: str = Form(""),
    _version: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, EDITOR)
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    try:
        _editing(request).retire(session, service_id, version=_version or None, author=user.username)
    except UnknownEntry:
        return error_page(
            request, EDITOR, user, "Palvelua ei löydy", "Palvelu on jo poistettu käytöstä.", 404
        )
    except EditConflict:
        session.rollback()
        return error_page(
            request,
            EDITOR,
            user,
            "Joku muu muutti palvelua",
            "Palvelua muutettiin sillä välin. Avaa se uudelleen ja tarkista ennen poistoa.",
            409,
        )
    except EntryInvalid as error:
        session.rollback()
        return error_page(
            request,
            EDITOR,
            user,
            "Palvelua ei voi poistaa käytöstä",
            f"{error.errors[0].message} (kriisikortti tai toinen palvelu viittaa siihen).",
            409,
        )
    return RedirectResponse("/editor?msg=retired", 303)


# --- history --------------------------------------------------------------------------------------


@router.get("/entries/{service_id}/history", response_class=HTMLResponse)
def history(
    request: Request, service_id: str, msg: str | None = None, session: Session = Depends(get_session)
) -> Response:
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    editing = _editing(request)
    live = editing.entries().get(service_id)
    return render(
        request,
        EDITOR,
        "history.html",
        {
            "user": user,
            "active": "entries",
            "heading": f"Historia: {service_id}",
            "service_id": service_id,
            "changes": [_change_view(c) for c in editing.history(session, service_id)],
            "live_version": live.version if live else None,
            "message": MESSAGES.get(msg or ""),
        },
    )


@router.get("/changes", response_class=HTMLResponse)
def changes(request: Request, session: Session = Depends(get_session)) -> Response:
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    return render(
        request,
        EDITOR,
        "history.html",
        {
            "user": user,
            "active": "changes",
            "heading": "Viimeisimmät muutokset",
            "service_id": None,
            "changes": [_change_view(c) for c in _editing(request).history(session, limit=100)],
        },
    )


def _change_view(change: Any) -> dict[str, Any]:
    return {
        "id": change.id,
        "service_id": change.service_id,
        "action": change.action,
        "author": change.author,
        "at": change.at,
        "minor": change.minor,
        "note": change.note,
        "differences": differences(change.before, change.after),
    }


@router.post("/changes/{change_id}/undo")
def undo(
    request: Request,
    change_id: int = Path(..., ge=1, le=MAX_ROW_ID),
    csrf_token: str = Form(""),
    _version: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, EDITOR)
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    editing = _editing(request)
    try:
        change = editing.undo(session, change_id, version=_version or None, author=user.username)
    except UnknownEntry:
        return error_page(request, EDITOR, user, "Muutosta ei löydy", "Muutosta ei ole.", 404)
    except EditConflict:
        session.rollback()
        return error_page(
            request,
            EDITOR,
            user,
            "Palvelua muutettiin sillä välin",
            "Joku muu muutti palvelua. Avaa historia uudelleen ja tarkista ennen perumista.",
            409,
        )
    except EntryInvalid as error:
        session.rollback()
        return error_page(request, EDITOR, user, "Muutosta ei voi perua", str(error), 409)
    return RedirectResponse(f"/editor/entries/{change.service_id}/history?msg=undone", 303)


# --- reports --------------------------------------------------------------------------------------


@router.get("/report", response_class=HTMLResponse)
def content_report(request: Request, session: Session = Depends(get_session)) -> Response:
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    settings = settings_from(request)
    catalogue = gateway_catalogue(settings)
    report = build_report(catalogue, settings.catalogue_dir, date.today())
    return render(
        request,
        EDITOR,
        "report.html",
        {
            "user": user,
            "active": "report",
            "report": report,
            "services": len(catalogue.services),
        },
    )


def _chart(series: list[SeriesPoint], width: int = 720, height: int = 180) -> dict[str, Any]:
    """Bar geometry for the gaps chart (server-drawn SVG: no script under the strict CSP)."""
    base = height - 10
    maximum = max([getattr(p, key) for p in series for key, _, _ in CHART_SERIES] + [1])
    slot = width / max(len(series), 1)
    bar_width = max(slot / (len(CHART_SERIES) + 1), 1.0)
    bars = []
    for index, point in enumerate(series):
        for offset, (key, _, colour) in enumerate(CHART_SERIES):
            value = getattr(point, key)
            bar_height = round((base - 16) * value / maximum, 1)
            bars.append({"x": round(index * slot + offset * bar_width, 1), "y": round(base - bar_height, 1),
                         "w": round(bar_width * 0.9, 1), "h": bar_height, "fill": colour})
    return {"width": width, "height": height, "base": base, "bars": bars, "maximum": maximum,
            "legend": [(label, colour) for _, label, colour in CHART_SERIES]}


@router.get("/gaps", response_class=HTMLResponse)
def gaps(request: Request, days: int = 30, session: Session = Depends(get_session)) -> Response:
    """What residents asked that the catalogue did not answer (redacted), grouped, with counts over time."""
    user = authorised(request, session, EDITOR)
    if isinstance(user, Response):
        return user
    days = min(max(days, 1), 366)
    report = report_for_days(session, days, names=service_names(settings_from(request)))
    return render(request, EDITOR, "gaps.html", {
        "user": user, "active": "gaps", "report": report, "days": days, "chart": _chart(report.series),
    })
