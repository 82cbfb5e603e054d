"""Worker sign-in for the JSON API: OAuth2 password flow returning a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from bot.db import get_session
from bot.repositories import audit
from bot.schemas import ErrorResponse, TokenResponse
from bot.security import (
    TokenConfigError,
    authenticate_user,
    create_access_token,
    login_allowed,
    settings_from,
)

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    responses={
        401: {"model": ErrorResponse, "description": "wrong username or password, or a deactivated account"},
        429: {"model": ErrorResponse, "description": "too many attempts for this address and username"},
        503: {"model": ErrorResponse, "description": "sign-in is disabled: JWT_SECRET is not set"},
    },
)
def issue_token(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    session: Session = Depends(get_session),
) -> TokenResponse:
    settings = settings_from(request)
    if not settings.jwt_secret:
        raise HTTPException(503, "worker sign-in is disabled: JWT_SECRET is not set on the server")
    if not login_allowed(request, form.username):
        raise HTTPException(429, "too many sign-in attempts; wait a minute")
    user = authenticate_user(session, form.username, form.password)
    if user is None:
        audit.record(session, form.username[:64] or "-", "login_failed", detail={"via": "api"})
        session.commit()
        raise HTTPException(401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"})
    try:
        token = create_access_token(settings, user.username, user.role)
    except TokenConfigError as error:
        raise HTTPException(503, str(error)) from error
    audit.record(session, user.username, "login", detail={"via": "api"})
    session.commit()
    return TokenResponse(access_token=token, token_type="bearer", expires_in=settings.jwt_ttl_minutes * 60)
