"""Database access: one engine per process, sessions per request, schema by Alembic migrations.

SQLite (the embedded default) and PostgreSQL (``DATABASE_URL``) both work; the schema is always created
by ``run_migrations`` (Alembic ``upgrade head``), never by ``create_all``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"

SessionLocal = sessionmaker(autoflush=False, expire_on_commit=False, future=True)

_lock = threading.Lock()
_engine: Engine | None = None


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Readers (the inbox) do not block the writer (the chat) and the other way round.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets a thread-safe connection and foreign keys switched on."""
    if _is_sqlite(url):
        _ensure_sqlite_folder(url)
        # One engine serves FastAPI's worker threads; sqlite3 waits up to 15 s for a lock.
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def configure_database(url: str) -> Engine:
    """Point the process at ``url`` (replacing an earlier configuration) and return the engine."""
    global _engine
    with _lock:
        if _engine is not None and str(_engine.url) == str(make_url(url)):
            return _engine
        if _engine is not None:
            _engine.dispose()
        _engine = create_db_engine(url)
        SessionLocal.configure(bind=_engine)
        return _engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError("the database is not configured; call bot.db.configure_database(url) first")
    return _engine


def dispose_database() -> None:
    """Close every pooled connection and forget the engine (tests, shutdown)."""
    global _engine
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = None


def new_session() -> Session:
    get_engine()
    return SessionLocal()


def get_session() -> Iterator[Session]:
    """FastAPI dependency: a session for one request, rolled back if the request fails."""
    session = new_session()
    try:
        yield session
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.exists() else Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not an ini option, so a '%' in a password needs no escaping.
    config.attributes["database_url"] = url
    config.attributes["configure_logging"] = False
    return config


# Any constant: the key of the advisory lock that lets one gateway worker at a time migrate PostgreSQL.
_MIGRATION_LOCK_KEY = 7_202_612


def run_migrations(url: str) -> None:
    """Bring the schema at ``url`` up to date (Alembic ``upgrade head``).

    Several gateway workers start at once and each runs this: one migrates while the others wait for its
    lock (a PostgreSQL advisory lock, a file lock beside an SQLite file), then find the schema at head."""
    from alembic import command

    if not _is_sqlite(url):
        engine = create_engine(url, future=True)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_KEY})")
                try:
                    command.upgrade(alembic_config(url), "head")
                finally:
                    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK_KEY})")
        finally:
            engine.dispose()
        return
    _ensure_sqlite_folder(url)
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        command.upgrade(alembic_config(url), "head")
        return
    import fcntl

    with open(f"{database}.migrate.lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        command.upgrade(alembic_config(url), "head")
