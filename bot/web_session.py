"""Sign-in, CSRF and page rendering shared by the staff pages (the worker inbox and the catalogue editor).

Sign-in puts the user's JWT in an HttpOnly, SameSite=Strict cookie; every POST carries a CSRF token in a
hidden field derived from the CSRF cookie and the session (``bot.security.csrf_form_token``). No inline
scripts or styles: the pages work under ``Content-Security-Policy: default-src 'self'``. Sign-in and
sign-out are audited with the area they happened in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from bot.models import CASE_ROLES, EDITOR_ROLES, User, as_utc
from bot.repositories import audit
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

templates = Jinja2Templates(directory=str(PROJECT_ROOT / "bot" / "templates"))

try:
    LOCAL_TZ: Any = ZoneInfo("Europe/Helsinki")
except ZoneInfoNotFoundError:  # no tz database: show UTC rather than fail
    LOCAL_TZ = timezone.utc


@dataclass(frozen=True)
class Area:
    """One part of the staff pages: who may use it and how it names itself."""

    name: str  # the URL prefix and the template folder
    title: str
    roles: tuple[str, ...]
    login_heading: str
    back_link: str
    footer: str

    @property
    def home(self) -> str:
        return f"/{self.name}"

    def template(self, page: str) -> str:
        return f"{self.name}/{page}"


INBOX = Area(
    "inbox", "Asiointiavustajan työjono", CASE_ROLES, "Kirjaudu työjonoon", "Takaisin työjonoon",
    "Hätätilanteessa soita 112. Tiedot ovat salassa pidettäviä; kaikki katselut ja muutokset kirjataan "
    "lokiin.",
)
EDITOR = Area(
    "editor", "Palveluluettelon ylläpito", EDITOR_ROLES, "Kirjaudu palveluluettelon ylläpitoon",
    "Takaisin palveluluetteloon",
    "Muutokset näkyvät asukkaille heti julkaisun jälkeen. Kaikki muutokset kirjataan historiaan ja lokiin.",
)
# Where a user lands after signing in when the area they signed in to is not theirs (an editor at the inbox).
HOME_AREA_BY_ROLE = {"worker": INBOX, "editor": EDITOR}

SIGN_IN_MESSAGES = {
    "logged_out": "Olet kirjautunut ulos.",
    "signed_out": "Istuntosi on päättynyt. Kirjaudu uudelleen.",
}


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%-d.%-m.%Y klo %H.%M")


def clock(value: datetime | None) -> str:
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%H.%M") if value else ""


def duration(seconds: int) -> str:
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
templates.env.filters["local_time"] = local_time
templates.env.filters["duration"] = duration
templates.env.filters["clock"] = clock


class SignInNeeded(Exception):
    pass


def secure(request: Request) -> bool:
    return settings_from(request).https or request.url.scheme == "https"


def _csrf_cookie(request: Request) -> tuple[str, bool]:
    """The CSRF cookie of this browser, and whether it is new (the response must set it)."""
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return token, False
    return new_csrf_token(), True


def _set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path="/"
    )


def render(
    request: Request, area: Area, page: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    cookie, fresh = _csrf_cookie(request)
    form_token = csrf_form_token(request, cookie)  # derived from the cookie this response may set
    response = templates.TemplateResponse(
        request, page if "/" in page else area.template(page),
        {"csrf_token": form_token, "area": area, "message": None, "error": None, **context},
        status_code=status_code,
    )
    if fresh:
        _set_csrf_cookie(request, response, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(
    request: Request, area: Area, user: User | None, title: str, text: str, status_code: int
) -> HTMLResponse:
    context = {"user": user, "title": title, "text": text}
    return render(request, area, "staff/error.html", context, status_code)


def csrf_failed(request: Request, area: Area) -> HTMLResponse:
    return error_page(
        request, area, None, "Lomakkeen tarkistus epäonnistui",
        "Lomake oli vanhentunut tai sitä ei lähetetty tästä palvelusta. Lataa sivu uudelleen ja yritä "
        "uudestaan.",
        403,
    )


def signed_in(request: Request, session: Session, area: Area) -> User:
    """The signed-in user with a role of ``area``; ``SignInNeeded`` or ``AuthError`` (403) otherwise."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded()
    try:
        return user_for_token(session, settings_from(request), token, roles=area.roles)
    except AuthError as error:
        if error.status_code == 401:
            raise SignInNeeded() from error
        raise


