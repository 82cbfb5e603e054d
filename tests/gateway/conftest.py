"""Fixtures for the gateway tests: a fresh database (SQLite file, and PostgreSQL when reachable), the app,
worker accounts and helpers for the internal API."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import bcrypt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from bot.conversation_ids import IssuedConversation, conversation_key, issue
from bot.db import configure_database, dispose_database, new_session, run_migrations
from bot.models import Base, User
from bot.settings import Settings
from tests.postgres import fresh_database

PASSWORD = "oikein-pitka-salasana-1"
JWT_SECRET = "test-jwt-secret-" + "x" * 32
SERVICE_TOKEN = "test-service-token-" + "y" * 24
# Set explicitly: a CONVERSATION_KEY in the checkout's var/secrets.env must not decide the tests' ids.
CONVERSATION_KEY = "test-conversation-key-" + "z" * 24


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated to head, dropped afterwards."""
    with fresh_database() as url:
        try:
            run_migrations(url)
            yield url
        finally:
            dispose_database()


def _empty_all_tables(url: str) -> None:
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Each test runs on a fresh SQLite file and on (emptied) PostgreSQL."""
    if request.param == "sqlite":
        # A folder that does not exist yet: run_migrations must create it.
        yield f"sqlite:///{tmp_path / 'data' / 'assistant.sqlite3'}"
        dispose_database()
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    dispose_database()
    _empty_all_tables(url)


def make_settings(tmp_path, database_url: str, **overrides: Any) -> Settings:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "database_url": database_url,
        "jwt_secret": JWT_SECRET,
        "jwt_ttl_minutes": 30,
        "action_service_token": SERVICE_TOKEN,
        "conversation_key": CONVERSATION_KEY,
    }
    values.update(overrides)
    return Settings(**values)


def build_app(settings: Settings) -> FastAPI:
    """The real gateway app; only this package's routers if bot.main cannot be imported yet."""
    try:
        from bot.main import create_app
    except ImportError:
        return _routers_only_app(settings)
    return create_app(settings)


def _routers_only_app(settings: Settings) -> FastAPI:
    from fastapi.staticfiles import StaticFiles

    from bot.routers import auth, handoffs, inbox, internal
    from bot.settings import PROJECT_ROOT

    configure_database(settings.effective_database_url)
    run_migrations(settings.effective_database_url)
    app = FastAPI()
    app.state.settings = settings
    for module in (auth, handoffs, internal, inbox):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "bot" / "static"), name="static")
    return app


@pytest.fixture
def settings(tmp_path, database_url: str) -> Settings:  # type: ignore[no-untyped-def]
    return make_settings(tmp_path, database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return build_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def add_user(username: str, role: str = "worker", password: str = PASSWORD, active: bool = True) -> None:
    # Cost 4 keeps the tests fast; the application itself uses bcrypt's default cost.
    password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    with new_session() as session:
        session.add(User(username=username, password_hash=password_hash, role=role, active=active))
        session.commit()


@pytest.fixture
def worker(app: FastAPI) -> str:
    add_user("hoitaja1", "worker")
    return "hoitaja1"


@pytest.fixture
def admin(app: FastAPI) -> str:
    add_user("paakayttaja", "admin")
    return "paakayttaja"


def get_token(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def worker_headers(client: TestClient, worker: str) -> dict[str, str]:
    return auth(get_token(client, worker))


SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


def case_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "conversation_id": "conv-1",
        "urgency": "urgent",
        "segment": 3,
        "segment_reasons": ["arjessa jaksaminen vaikeaa", "useita palveluita"],
        "risk_signals": [
            {"category": "eviction_homelessness", "severity": "urgent", "quote": "saan häädön ensi viikolla"}
        ],
        "summary": "Asukas kertoo saaneensa häätöilmoituksen.\nToivoo soittoa.",
        "consent": True,
        "contact": {"method": "callback"},
        "idempotency_key": f"conv-1:{secrets.token_hex(8)}",
    }
    payload.update(overrides)
    return payload


def create_case(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/internal/handoffs", json=case_payload(**overrides), headers=SERVICE)
    assert response.status_code == 201, response.text
    return response.json()


def set_created_at(handoff_id: str, minutes_ago: int) -> None:
    from bot.models import Handoff

    with new_session() as session:
        handoff = session.get(Handoff, handoff_id)
        handoff.created_at = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
        session.commit()


def audit_actions(handoff_id: str | None = None) -> list[tuple[str, str]]:
    """(actor, action) of every audit row, oldest first; only one case's rows with ``handoff_id``."""
    from sqlalchemy import select

    from bot.models import AuditLog

    with new_session() as session:
        query = select(AuditLog).order_by(AuditLog.id)
        if handoff_id is not None:
            query = query.where(AuditLog.handoff_id == handoff_id)
        return [(row.actor, row.action) for row in session.scalars(query)]


def new_conversation(client: TestClient) -> str:
    """A conversation id issued by the gateway (the widget asks for one before its first message)."""
    response = client.post("/api/conversations")
    assert response.status_code == 201, response.text
    return response.json()["conversation_id"]


class Conversations(dict):
    """Issued conversation ids by the readable names a test uses (``ids["outage-1"]``)."""

    def __init__(self, client: TestClient) -> None:
        super().__init__()
        self.client = client

    def __missing__(self, name: str) -> str:
        self[name] = new_conversation(self.client)
        return self[name]


# The test gateway's key, so a test can name a fixed id and compute its live-chat secret.
TEST_CONVERSATION_KEY = conversation_key(CONVERSATION_KEY, JWT_SECRET)


def fixed_conversation(label: bytes) -> IssuedConversation:
    """An issued id (and its live-chat secret) that stays the same for a label of at most 16 bytes."""
    return issue(TEST_CONVERSATION_KEY, label.ljust(16, b"."))
