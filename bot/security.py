"""Passwords (bcrypt), worker tokens (JWT, HS256) and the request dependencies that check them.

Workers authenticate with a bearer token from ``POST /api/auth/token`` or, in the inbox pages, with the
same token in an HttpOnly session cookie. The action server authenticates with a static bearer token
(``ACTION_SERVICE_TOKEN``); when that setting is empty the internal API refuses everything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import bcrypt
import jwt
from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from bot.db import get_session
from bot.models import CASE_ROLES, EDITOR_ROLES, User
from bot.rate_limit import make_limiter
from bot.repositories import users as users_repo
from bot.settings import Settings, get_settings

JWT_ALGORITHM = "HS256"
SESSION_COOKIE = "inbox_session"
CSRF_COOKIE = "inbox_csrf"
CSRF_HEADER = "X-CSRF-Token"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_BYTES = 72  # bcrypt ignores (bcrypt 5: refuses) anything longer
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Verified against when the user does not exist, so a wrong username takes as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"no such user, no such password", bcrypt.gensalt()).decode()


class WeakPassword(ValueError):
    pass


class TokenConfigError(RuntimeError):
    """The JWT secret is missing: worker tokens can be neither issued nor checked."""


@dataclass
class AuthError(Exception):
    status_code: int
    detail: str


# --- passwords ------------------------------------------------------------------------------------

def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise WeakPassword(f"the password must be at most {MAX_PASSWORD_BYTES} bytes long (bcrypt limit)")
    if len(set(password)) < 4:
        raise WeakPassword("the password repeats too few different characters")


def hash_password(password: str) -> str:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        raise WeakPassword(f"the password must be at most {MAX_PASSWORD_BYTES} bytes long (bcrypt limit)")
    return bcrypt.hashpw(encoded, bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except ValueError:  # too long a password, or a malformed hash
        return False


def authenticate_user(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, else ``None`` (timing does not reveal which part failed)."""
    user = users_repo.get_by_username(session, username)
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    if not verify_password(password, user.password_hash) or not user.active:
        return None
    return user


LOGIN_ATTEMPTS_PER_MINUTE = 10


def login_allowed(request: Request, username: str) -> bool:
    """At most ten sign-in attempts a minute per address and username (slows password guessing); shared by
    the gateway workers when Redis is configured, so more workers do not mean more guesses."""
    limiter = getattr(request.app.state, "login_limiter", None)
    if limiter is None:
        settings = settings_from(request)
        limiter = request.app.state.login_limiter = make_limiter(
            "login", LOGIN_ATTEMPTS_PER_MINUTE, settings.redis_url, settings.redis_key_prefix)
    client = request.client.host if request.client else "unknown"
    return limiter.allow(f"{client}|{username.lower()}")


# --- tokens ---------------------------------------------------------------------------------------

def settings_from(request: Request) -> Settings:
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, Settings) else get_settings()


def _secret(settings: Settings) -> str:
    if not settings.jwt_secret:
        raise TokenConfigError(
            "JWT_SECRET is not set: worker sign-in is disabled. Run `make setup` (it writes var/secrets.env) "
            "or set the JWT_SECRET environment variable."
        )
    return settings.jwt_secret


def create_access_token(settings: Settings, username: str, role: str) -> str:
    secret = _secret(settings)
    now = datetime.now(timezone.utc)
    claims = {
        "sub": username,
        "role": role,
        "iat": now,
        "exp": now + timedelta(minutes=settings.jwt_ttl_minutes),
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> dict[str, Any]:
    try:
        secret = _secret(settings)
    except TokenConfigError as error:
        raise AuthError(401, "worker sign-in is disabled on this server") from error
    try:
        return jwt.decode(token, secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError as error:
        raise AuthError(401, "the token has expired; sign in again") from error
    except jwt.InvalidTokenError as error:
        raise AuthError(401, "invalid token") from error


def user_for_token(
    session: Session, settings: Settings, token: str, roles: tuple[str, ...] = CASE_ROLES
) -> User:
    """The active user the token belongs to, if that user has one of ``roles``; else ``AuthError``."""
    claims = decode_access_token(settings, token)
    user = users_repo.get_by_username(session, str(claims.get("sub")))
    if user is None:
        raise AuthError(401, "invalid token")
    if not user.active:
        raise AuthError(403, "this account has been deactivated")
    # Both the token's claim and the account's current role must allow the request.
    if claims.get("role") not in roles or user.role not in roles:
        raise AuthError(403, "your role does not allow this")
    return user


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _http_error(error: AuthError) -> HTTPException:
    headers = {"WWW-Authenticate": "Bearer"} if error.status_code == 401 else None
    return HTTPException(error.status_code, error.detail, headers=headers)


def _worker(request: Request, session: Session, roles: tuple[str, ...]) -> User:
    token = bearer_token(request)
    via_cookie = False
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        via_cookie = token is not None
    if not token:
        raise HTTPException(401, "not authenticated", headers={"WWW-Authenticate": "Bearer"})
    # A change made with the browser's cookie alone needs the session-bound CSRF token in a header too: the
    # inbox pages carry it in their forms, the cookies are HttpOnly and SameSite=Strict.
    if via_cookie and request.method not in SAFE_METHODS and not csrf_valid(
        request, request.headers.get(CSRF_HEADER, "")
    ):
        raise HTTPException(403, "missing or invalid CSRF token")
    try:
        return user_for_token(session, settings_from(request), token, roles)
    except AuthError as error:
        raise _http_error(error) from error


def current_worker(request: Request, session: Session = Depends(get_session)) -> User:
    """A signed-in worker or admin (bearer token or inbox session cookie); 401 / 403 otherwise."""
    return _worker(request, session, CASE_ROLES)


def require_admin(request: Request, session: Session = Depends(get_session)) -> User:
    return _worker(request, session, ("admin",))


def require_editor(request: Request, session: Session = Depends(get_session)) -> User:
    """A signed-in content editor or admin (bearer token or session cookie); 401 / 403 otherwise."""
    return _worker(request, session, EDITOR_ROLES)


def require_action_service(request: Request) -> str:
    """The action server's static bearer token, compared in constant time; refuses all if unset."""
    expected = settings_from(request).action_service_token
    token = bearer_token(request)
    if token is None:
        raise HTTPException(401, "not authenticated", headers={"WWW-Authenticate": "Bearer"})
    if not expected:
        raise HTTPException(403, "the internal API is disabled: ACTION_SERVICE_TOKEN is not set")
    if not secrets.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        raise HTTPException(403, "invalid service token")
    return "action-server"


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_form_token(request: Request, csrf_cookie: str | None = None) -> str:
    """The token a form or the inbox's script must send back: an HMAC of this browser's CSRF cookie *and*
    its session cookie under the server's key, so it is bound to the session. A planted CSRF cookie, or a
    token from another session (before sign-in, another worker), does not pass. ``csrf_cookie``: the value a
    response is about to set, when the request has none yet."""
    key = settings_from(request).jwt_secret
    cookie = csrf_cookie or request.cookies.get(CSRF_COOKIE, "")
    if not key or not cookie:
        return ""
    session = request.cookies.get(SESSION_COOKIE, "")
    return hmac.new(key.encode(), f"{cookie}|{session}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = csrf_form_token(request)
    return bool(expected and submitted) and secrets.compare_digest(str(submitted).encode(), expected.encode())
