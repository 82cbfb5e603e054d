from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.system.running_system import MODEL, RunningSystem, start_system, stop_system


@pytest.fixture(scope="session")
def running_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: `make test` trains it before running pytest")
    system = start_system(tmp_path_factory.mktemp("system"))
    yield system
    stop_system(system)
