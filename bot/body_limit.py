"""A size limit on every request body, before anything parses it.

Starlette and FastAPI have no body limit of their own, and uvicorn has none for HTTP/1.1 bodies: a 10 MB JSON
field would be read and parsed in full. A pure ASGI middleware (no BaseHTTPMiddleware, so streaming stays
untouched) refuses a declared ``Content-Length`` over the limit at once, and counts the bytes of a body sent
without one, stopping at the limit. Either way the 413 body carries the crisis contacts on a resident's
route (``bot.crisis_notice``): written here for a declared length, by the app's error handler otherwise.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.crisis_notice import with_crisis_notice

DEFAULT_LIMIT = 64 * 1024  # a chat message is at most a few kB; a case summary at most 20 000 characters


class BodyTooLarge(HTTPException):
    """Raised while the app reads the body; FastAPI lets its own HTTPException through to the handlers."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit))


def _detail(limit: int) -> str:
    return f"request body is larger than {limit} bytes"


# Larger bodies only where an editor uploads the national catalogue's JSON (a paged list is often 100s of kB).
LARGER_LIMITS = {"/editor/import": 2 * 1024 * 1024, "/api/editor/import": 2 * 1024 * 1024}


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int = DEFAULT_LIMIT) -> None:
        self.app = app
        self.default_limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = with_crisis_notice(Request(scope), {"detail": _detail(limit)}, 413)
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)

    def limit_for(self, path: str) -> int:
        return next((size for prefix, size in LARGER_LIMITS.items() if path.startswith(prefix)),
                    self.default_limit)
