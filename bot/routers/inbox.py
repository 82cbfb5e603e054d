"""The worker inbox: server-rendered pages (Jinja2) for the queue and one case, with forms to act on it.

Sign-in puts the worker's JWT in an HttpOnly, SameSite=Strict cookie; every POST carries a CSRF token
in a hidden field that must match the CSRF cookie (double submit). No inline scripts or styles: the
pages work under ``Content-Security-Policy: default-src 'self'``. Every view and change is audited.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from bot.db import get_session
from bot.live_chat import DutyOutsideServiceHours
from bot.models import SEGMENT_NAMES, User, as_utc
from bot.repositories import audit
from bot.repositories import handoffs as handoffs_repo
from bot.repositories import live_chat as live_chat_repo
from bot.routers.duty import change_duty, duty_state
from bot.routers.handoffs import build_case_detail, build_cases, end_chat, send_chat_message
from bot.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    AuthError,
    TokenConfigError,
    authenticate_user,
    create_access_token,
    csrf_form_token,
    csrf_valid,
    login_allowed,
    new_csrf_token,
    settings_from,
    user_for_token,
)
from bot.settings import PROJECT_ROOT

router = APIRouter(prefix="/inbox", tags=["inbox"], include_in_schema=False)
templates = Jinja2Templates(directory=str(PROJECT_ROOT / "bot" / "templates"))

try:
    LOCAL_TZ: Any = ZoneInfo("Europe/Helsinki")
except ZoneInfoNotFoundError:  # no tz database: show UTC rather than fail
    LOCAL_TZ = timezone.utc

URGENCY_LABELS = {"acute": "Akuutti", "urgent": "Kiireellinen", "normal": "Tavallinen"}
STATUS_LABELS = {"new": "Uusi", "claimed": "Käsittelyssä", "closed": "Suljettu"}
CATEGORY_LABELS = {
    "suicide_self_harm": "itsetuhoisuus",
    "overdose_poisoning": "myrkytys tai yliannostus",
    "medical_emergency": "hätätilanne terveydessä",
    "domestic_violence": "lähisuhdeväkivalta",
    "child_at_risk": "lapsen turvallisuus",
    "threat_to_others": "uhka muille tai psykoottiset kokemukset",
    "substance_crisis": "päihdekriisi",
    "no_money_food_medicine": "ei rahaa ruokaan tai lääkkeisiin",
    "eviction_homelessness": "häätö tai asunnottomuus",
    "not_coping": "arjessa jaksaminen",
    "older_relative_not_managing": "ikääntynyt ei pärjää",
    "exploitation_threats": "uhkailu, kiristys tai hyväksikäyttö",
    "digital_exclusion": "ei pysty asioimaan digitaalisesti",
}
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
    "logged_out": "Olet kirjautunut ulos.",
    "signed_out": "Istuntosi on päättynyt. Kirjaudu uudelleen.",
}


class _SignInNeeded(Exception):
    pass


# --- helpers --------------------------------------------------------------------------------------

def _local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%-d.%-m.%Y klo %H.%M")


def _clock(value: datetime | None) -> str:
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%H.%M") if value else ""


def _duration(seconds: int) -> str:
    minutes = seconds // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} pv {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
templates.env.filters["local_time"] = _local_time
templates.env.filters["duration"] = _duration
templates.env.filters["clock"] = _clock
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


def _secure(request: Request) -> bool:
    return settings_from(request).https or request.url.scheme == "https"


def _csrf_token(request: Request) -> tuple[str, bool]:
    """The CSRF token of this browser, and whether it is new (needs a cookie)."""
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return token, False
    return new_csrf_token(), True


def _set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )


def _render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    cookie, fresh = _csrf_token(request)
    form_token = csrf_form_token(request, cookie)  # derived from the cookie this response may set
    response = templates.TemplateResponse(
        request, template, {"csrf_token": form_token, **context}, status_code=status_code
    )
    if fresh:
        _set_csrf_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_failed(request: Request) -> HTMLResponse:
    return _render(
        request,
        "inbox/error.html",
        {"user": None, "title": "Lomakkeen tarkistus epäonnistui",
         "text": "Lomake oli vanhentunut tai sitä ei lähetetty tästä palvelusta. Lataa sivu uudelleen ja "
                 "yritä uudestaan."},
        status_code=403,
    )


def _signed_in(request: Request, session: Session) -> User:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise _SignInNeeded()
    try:
        return user_for_token(session, settings_from(request), token)
    except AuthError as error:
        if error.status_code == 401:
            raise _SignInNeeded() from error
        raise


def _to_login(message: str | None = None) -> RedirectResponse:
    target = "/inbox/login" + (f"?msg={message}" if message else "")
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _forbidden(request: Request, error: AuthError) -> HTMLResponse:
    response = _render(
        request, "inbox/error.html",
        {"user": None, "title": "Ei käyttöoikeutta", "text": "Tunnuksellasi ei ole oikeutta tähän. "
         "Jos tunnus on poistettu käytöstä, ota yhteyttä pääkäyttäjään."},
        status_code=403,
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _authorised(request: Request, session: Session) -> User | Response:
    try:
        return _signed_in(request, session)
    except _SignInNeeded:
        return _to_login("signed_out" if request.cookies.get(SESSION_COOKIE) else None)
    except AuthError as error:
        return _forbidden(request, error)


# --- sign-in --------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, msg: str | None = None) -> HTMLResponse:
    context = {"user": None, "message": MESSAGES.get(msg or ""), "error": None}
    return _render(request, "inbox/login.html", context)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
) -> Response:
    if not csrf_valid(request, csrf_token):
        return _csrf_failed(request)
    username = username.strip()[:64]
    settings = settings_from(request)

    def failed(error: str, status_code: int) -> HTMLResponse:
        return _render(
            request, "inbox/login.html",
            {"user": None, "message": None, "error": error, "username": username}, status_code=status_code,
        )

    if not settings.jwt_secret:
        return failed("Kirjautuminen ei ole käytössä: palvelimelta puuttuu JWT_SECRET-asetus.", 503)
    if not login_allowed(request, username):
        return failed("Liian monta kirjautumisyritystä. Odota minuutti ja yritä uudelleen.", 429)
    user = authenticate_user(session, username, password) if username and password else None
    if user is None:
        audit.record(session, username or "-", "login_failed", detail={"via": "inbox"})
        session.commit()
        return failed("Käyttäjätunnus tai salasana on väärin.", 401)
    try:
        token = create_access_token(settings, user.username, user.role)
    except TokenConfigError:
        return failed("Kirjautuminen ei ole käytössä: palvelimelta puuttuu JWT_SECRET-asetus.", 503)
    audit.record(session, user.username, "login", detail={"via": "inbox"})
    session.commit()
    response = RedirectResponse("/inbox", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.jwt_ttl_minutes * 60, httponly=True, samesite="strict",
        secure=_secure(request), path="/",
    )
    # A new CSRF token for the new session.
    _set_csrf_cookie(request, response, new_csrf_token())
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form(""), session: Session = Depends(get_session)) -> Response:
    if not csrf_valid(request, csrf_token):
        return _csrf_failed(request)
    try:
        user = _signed_in(request, session)
        if live_chat_repo.on_duty(user):
            # Nobody signed out can answer a chat, so signing out ends the duty too.
            change_duty(session, user, request, False, "logout")
        audit.record(session, user.username, "logout", detail={"via": "inbox"})
        session.commit()
    except (_SignInNeeded, AuthError):
        pass
    response = _to_login("logged_out")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


# --- queue and case -------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    status: str = "open",
    msg: str | None = None,
    error: str | None = None,
    session: Session = Depends(get_session),
) -> Response:
    user = _authorised(request, session)
    if isinstance(user, Response):
        return user
    if status not in QUEUE_FILTERS:
        status = "open"
    handoffs = handoffs_repo.list_handoffs(session, status=QUEUE_FILTERS[status][1] or None)
    cases = build_cases(session, handoffs)
    audit.record(session, user.username, "queue_viewed", detail={"via": "inbox", "status": status,
                                                                   "count": len(cases)})
    duty = duty_state(session, user, request)
    session.commit()
    if error == "duty_hours":
        error = f"Chat-päivystys on mahdollista vain palveluaikana ({duty['hours']})."
    else:
        error = None
    return _render(
        request, "inbox/queue.html",
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
        return _csrf_failed(request)
    user = _authorised(request, session)
    if isinstance(user, Response):
        return user
    turn_on = on_duty == "1"
    try:
        change_duty(session, user, request, turn_on, "inbox")
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
        return _render(
            request, "inbox/error.html",
            {"user": user, "title": "Tapausta ei löydy", "text": "Tapausta ei ole tai sen osoite on väärä."},
            status_code=404,
        )
    audit.record(session, user.username, "case_viewed", handoff.id, {"via": "inbox"})
    case = build_case_detail(session, handoff)
    session.commit()
    return _render(
        request, "inbox/case.html",
        {"user": user, "case": case, "message": message, "error": error},
        status_code=status_code,
    )


@router.get("/cases/{handoff_id}", response_class=HTMLResponse)
def case_view(
    request: Request, handoff_id: str, msg: str | None = None, session: Session = Depends(get_session)
) -> Response:
    user = _authorised(request, session)
    if isinstance(user, Response):
        return user
    return _case_page(request, session, user, handoff_id, message=MESSAGES.get(msg or ""))


def _case_action(
    request: Request, session: Session, handoff_id: str, action: str, csrf_token: str, value: str = ""
) -> Response:
    if not csrf_valid(request, csrf_token):
        return _csrf_failed(request)
    user = _authorised(request, session)
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
