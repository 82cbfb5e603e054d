"""The runtime lock (requirements.lock, what `make run` and the container images install) holds no development
or test tool; those are in requirements-dev.lock, which scripts/setup.sh installs only with WITH_DEV=1 (make
setup-test). Checked on the files, and on setup.sh run against a stand-in virtualenv that logs pip calls."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from bot.settings import PROJECT_ROOT

DEV_TOOLS = {"pytest", "pytest-asyncio", "playwright", "ruff", "py-spy", "spacy-fi-experimental-web-md"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    result = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, version = re.match(r"([A-Za-z0-9_.\-\[\]]+)\s*(.*)", line).groups()
            result[canonical(re.sub(r"\[.*\]", "", name))] = version.removeprefix("==")
    return result


def test_the_runtime_lock_has_no_development_tool_and_the_dev_lock_has_them_all() -> None:
    runtime, dev = pins(PROJECT_ROOT / "requirements.lock"), pins(PROJECT_ROOT / "requirements-dev.lock")
    assert DEV_TOOLS & set(runtime) == set()
    assert set(runtime) & set(dev) == set()  # the dev lock adds, it never re-pins
    dev_in = pins(PROJECT_ROOT / "requirements-dev.in")
    assert set(dev_in) == DEV_TOOLS
    for name, version in dev_in.items():
        assert dev[name] == version, name


def test_every_direct_runtime_dependency_is_pinned_as_requested() -> None:
    runtime = pins(PROJECT_ROOT / "requirements.lock")
    for name, spec in pins(PROJECT_ROOT / "requirements.in").items():
        assert name in runtime, name
        if spec and spec[0].isdigit():
            assert runtime[name] == spec, name
    assert "-c requirements.lock" in (PROJECT_ROOT / "requirements-dev.in").read_text(encoding="utf-8")


def test_the_spacy_model_is_not_used_at_run_time() -> None:
    # Why it may leave the runtime lock: no code, config or training file names it.
    folders = ("bot", "actions", "common", "triage", "finnish_nlu", "service_catalogue", "scripts",
               "benchmarks", "data")
    suffixes = (".py", ".yml", ".yaml", ".sh")
    files = [p for d in folders for p in (PROJECT_ROOT / d).rglob("*") if p.suffix in suffixes]
    for path in [*PROJECT_ROOT.glob("*.yml"), *files]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "spacy_fi" not in text and "spacy-fi" not in text and "SpacyNLP" not in text, path


FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for .venv/bin/python: logs pip calls, answers the secrets generator.
if [ "$1" = "-c" ]; then echo "generated-secret-0123456789"; exit 0; fi
echo "$*" >> "$(dirname "$0")/../pip.log"
"""


def run_setup(root: Path, **env: str) -> list[str]:
    log = root / ".venv" / "pip.log"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=root, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k not in ("WITH_DEV", "WITH_BROWSER")}
        | {"DATA_DIR": str(root / "var"), **env},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_setup_installs_the_dev_lock_only_when_asked(tmp_path: Path) -> None:
    if shutil.which("dpkg-query") is None or subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", "libvoikko1", "voikko-fi"], capture_output=True, text=True
    ).stdout.count("install ok installed") < 2:
        import pytest

        pytest.skip("setup.sh wants the Debian packages libvoikko1 and voikko-fi, not installed here")
    (tmp_path / "scripts").mkdir()
    for name in ("scripts/setup.sh", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)

    # make run on a fresh machine: the runtime lock only.
    calls = run_setup(tmp_path)
    assert [c for c in calls if "-r" in c] == ["-m pip install -q -r requirements.lock"]
    assert run_setup(tmp_path) == []  # up to date: nothing installed again
    # make setup-test: the tools too, once.
    calls = run_setup(tmp_path, WITH_BROWSER="0", WITH_DEV="1")
    assert calls == ["-m pip install -q -r requirements.lock -r requirements-dev.lock"]
    assert run_setup(tmp_path, WITH_DEV="1") == []
    # A changed dev lock reinstalls the tools only; a changed runtime lock reinstalls both.
    with (tmp_path / "requirements-dev.lock").open("a", encoding="utf-8") as lock:
        lock.write("# changed\n")
    assert run_setup(tmp_path, WITH_DEV="1") == [
        "-m pip install -q -r requirements.lock -r requirements-dev.lock"
    ]
    with (tmp_path / "requirements.lock").open("a", encoding="utf-8") as lock:
        lock.write("# changed\n")
    calls = run_setup(tmp_path, WITH_DEV="1")
    assert calls[-2:] == ["-m pip install -q -r requirements.lock",
                          "-m pip install -q -r requirements.lock -r requirements-dev.lock"]
