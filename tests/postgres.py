"""A fresh PostgreSQL database on the loopback server (``TEST_POSTGRES_URL``), for the gateway tests and the
running system on PostgreSQL; the tests that need it are skipped, saying why, where no server answers."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_database(prefix: str = "assistant_test") -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards (its connections ended first)."""
    admin_url = make_url(TEST_POSTGRES_URL)
    shown = admin_url.render_as_string(hide_password=True)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, ImportError) as error:
        pytest.skip(f"PostgreSQL not reachable at {shown}: {str(error).splitlines()[0]}")
    name = f"{prefix}_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
