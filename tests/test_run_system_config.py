"""The Rasa files the start script writes keep no secret: every one is a ${VAR} that Rasa reads from its
environment (the PostgreSQL tracker store's password too)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bot.settings import PROJECT_ROOT

_spec = importlib.util.spec_from_file_location("run_system", PROJECT_ROOT / "scripts" / "run_system.py")
assert _spec and _spec.loader
run_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_system)

URL = "postgresql+psycopg2://assistant:hyvin-salainen@127.0.0.1:5432/assistant"


def test_the_tracker_store_password_is_not_written_to_endpoints(tmp_path: Path) -> None:
    endpoints, credentials = run_system.write_rasa_files(tmp_path, 5055, URL)
    text = endpoints.read_text(encoding="utf-8") + credentials.read_text(encoding="utf-8")
    assert "hyvin-salainen" not in text
    assert "password: ${TRACKER_DB_PASSWORD}" in text
    assert run_system.tracker_password(URL) == "hyvin-salainen"
    assert oct(endpoints.stat().st_mode & 0o777) == "0o600"


def test_sqlite_needs_no_password(tmp_path: Path) -> None:
    endpoints, _ = run_system.write_rasa_files(tmp_path, 5055, "")
    assert "dialect: sqlite" in endpoints.read_text(encoding="utf-8")
    assert run_system.tracker_password("") == ""


def test_redis_gives_rasa_a_shared_lock_store_without_its_password(tmp_path: Path) -> None:
    endpoints, _ = run_system.write_rasa_files(tmp_path, 5055, URL, "redis://:lukko-salainen@10.0.0.5:6380/2",
                                               "test-1a")
    written = endpoints.read_text(encoding="utf-8")
    expected = "lock_store:\n  type: redis\n  url: 10.0.0.5\n  port: 6380\n  db: 2\n  key_prefix: test1a\n"
    assert expected in written
    assert "password: ${REDIS_PASSWORD}" in written and "lukko-salainen" not in written
    assert "lock_store" not in run_system.write_rasa_files(tmp_path, 5055, URL)[0].read_text(encoding="utf-8")


def test_scale_out_needs_shared_stores() -> None:
    pg = URL
    assert run_system.scale_out_problem(1, 1, "", "") == ""
    assert "REDIS_URL" in run_system.scale_out_problem(1, 2, pg, "")
    assert "REDIS_URL" in run_system.scale_out_problem(2, 1, pg, "")
    assert "PostgreSQL" in run_system.scale_out_problem(2, 1, "", "redis://127.0.0.1:6379/0")
    assert run_system.scale_out_problem(2, 2, pg, "redis://127.0.0.1:6379/0") == ""
    assert run_system.rasa_ports_from({"RASA_PORT": "6000", "RASA_REPLICAS": "3"}) == [6000, 6001, 6002]
    assert run_system.rasa_ports_from({"RASA_PORTS": "7001,7005"}) == [7001, 7005]


def test_the_domain_goes_only_to_the_actions_that_read_it(tmp_path: Path) -> None:
    import yaml

    endpoints, _ = run_system.write_rasa_files(tmp_path, 5055, "")
    assert yaml.safe_load(endpoints.read_text(encoding="utf-8"))["action_endpoint"]["enable_selective_domain"]
