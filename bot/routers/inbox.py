"""The worker inbox: server-rendered pages (Jinja2) for the queue and one case, with forms to act on it.

Sign-in, CSRF and rendering are shared with the editor pages (``bot.web_session``). Every view and change
is audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.cases import build_case_detail, build_cases, end_chat, send_chat_message
from bot.db import get_session
from bot.live_chat import DutyOutsideServiceHours, change_duty, duty_state
from bot.models import SEGMENT_NAMES, User
from bot.repositories import audit
from bot.repositories import handoffs as handoffs_repo
from bot.repositories import live_chat as live_chat_repo
from bot.routers.common import county_of
from bot.security import csrf_valid
from bot.web_session import (
    INBOX,
    authorised,
    csrf_failed,
    error_page,
    login_page,
    render,
    sign_in,
    sign_out,
    templates,
)
from triage.categories import load_categories

router = APIRouter(prefix="/inbox", tags=["inbox"], include_in_schema=False)

URGENCY_LABELS = {"acute": "Akuutti", "urgent": "Kiireellinen", "normal": "Tavallinen"}
STATUS_LABELS = {"new": "Uusi", "claimed": "Käsittelyssä", "closed": "Suljettu"}
# The worker reads the Finnish label of each risk category, from the categories' own files.
CATEGORY_LABELS = {cid: category.label for cid, category in load_categories().items()}
SEVERITY_LABELS = {"acute": "akuutti", "urgent": "kiireellinen", "concern": "huoli"}
CONTACT_LABELS = {"callback": "Soittopyyntö", "self": "Ottaa itse yhteyttä", "chat": "Chat nyt"}
ROLE_LABELS = {"user": "Asukas", "bot": "Avustaja", "worker": "Ammattilainen", "system": "Ilmoitus"}
CHAT_STATE_LABELS = {
    "waiting": "Odottaa chatissa",
    "active": "Chat käynnissä",
    "ended": "Chat päättynyt",
}
QUEUE_FILTERS = {
    "open": ("Avoimet", ("new", "claimed")),
    "new": ("Uudet", ("new",)),
    "claimed": ("Käsittelyssä", ("claimed",)),
    "closed": ("Suljetut", ("closed",)),
    "all": ("Kaikki", ()),
}
MESSAGES = {
    "claimed": "Otit tapauksen käsittelyyn.",
    "note_added": "Muistiinpano tallennettu.",
    "segment_set": "Segmentti tallennettu.",
    "closed": "Tapaus suljettu.",
    "chat_sent": "Viesti lähetetty asukkaalle.",
    "chat_ended": "Chat päätetty. Tapaus on yhä auki: sulje se, kun asia on hoidettu.",
    "duty_on": "Olet chat-päivystyksessä. Asukkaille tarjotaan nyt keskustelua kanssasi.",
    "duty_off": "Chat-päivystys lopetettu.",
}


templates.env.globals.update(
    URGENCY_LABELS=URGENCY_LABELS,
    STATUS_LABELS=STATUS_LABELS,
    CATEGORY_LABELS=CATEGORY_LABELS,
    SEVERITY_LABELS=SEVERITY_LABELS,
    CONTACT_LABELS=CONTACT_LABELS,
    ROLE_LABELS=ROLE_LABELS,
    CHAT_STATE_LABELS=CHAT_STATE_LABELS,
    SEGMENT_NAMES=SEGMENT_NAMES,
)


# --- sign-in --------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, msg: str | None = None) -> HTMLResponse:
    return login_page(request, INBOX, msg)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    return sign_in(request, INBOX, session, username, password, csrf_token)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form(""), session: Session = Depends(get_session)) -> Response:
    def end_duty(user: User) -> None:
        if live_chat_repo.on_duty(user):
            # Nobody signed out can answer a chat, so signing out ends the duty too.
            change_duty(session, user, county_of(request), False, "logout")

    return sign_out(request, INBOX, session, csrf_token, before=end_duty)


# --- queue and case -------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    status: str = "open",
    msg: str | None = None,
    error: str | None = None,
    session: Session = Depends(get_session),
) -> Response:
    user = authorised(request, session, INBOX)
    if isinstance(user, Response):
        return user
    if status not in QUEUE_FILTERS:
        status = "open"
    handoffs = handoffs_repo.list_handoffs(session, status=QUEUE_FILTERS[status][1] or None)
    cases = build_cases(session, handoffs)
    audit.record(session, user.username, "queue_viewed", detail={"via": "inbox", "status": status,
                                                                   "count": len(cases)})
    duty = duty_state(session, user, county_of(request))
    session.commit()
    if error == "duty_hours":
        error = f"Chat-päivystys on mahdollista vain palveluaikana ({duty['hours']})."
    else:
        error = None
    return render(
        request, INBOX, "queue.html",
        {"user": user, "cases": cases, "status": status, "filters": QUEUE_FILTERS, "active": "queue",
         "duty": duty, "message": MESSAGES.get(msg or ""), "error": error},
    )


@router.post("/duty")
def set_duty(
    request: Request,
    on_duty: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, INBOX)
    user = authorised(request, session, INBOX)
    if isinstance(user, Response):
        return user
    turn_on = on_duty == "1"
    try:
        change_duty(session, user, county_of(request), turn_on, "inbox")
    except DutyOutsideServiceHours:
        session.rollback()
        return RedirectResponse("/inbox?error=duty_hours", status_code=303)
    session.commit()
    return RedirectResponse(f"/inbox?msg={'duty_on' if turn_on else 'duty_off'}", status_code=303)


def _case_page(
    request: Request,
    session: Session,
    user: User,
    handoff_id: str,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        handoff = handoffs_repo.get(session, handoff_id)
    except handoffs_repo.HandoffNotFound:
        return error_page(
            request, INBOX, user, "Tapausta ei löydy", "Tapausta ei ole tai sen osoite on väärä.", 404
        )
    audit.record(session, user.username, "case_viewed", handoff.id, {"via": "inbox"})
    case = build_case_detail(session, handoff)
    session.commit()
    return render(
        request, INBOX, "case.html",
        {"user": user, "case": case, "message": message, "error": error},
        status_code=status_code,
    )


@router.get("/cases/{handoff_id}", response_class=HTMLResponse)
def case_view(
    request: Request, handoff_id: str, msg: str | None = None, session: Session = Depends(get_session)
) -> Response:
    user = authorised(request, session, INBOX)
    if isinstance(user, Response):
        return user
    return _case_page(request, session, user, handoff_id, message=MESSAGES.get(msg or ""))


def _case_action(
    request: Request, session: Session, handoff_id: str, action: str, csrf_token: str, value: str = ""
) -> Response:
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, INBOX)
    user = authorised(request, session, INBOX)
    if isinstance(user, Response):
        return user
    try:
        handoff = handoffs_repo.get(session, handoff_id)
    except handoffs_repo.HandoffNotFound:
        return _case_page(request, session, user, handoff_id)

    def invalid(text: str) -> Response:
        session.rollback()
        return _case_page(request, session, user, handoff_id, error=text, status_code=422)

    try:
        if action == "claim":
            changed = handoffs_repo.claim(session, handoff, user.username)
            audit.record(
                session, user.username, "case_claimed", handoff.id, {"via": "inbox", "changed": changed}
            )
            done = "claimed"
        elif action == "note":
            text = value.strip()
            if not text or len(text) > 5000:
                return invalid("Kirjoita muistiinpano (enintään 5000 merkkiä).")
            note = handoffs_repo.add_note(session, handoff, user.username, text)
            audit.record(
                session, user.username, "note_added", handoff.id, {"via": "inbox", "note_id": note.id}
            )
            done = "note_added"
        elif action == "segment":
            raw = value.strip()
            if raw not in ("1", "2", "3", "4"):
                return invalid("Valitse segmentti 1–4.")
            previous = handoff.effective_segment
            handoffs_repo.set_segment(session, handoff, int(raw))
            audit.record(
                session, user.username, "segment_set", handoff.id,
                {"via": "inbox", "from": previous, "to": int(raw), "suggested": handoff.segment},
            )
            done = "segment_set"
        elif action == "chat_message":
            text = value.strip()
            if not text or len(text) > 2000:
                return invalid("Kirjoita viesti (enintään 2000 merkkiä).")
            send_chat_message(session, handoff, user, text, "inbox")
            done = "chat_sent"
        elif action == "chat_end":
            if not end_chat(session, handoff, user, "inbox"):
                return invalid("Tapauksessa ei ole käynnissä olevaa chattia.")
            done = "chat_ended"
        else:  # close
            outcome = value.strip()
            if not outcome or len(outcome) > 2000:
                return invalid("Kirjoita lopputulos ennen sulkemista (enintään 2000 merkkiä).")
            handoffs_repo.close(session, handoff, user.username, outcome)
            audit.record(session, user.username, "case_closed", handoff.id, {"via": "inbox"})
            done = "closed"
    except handoffs_repo.InvalidTransition as error:
        session.rollback()
        text = "Tapaus on jo suljettu." if "closed" in str(error) else (
            f"Tapauksen on jo ottanut käsittelyyn {handoff.claimed_by}."
        )
        return _case_page(request, session, user, handoff_id, error=text, status_code=409)
    except live_chat_repo.ChatNotAllowed:
        session.rollback()
        text = (
            "Chat ei ole käynnissä. Ota tapaus ensin käsittelyyn." if handoff.chat_state != "active"
            else f"Chattia hoitaa {handoff.claimed_by}."
        )
        return _case_page(request, session, user, handoff_id, error=text, status_code=409)
    session.commit()
    anchor = "#chat" if done.startswith("chat") else ""
    return RedirectResponse(f"/inbox/cases/{handoff.id}?msg={done}{anchor}", status_code=303)


@router.post("/cases/{handoff_id}/claim")
def claim(
    request: Request, handoff_id: str, csrf_token: str = Form(""), session: Session = Depends(get_session)
) -> Response:
    return _case_action(request, session, handoff_id, "claim", csrf_token)


@router.post("/cases/{handoff_id}/notes")
def add_note(
    request: Request,
    handoff_id: str,
    text: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    return _case_action(request, session, handoff_id, "note", csrf_token, text)


@router.post("/cases/{handoff_id}/segment")
def set_segment(
    request: Request,
    handoff_id: str,
    segment: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    return _case_action(request, session, handoff_id, "segment", csrf_token, segment)


@router.post("/cases/{handoff_id}/close")
def close(
    request: Request,
    handoff_id: str,
    outcome: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    return _case_action(request, session, handoff_id, "close", csrf_token, outcome)


@router.post("/cases/{handoff_id}/messages")
def send_message(
    request: Request,
    handoff_id: str,
    text: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    return _case_action(request, session, handoff_id, "chat_message", csrf_token, text)


@router.post("/cases/{handoff_id}/chat/end")
def end_chat_form(
    request: Request, handoff_id: str, csrf_token: str = Form(""), session: Session = Depends(get_session)
) -> Response:
    return _case_action(request, session, handoff_id, "chat_end", csrf_token)
