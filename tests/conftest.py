"""Fixtures shared by the test folders: the real running system for tests/system and tests/browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import fresh_database
from tests.system.running_system import MODEL, RunningSystem, start_system, stop_system


@pytest.fixture(scope="session")
def running_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    """Gateway, Rasa and action server on free ports with a temporary data folder, once per session."""
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: `make test` trains it before running pytest")
    system = start_system(tmp_path_factory.mktemp("system"))
    yield system
    stop_system(system)


@pytest.fixture(scope="session")
def running_system_on_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    """The whole system with the gateway's tables and Rasa's tracker store in PostgreSQL (loopback server)."""
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: `make test` trains it before running pytest")
    with fresh_database("assistant_system") as url:
        system = start_system(tmp_path_factory.mktemp("system-postgres"), database_url=url)
        try:
            yield system
        finally:
            stop_system(system)
