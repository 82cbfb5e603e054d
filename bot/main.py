"""The gateway application: resident chat, worker inbox, internal API for the action server, widget."""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot import crisis_notice
from bot.body_limit import BodySizeLimitMiddleware
from bot.chat_services import ChatServices
from bot.db import configure_database, run_migrations
from bot.openapi_errors import document_shared_errors
from bot.routers import (
    auth,
    chat,
    duty,
    editor_api,
    editor_gaps,
    editor_import,
    editor_pages,
    handoffs,
    health,
    inbox,
    internal,
    live_chat,
    web,
)
from bot.scheduled_publishing import ScheduledPublishing
from bot.security_headers import SecurityHeadersMiddleware, security_headers
from bot.settings import PROJECT_ROOT, Settings, get_settings
from triage.screening import warm_up as warm_up_screening

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Hyvinvointialueen asiointiavustaja", version="0.1.0")
    app.state.settings = settings
    app.state.chat_services = ChatServices.from_settings(settings)

    configure_database(settings.effective_database_url)
    run_migrations(settings.effective_database_url)

    app.add_middleware(BodySizeLimitMiddleware)
    if settings.trusted_proxies:
        # Outermost, so rate limits and logs see the resident's address, never a spoofed one: uvicorn runs
        # with --no-proxy-headers, and only the listed proxies are believed.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(SecurityHeadersMiddleware, headers=security_headers(settings.https))
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization", "X-Live-Secret"],
    )
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, crisis_notice.http_error)
    app.add_exception_handler(Exception, crisis_notice.unexpected_error)

    routers = (
        chat, live_chat, health, auth, duty, handoffs, internal, inbox,
        editor_api, editor_gaps, editor_import, editor_pages, web,
    )
    for module in routers:
        app.include_router(module.router)
    document_shared_errors(app)
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "bot" / "static"), name="static")
    # The gateway screens live-chat messages itself; load the screening now, in the background, so
    # the first resident in a live chat does not wait for it and the gateway is ready at once.
    threading.Thread(target=warm_up_screening, name="screening-warm-up", daemon=True).start()
    # Drafts scheduled by editors go live on time (a reform prepared in advance); only while serving.
    publishing = ScheduledPublishing(settings)
    app.add_event_handler("startup", publishing.start)
    app.add_event_handler("shutdown", publishing.stop)
    app.add_event_handler("shutdown", app.state.chat_services.rasa.close)
    return app


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    # Clear 4xx errors in JSON for bad input; a body that is not JSON at all is a 400, not a 422.
    errors = error.errors()
    if any(item.get("type", "").startswith(("value_error.jsondecode", "json_invalid")) for item in errors):
        return crisis_notice.with_crisis_notice(request, {"detail": "request body is not valid JSON"}, 400)
    detail = [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "error": e.get("msg")}
              for e in errors]
    return crisis_notice.with_crisis_notice(request, {"detail": detail}, 422)
