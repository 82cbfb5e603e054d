"""Tracker fixtures for testing actions without Rasa, in the style of RasaHQ/financial-demo.

Actions that store a case talk to a real gateway (FastAPI app with a temporary SQLite database,
served by uvicorn on a free port), so the tests cover the HTTP contract the action server relies on.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.gateway_client
from actions.settings import ActionServerSettings
from bot.settings import Settings
from tests.catalogue_copy import ALWAYS_OPEN, catalogue_copy
from tests.gateway.conftest import PASSWORD


def make_tracker(
    *user_texts: str,
    intent: str = "ask_housing_allowance",
    slots: dict[str, Any] | None = None,
    ranking: list[tuple[str, float]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    sender_id: str = "test-conversation",
) -> Tracker:
    """A tracker whose events hold ``user_texts`` as resident messages; the last one is the latest."""
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    for text in user_texts:
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}})
    latest = {
        "text": user_texts[-1] if user_texts else "",
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": name, "confidence": c} for name, c in (ranking or [(intent, 0.9)])],
        "entities": entities or [],
        "metadata": {"lang": "fi"},
    }
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveGateway:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token

    def worker_on_duty(self, username: str = "paivystaja") -> dict[str, str]:
        """A worker account, signed in and on live-chat duty; returns its API headers."""
        from tests.gateway.conftest import add_user, auth

        add_user(username)
        response = httpx.post(
            f"{self.base_url}/api/auth/token", data={"username": username, "password": PASSWORD}
        )
        response.raise_for_status()
        headers = auth(response.json()["access_token"])
        httpx.post(f"{self.base_url}/api/duty", json={"on_duty": True}, headers=headers).raise_for_status()
        return headers

    def handoff(self, handoff_id: str) -> dict[str, Any]:
        response = httpx.get(
            f"{self.base_url}/api/internal/handoffs/{handoff_id}",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture
def live_gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveGateway]:
    """The real gateway on a free port, and the action server's settings pointing at it."""
    yield from _serve_gateway(tmp_path, monkeypatch)


@pytest.fixture
def always_open_gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveGateway]:
    """The same, with a county whose service hours never end, so live-chat tests run at any hour."""
    yield from _serve_gateway(tmp_path, monkeypatch, catalogue_dir=catalogue_copy(tmp_path, ALWAYS_OPEN))


def _serve_gateway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **overrides: Any
) -> Iterator[LiveGateway]:
    from bot.main import create_app

    port = _free_port()
    token = secrets.token_urlsafe(16)
    settings = Settings(
        data_dir=tmp_path,
        action_service_token=token,
        jwt_secret=secrets.token_urlsafe(32),
        gateway_internal_url=f"http://127.0.0.1:{port}",
        **overrides,
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("gateway did not start")
        time.sleep(0.05)
    _point_actions_at(monkeypatch, settings)
    yield LiveGateway(f"http://127.0.0.1:{port}", token)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def unreachable_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(action_service_token="x", gateway_internal_url=f"http://127.0.0.1:{_free_port()}")
    _point_actions_at(monkeypatch, settings)
    monkeypatch.setattr(actions.gateway_client, "RETRY_DELAYS_S", (0.01, 0.01))


def _point_actions_at(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    # The action server has settings of its own (it never imports the gateway's): the same values.
    own = ActionServerSettings(
        gateway_internal_url=settings.gateway_internal_url,
        action_service_token=settings.action_service_token,
        catalogue_dir=settings.catalogue_dir,
    )
    monkeypatch.setattr(actions.gateway_client, "get_settings", lambda: own)
