"""The container files (deploy/*.Dockerfile, .dockerignore) without a Docker daemon: every COPY source exists
in the repository (or is what `make train` builds) and survives .dockerignore, each image runs as a non-root
user with a HEALTHCHECK, installs the runtime lock only, carries Voikko, exposes the port and runs the
command the Kubernetes manifest runs, and holds every project module its process imports."""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
# Built by `make train` (scripts/train_if_changed.sh) before `docker build`; ignored by git.
BUILD_ARTEFACTS = {"models/assistant.tar.gz", "models/triage/"}
UNITS = {  # image -> (Kubernetes kind, name, port)
    "gateway": ("Deployment", "gateway", 8000),
    "rasa": ("StatefulSet", "rasa", 5005),
    "actions": ("Deployment", "actions", 5055),
}
# What each process imports at start (as scripts/run_system.py starts it): the model's graph components and
# the channel for Rasa, the action modules for the action server, the app for the gateway.
ENTRY_MODULES = {
    "gateway": ["bot.main"],
    "rasa": ["finnish_nlu.components", "triage.rasa_policy", "bot.rasa_channel"],
    "actions": ["actions.server", "actions.answers", "actions.handoff", "actions.risk", "actions.feedback"],
}


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    result, current = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        keyword, _, arguments = current.strip().partition(" ")
        result.append((keyword.upper(), arguments.strip()))
        current = ""
    assert not current, f"{path}: a continuation line at the end"
    return result


def final_stage(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    return steps[starts[-1]:]


def copy_sources(arguments: str) -> list[str]:
    words = [w for w in shlex.split(arguments) if not w.startswith("--")]
    return words[:-1]


def dockerignore_allows(relative: str) -> bool:
    """Docker's rule: the last matching pattern wins; ``!`` re-includes. Enough for our file's patterns."""
    allowed = True
    for line in (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        candidates = [relative.rstrip("/")]
        parts = relative.rstrip("/").split("/")
        candidates += ["/".join(parts[:i]) for i in range(1, len(parts))]  # a folder above it
        if pattern.startswith("**/"):
            hit = any(fnmatch.fnmatch(part, pattern[3:]) for part in parts)
        else:
            hit = any(fnmatch.fnmatch(c, pattern) for c in candidates)
        if hit:
            allowed = negate
    return allowed


def manifest_container(kind: str, name: str) -> dict:
    for path in (DEPLOY / "kubernetes").glob("*.yaml"):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document and document["kind"] == kind and document["metadata"]["name"] == name:
                return document["spec"]["template"]["spec"]["containers"][0]
    raise AssertionError(f"no {kind}/{name}")


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_copy_sources_exist_and_reach_the_build_context(unit: str) -> None:
    steps = instructions(DEPLOY / f"{unit}.Dockerfile")
    sources = [s for keyword, args in steps if keyword == "COPY" and "--from=" not in args
               for s in copy_sources(args)]
    assert sources
    for source in sources:
        if source in BUILD_ARTEFACTS:
            continue
        assert (PROJECT_ROOT / source).exists(), f"{unit}: COPY {source} does not exist"
        assert dockerignore_allows(source), f"{unit}: .dockerignore leaves {source} out of the context"
    for artefact in BUILD_ARTEFACTS & set(sources):
        assert dockerignore_allows(artefact)


def test_the_build_context_keeps_secrets_and_tools_out() -> None:
    for path in ("var/secrets.env", ".venv/bin/python", "node_modules/axe-core", "tests/conftest.py", ".git",
                 "requirements-dev.lock", "results/stories", "bot/__pycache__/main.cpython-310.pyc"):
        assert not dockerignore_allows(path), path
    assert dockerignore_allows("bot/main.py") and dockerignore_allows("data/nlu/topics.yml")
    assert not dockerignore_allows("data/stories/self_service.yml")


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_the_image_runs_as_non_root_with_a_health_check_and_voikko(unit: str) -> None:
    steps = instructions(DEPLOY / f"{unit}.Dockerfile")
    final = final_stage(steps)
    assert final[0][1] == "${PYTHON_IMAGE}"
    assert ("ARG", "PYTHON_IMAGE=python:3.10-slim-bookworm") in steps
    users = [args for keyword, args in final if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert [keyword for keyword, _ in final].count("HEALTHCHECK") == 1
    runs = " ".join(args for keyword, args in steps if keyword == "RUN")
    assert "libvoikko1" in runs and "voikko-fi" in runs
    # The runtime lock only: no pytest, ruff, Playwright (requirements-dev.lock) in an image.
    assert "-r /tmp/requirements.lock" in runs and "requirements-dev" not in runs
    assert ("EXPOSE", str(UNITS[unit][2])) in final


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_the_image_command_is_the_manifests(unit: str) -> None:
    kind, name, port = UNITS[unit]
    final = final_stage(instructions(DEPLOY / f"{unit}.Dockerfile"))
    (cmd,) = [json.loads(args) for keyword, args in final if keyword == "CMD"]
    item = manifest_container(kind, name)
    assert item["args"] == cmd
    assert [p["containerPort"] for p in item["ports"]] == [port]
    assert str(port) in cmd


def _project_modules(modules: list[str]) -> list[str]:
    code = (
        "import json, sys; from pathlib import Path; root = Path.cwd().resolve()\n"
        f"for m in {modules!r}: __import__(m)\n"
        "files = set()\n"
        "for module in list(sys.modules.values()):\n"
        "    f = getattr(module, '__file__', None)\n"
        "    if f and Path(f).resolve().is_relative_to(root) and '.venv' not in Path(f).parts:\n"
        "        files.add(str(Path(f).resolve().relative_to(root)))\n"
        "print(json.dumps(sorted(files)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_the_image_holds_every_project_module_its_process_imports(unit: str) -> None:
    steps = instructions(DEPLOY / f"{unit}.Dockerfile")
    copied = [s.rstrip("/") for keyword, args in steps if keyword == "COPY" and "--from=" not in args
              for s in copy_sources(args)]
    for module_file in _project_modules(ENTRY_MODULES[unit]):
        assert any(module_file == c or module_file.startswith(c + "/") for c in copied), (
            f"{unit} imports {module_file}, which its Dockerfile does not copy"
        )
    if unit == "actions":
        assert not any(c == "bot" or c.startswith("bot/") for c in copied)  # never the gateway package
