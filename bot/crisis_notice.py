"""Crisis contacts in every error a resident can get from the chat endpoints (429, 413, 422, 5xx).

A resident in crisis whose message is refused (too many messages, too long, the assistant down) must still
see 112 and the 24/7 crisis line: they must never depend on a successful request. The contacts come from the
catalogue's crisis card for self-harm (112 first, then the 24/7 line, so its numbers are the catalogue's,
never typed here); without a catalogue, 112 alone.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.catalogue import gateway_catalogue_or_none
from bot.settings import Settings
from common.resident_texts import LANGUAGES, resident_text
from service_catalogue.cards import crisis_card

# The resident's endpoints: their error bodies carry the crisis contacts.
RESIDENT_PATHS = ("/webhooks/rest/webhook", "/api/chat/")
CONTACTS_SHOWN = 2  # 112 and the 24/7 crisis line


def crisis_notice(settings: Settings, lang: str = "fi") -> dict[str, Any]:
    """``{"text", "contacts": [{name, phone, hours}]}`` for an error body."""
    catalogue = gateway_catalogue_or_none(settings)
    if catalogue is None:
        contacts = [{"name": "112", "phone": "112", "hours": None}]
    else:
        contacts = crisis_card(catalogue, "suicide_self_harm", lang)["payload"]["contacts"][:CONTACTS_SHOWN]
    lines = [resident_text("crisis_notice_lead", lang)]
    lines += [f"{c['name']}: {c['phone']}" for c in contacts if c.get("phone")]
    return {"text": "\n".join(lines), "contacts": contacts}


def for_resident(request: Request) -> bool:
    return request.url.path.startswith(RESIDENT_PATHS)


def _lang(request: Request) -> str:
    wanted = (request.headers.get("accept-language") or "fi")[:2].lower()
    return wanted if wanted in LANGUAGES else "fi"


def with_crisis_notice(request: Request, body: dict[str, Any], status_code: int,
                       headers: dict[str, str] | None = None) -> JSONResponse:
    if for_resident(request):
        body = {**body, "crisis": crisis_notice(request.app.state.settings, _lang(request))}
    return JSONResponse(body, status_code=status_code, headers=headers)


class RefusedMessage(StarletteHTTPException):
    """A resident's message refused (413, 429) with the crisis cards an acute signal in it calls for."""

    def __init__(self, status_code: int, detail: str, crisis_cards: list[dict[str, Any]]) -> None:
        super().__init__(status_code, detail)
        self.crisis_cards = crisis_cards


async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    headers = getattr(error, "headers", None)
    body: dict[str, Any] = {"detail": error.detail}
    if isinstance(error, RefusedMessage) and error.crisis_cards:
        body["crisis_cards"] = error.crisis_cards
    return with_crisis_notice(request, body, error.status_code, headers)


async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
    """A bug must not leave a resident without contacts: a 500 in JSON with them, the error logged by the
    server as usual."""
    return with_crisis_notice(request, {"detail": "internal error"}, 500)


__all__ = ["RefusedMessage", "crisis_notice", "http_error", "unexpected_error", "with_crisis_notice"]