def to_login(area: Area, message: str | None = None) -> RedirectResponse:
    target = f"{area.home}/login" + (f"?msg={message}" if message else "")
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _forbidden(request: Request, area: Area) -> HTMLResponse:
    # The session cookie stays: a worker who opened an editor page by mistake stays signed in to the inbox.
    return error_page(
        request, area, None, "Ei käyttöoikeutta",
        "Tunnuksellasi ei ole oikeutta tähän. Jos tunnus on poistettu käytöstä, ota yhteyttä "
        "pääkäyttäjään.",
        403,
    )


def authorised(request: Request, session: Session, area: Area) -> User | Response:
    """The user, or the response to send instead (to the sign-in page, or a 403 page)."""
    try:
        return signed_in(request, session, area)
    except SignInNeeded:
        return to_login(area, "signed_out" if request.cookies.get(SESSION_COOKIE) else None)
    except AuthError:
        return _forbidden(request, area)


def login_page(request: Request, area: Area, msg: str | None) -> HTMLResponse:
    context = {"user": None, "message": SIGN_IN_MESSAGES.get(msg or "")}
    return render(request, area, "staff/login.html", context)


def sign_in(
    request: Request, area: Area, session: Session, username: str, password: str, csrf_token: str
) -> Response:
    """Check the form, set the session cookie, go to the user's home (another area if this is not theirs)."""
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, area)
    username = username.strip()[:64]
    settings = settings_from(request)

    def failed(error: str, status_code: int) -> HTMLResponse:
        return render(
            request, area, "staff/login.html", {"user": None, "error": error, "username": username},
            status_code=status_code,
        )

    if not settings.jwt_secret:
        return failed("Kirjautuminen ei ole käytössä: palvelimelta puuttuu JWT_SECRET-asetus.", 503)
    if not login_allowed(request, username):
        return failed("Liian monta kirjautumisyritystä. Odota minuutti ja yritä uudelleen.", 429)
    user = authenticate_user(session, username, password) if username and password else None
    if user is None:
        audit.record(session, username or "-", "login_failed", detail={"via": area.name})
        session.commit()
        return failed("Käyttäjätunnus tai salasana on väärin.", 401)
    try:
        token = create_access_token(settings, user.username, user.role)
    except TokenConfigError:
        return failed("Kirjautuminen ei ole käytössä: palvelimelta puuttuu JWT_SECRET-asetus.", 503)
    audit.record(session, user.username, "login", detail={"via": area.name})
    session.commit()
    home = area if user.role in area.roles else HOME_AREA_BY_ROLE.get(user.role, area)
    response = RedirectResponse(home.home, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.jwt_ttl_minutes * 60, httponly=True, samesite="strict",
        secure=secure(request), path="/",
    )
    _set_csrf_cookie(request, response, new_csrf_token())  # a new CSRF token for the new session
    return response


def sign_out(
    request: Request, area: Area, session: Session, csrf_token: str,
    before: Callable[[User], None] | None = None,
) -> Response:
    """End the session; ``before`` runs first for a signed-in user (the inbox ends a live-chat duty)."""
    if not csrf_valid(request, csrf_token):
        return csrf_failed(request, area)
    try:
        user = signed_in(request, session, area)
        if before is not None:
            before(user)
        audit.record(session, user.username, "logout", detail={"via": area.name})
        session.commit()
    except (SignInNeeded, AuthError):
        pass
    response = to_login(area, "logged_out")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response
