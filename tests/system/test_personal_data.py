"""Personal data over the whole running system: what residents type in the variants they use is found in no
database table, no Rasa tracker event and no log file afterwards (redaction happens before anything else)."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy import text as sql

from tests.system.running_system import RunningSystem

pytestmark = pytest.mark.system

# (what the resident types, the part that must not be found anywhere)
MESSAGES = [
    ("mun hetu on 131052-308T ja tarviin asumistukea", "308T"),
    ("henkilötunnus 131052 308T, miten haen kelalta", "131052 308T"),
    ("soittakaa numeroon (040) 765 4321 kiitos", "765 4321"),
    ("numero 040.765.4321 jos tarvitsee", "040.765.4321"),
    ("my Swedish number is +46 70 123 45 67", "123 45 67"),
    ("sähköposti matti.virtanen@example.fi", "matti.virtanen@example.fi"),
    ("laita viestiä pekka (at) kolumbus (dot) fi", "kolumbus"),
    ("Terveisin Liisa Korhonen, en saa omakelaan yhteyttä", "Korhonen"),
]


def _sqlite_text(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        parts = []
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):  # table names come from SQLite itself
                parts.append(" ".join(str(value) for value in row))
        return "\n".join(parts)
    finally:
        connection.close()


def test_typed_identifiers_are_nowhere_in_databases_trackers_or_logs(running_system: RunningSystem) -> None:
    for message, _secret in MESSAGES:
        running_system.chat(f"pii-{uuid.uuid4().hex}", message)
    data_dir = running_system.data_dir
    stores = {path.name: _sqlite_text(path) for path in data_dir.glob("*.sqlite3")}
    assert {"assistant.sqlite3", "rasa_tracker.sqlite3"} <= set(stores), sorted(stores)
    assert "pii-" in stores["rasa_tracker.sqlite3"]  # the conversations did reach Rasa's tracker store
    logs = {path.name: path.read_text(errors="replace") for path in (data_dir / "logs").glob("*.log")}
    assert logs, "no log files"
    for _text, secret in MESSAGES:
        for name, content in {**stores, **logs}.items():
            assert secret not in content, f"{secret!r} found in {name}"


def _postgres_text(url: str) -> dict[str, str]:
    engine = create_engine(url, future=True)
    try:
        tables = inspect(engine).get_table_names()
        with engine.connect() as connection:
            return {
                table: "\n".join(
                    " ".join(str(v) for v in row)
                    for row in connection.execute(sql(f'SELECT * FROM "{table}"'))
                )
                for table in tables  # table names come from PostgreSQL itself
            }
    finally:
        engine.dispose()


def test_typed_identifiers_are_nowhere_on_postgres_either(running_system_on_postgres: RunningSystem) -> None:
    system = running_system_on_postgres
    for message, _secret in MESSAGES:
        system.chat(f"pii-{uuid.uuid4().hex}", message)
    tables = _postgres_text(system.env["DATABASE_URL"])
    assert {"conversation_messages", "events"} <= set(tables), sorted(tables)  # gateway and Rasa's tracker
    assert "pii-" in tables["events"]  # the conversations did reach Rasa's tracker store in PostgreSQL
    assert not list(system.data_dir.glob("*.sqlite3")), "nothing fell back to SQLite"
    logs = {path.name: path.read_text(errors="replace") for path in (system.data_dir / "logs").glob("*.log")}
    assert logs, "no log files"
    for _text, secret in MESSAGES:
        for name, content in {**tables, **logs}.items():
            assert secret not in content, f"{secret!r} found in {name}"
