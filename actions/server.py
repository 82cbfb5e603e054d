"""The action server, started as ``python -m actions.server --port N``: rasa-sdk's own app, plus a shared
secret on ``/webhook``.

rasa-sdk 3.6 runs any action for anyone who can reach ``/webhook``, and our actions call the gateway's
internal API with the real service token: a local process could create or change cases through it (a
confused deputy). Rasa sends ``Authorization: Bearer <ACTION_SERVER_SECRET>`` (``headers`` of the
action endpoint in endpoints.yml); every other request except ``/health`` is refused.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

SECRET_ENV = "ACTION_SERVER_SECRET"
OPEN_PATHS = ("/health",)
logger = logging.getLogger(__name__)


def secured_app(secret: str) -> Sanic:
    if len(secret) < 16:
        raise ValueError(f"{SECRET_ENV} must be set to a secret of at least 16 characters")
    app = create_app("actions", cors_origins=None)
    expected = f"Bearer {secret}".encode()

    @app.on_request
    async def require_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not hmac.compare_digest((request.headers.get("authorization") or "").encode(), expected):
            return response.json({"error": "unauthorised"}, status=401)
        return None

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the assistant's action server")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    app = secured_app(os.environ.get(SECRET_ENV, ""))
    # Loopback only: Rasa is the one client.
    app.run(os.environ.get("SANIC_HOST", "127.0.0.1"), args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
