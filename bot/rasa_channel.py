"""The one input channel Rasa opens: the gateway's, refused without the shared token.

Loaded *by Rasa* (``credentials.yml`` names ``bot.rasa_channel.GatewayInput``), never by the gateway.
Rasa runs without ``--enable-api`` and without the plain ``rest`` channel, so nothing on the host can read
a tracker or post a message past the gateway's redaction and limits: every request must carry
``Authorization: Bearer <RASA_TOKEN>``. The token comes from the environment (``${RASA_TOKEN}`` in
credentials.yml), not from a command line that every local user can read with ``ps``.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import simplemma
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_action_validation

rasa_action_validation.install()  # Rasa loads this module; its action-response check compiles its schema once


class GatewayInput(RestInput):
    """Rasa's REST channel behind a bearer token; ``GET /webhooks/gateway/`` also says whether the model is
    loaded, which is what the gateway's readiness check needs now that Rasa's HTTP API is off."""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GatewayInput:
        token = str((credentials or {}).get("token") or "")
        if len(token) < 16:
            raise ValueError("the gateway channel needs a token of at least 16 characters (RASA_TOKEN)")
        return cls(token)

    def __init__(self, token: str) -> None:
        self._token = token

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization") or ""
        return hmac.compare_digest(header.encode(), f"Bearer {self._token}".encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if not self._authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            return None

        @webhook.listener("after_server_start")
        async def warm_up(app: Any, _loop: Any) -> None:
            await warm_up_agent(getattr(app.ctx, "agent", None))
            app.ctx.warmed_up = True

        @webhook.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            loaded = bool(agent and agent.is_ready() and getattr(request.app.ctx, "warmed_up", False))
            return response.json({"ready": loaded}, status=200 if loaded else 503)

        return webhook


async def warm_up_agent(agent: Any) -> None:
    """One message through NLU and the policies, without a conversation: TensorFlow traces its graphs on the
    first prediction (seconds on a busy machine), which would otherwise be the first resident's wait, or a
    timeout when several processes start at once. Nothing is stored and no action runs."""
    if agent is None or not agent.is_ready():
        return
    # The tokenizer's fallback lemmatiser (finnish_nlu.lemmatizer) loads simplemma's Finnish dictionary on
    # the first word Voikko does not know: about 5 s, once per process (py-spy, docs/benchmarks.md).
    simplemma.lemmatize("hei", lang="fi")
    parse_data = await agent.parse_message("hei")
    tracker = DialogueStateTracker.from_events(
        "warm-up", [ActionExecuted(ACTION_LISTEN_NAME), UserUttered("hei", parse_data=parse_data)],
        slots=agent.domain.slots)
    agent.predict_next_with_tracker(tracker)
