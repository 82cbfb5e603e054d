"""scripts/validate_manifests.py, the schema check `make test` runs over deploy/kubernetes, passes the real
manifests and fails on broken ones. It runs from the tools virtualenv .venv-fuzz (kubernetes-validate cannot
be installed beside Rasa 3.6); without it (make setup-fuzz) these tests are skipped, except in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "validate_manifests.py"
TOOLS_PYTHON = PROJECT_ROOT / ".venv-fuzz" / "bin" / "python"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  replicas: 2
  selector:
    matchLabels: {app: gateway}
  template:
    metadata:
      labels: {app: gateway}
    spec:
      containers:
        - name: gateway
          image: registry.example/gateway:1
          readinessProbe:
            httpGet: {path: /health/ready, port: 8000}
"""


def _tools_python() -> Path:
    found = TOOLS_PYTHON.exists() and subprocess.run(
        [str(TOOLS_PYTHON), "-c", "import kubernetes_validate"], capture_output=True, timeout=120
    ).returncode == 0
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{TOOLS_PYTHON} has no kubernetes-validate (make setup-fuzz)")
        pytest.skip(f"{TOOLS_PYTHON} has no kubernetes-validate: run make setup-fuzz")
    return TOOLS_PYTHON


def validate(*directories: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(_tools_python()), str(SCRIPT), *map(str, directories)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_manifests_are_valid() -> None:
    result = validate(PROJECT_ROOT / "deploy" / "kubernetes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "strict: ok" in result.stdout


def test_run_by_the_projects_interpreter_it_runs_itself_in_the_tools_venv() -> None:
    import sys

    _tools_python()
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr  # as `make test` runs it
    assert "strict: ok" in result.stdout


def test_a_well_formed_manifest_passes(tmp_path: Path) -> None:
    (tmp_path / "gateway.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    result = validate(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (DEPLOYMENT.replace("replicas: 2", "replicas: two"), "is not of type 'integer'"),
        (DEPLOYMENT.replace("readinessProbe", "readinesProbe"), "'readinesProbe' was unexpected"),
        (DEPLOYMENT.replace("apiVersion: apps/v1", "apiVersion: apps/v2"), "Deployment/gateway"),
        (DEPLOYMENT.replace("  selector:", "  selectorr:"), "'selector' is a required property"),
        (DEPLOYMENT + "  : [", "not YAML"),
    ],
    ids=["wrong-type", "misspelt-field", "unknown-api-version", "misspelt-required", "not-yaml"],
)
def test_a_broken_manifest_fails(tmp_path: Path, broken: str, message: str) -> None:
    (tmp_path / "gateway.yaml").write_text(broken, encoding="utf-8")
    result = validate(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr


def test_a_kustomization_that_misses_a_file_fails(tmp_path: Path) -> None:
    for name in ("gateway.yaml", "rasa.yaml", "kustomization.yaml"):
        shutil.copy(PROJECT_ROOT / "deploy" / "kubernetes" / name, tmp_path / name)
    result = validate(tmp_path)
    assert result.returncode == 1
    assert "lists actions.yaml, which does not exist" in result.stderr
