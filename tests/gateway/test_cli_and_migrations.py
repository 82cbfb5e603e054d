"""The account command line and the Alembic migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from bot import cli
from bot.db import alembic_config, configure_database, dispose_database, new_session, run_migrations
from bot.repositories.users import get_by_username
from bot.security import verify_password
from bot.settings import PROJECT_ROOT

TABLES = {
    "users",
    "handoffs",
    "handoff_notes",
    "conversation_messages",
    "contact_details",
    "feedback",
    "audit_log",
    "catalogue_changes",
    "catalogue_drafts",
    "routing_events",
}


def test_cli_manages_users(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEW_USER_PASSWORD", "hyvä-pitkä-salasana")
    assert cli.main(["--database-url", database_url, "create-user", "sosiaalityo1", "--role", "admin"]) == 0
    assert "created admin 'sosiaalityo1'" in capsys.readouterr().out
    with new_session() as session:
        user = get_by_username(session, "sosiaalityo1")
        assert user.role == "admin" and user.active
        assert user.password_hash.startswith("$2") and verify_password(
            "hyvä-pitkä-salasana", user.password_hash
        )

    assert cli.main(["--database-url", database_url, "create-user", "sosiaalityo1"]) == 1
    assert "already exists" in capsys.readouterr().err

    monkeypatch.setenv("NEW_USER_PASSWORD", "lyhyt")
    assert cli.main(["--database-url", database_url, "create-user", "toinen"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err

    monkeypatch.setenv("NEW_USER_PASSWORD", "uusi-pitkä-salasana")
    assert cli.main(["--database-url", database_url, "set-password", "sosiaalityo1"]) == 0
    assert cli.main(["--database-url", database_url, "set-password", "eiole"]) == 1
    assert cli.main(["--database-url", database_url, "deactivate", "sosiaalityo1"]) == 0
    assert cli.main(["--database-url", database_url, "list-users"]) == 0
    out = capsys.readouterr().out
    assert "sosiaalityo1" in out and " no " in out
    with new_session() as session:
        user = get_by_username(session, "sosiaalityo1")
        assert not user.active and verify_password("uusi-pitkä-salasana", user.password_hash)


def test_cli_prompts_twice_and_runs_as_a_module(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli' / 'db.sqlite3'}"
    env = {**os.environ, "NEW_USER_PASSWORD": "moduuli-salasana-123", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "create-user", "moduuli", "--role", "worker"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "list-users"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "moduuli" in listed.stdout and "worker" in listed.stdout
    # Without the variable and without a terminal the command says how to give the password.
    env.pop("NEW_USER_PASSWORD")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "create-user", "toinen"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1 and "NEW_USER_PASSWORD" in result.stderr


def test_cli_password_prompt_must_match(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.delenv("NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter(["ensimmäinen-salasana", "toinen-salasana-xx"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["--database-url", url, "create-user", "kysytty"]) == 1
    answers = iter(["sama-salasana-12345", "sama-salasana-12345"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["--database-url", url, "create-user", "kysytty"]) == 0
    dispose_database()


def _check_schema(url: str) -> None:
    engine = create_engine(url, future=True)
    try:
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) >= TABLES
        columns = {c["name"] for c in inspector.get_columns("audit_log")}
        assert {"id", "at", "actor", "action", "handoff_id", "detail"} <= columns
        assert any(
            u["column_names"] == ["idempotency_key"] for u in inspector.get_unique_constraints("handoffs")
        )
        assert "chat_state" in {c["name"] for c in inspector.get_columns("handoffs")}
        assert "chat_duty_until" in {c["name"] for c in inspector.get_columns("users")}
        assert {"author", "kind"} <= {c["name"] for c in inspector.get_columns("conversation_messages")}
        with engine.connect() as connection:
            head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
    finally:
        engine.dispose()


def test_migrations_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'db.sqlite3'}"
    run_migrations(url)
    run_migrations(url)  # a second run is a no-op
    _check_schema(url)
    configure_database(url)
    with new_session() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    dispose_database()
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    assert not TABLES & set(inspect(engine).get_table_names())
    engine.dispose()
    run_migrations(url)
    _check_schema(url)


def test_live_chat_migration_keeps_data_and_checks_roles(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """0001 -> 0002 on a database with a transcript: rows survive, the new roles are allowed, others not."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    command.upgrade(alembic_config(url), "0001_initial")
    engine = create_engine(url, future=True)
    insert = text(
        "INSERT INTO conversation_messages (conversation_id, role, text, created_at) "
        "VALUES ('c1', :role, 'hei', '2026-12-01 10:00:00')"
    )
    with engine.begin() as connection:
        connection.execute(insert, {"role": "user"})
    command.upgrade(alembic_config(url), "head")
    with engine.begin() as connection:
        connection.execute(insert, {"role": "worker"})
        assert connection.scalar(text("SELECT count(*) FROM conversation_messages")) == 2
    with pytest.raises(Exception, match="CHECK constraint failed"), engine.begin() as connection:
        connection.execute(insert, {"role": "hacker"})
    command.downgrade(alembic_config(url), "0001_initial")
    with engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM conversation_messages")) == 1
    engine.dispose()


@pytest.mark.postgres
def test_migrations_on_postgres(postgres_url: str) -> None:
    # The session database is already at head; going down and up again must work too.
    _check_schema(postgres_url)
    dispose_database()
    command.downgrade(alembic_config(postgres_url), "base")
    engine = create_engine(postgres_url)
    assert not TABLES & set(inspect(engine).get_table_names())
    engine.dispose()
    run_migrations(postgres_url)
    _check_schema(postgres_url)
