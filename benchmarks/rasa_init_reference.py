"""The reference of the load benchmark: a plain Rasa 3.6 ``rasa init`` assistant on the same machine.

The machines are shared and noisy, so a figure alone says little; the issue's targets are ratios against
this reference measured in the same run. It is what ``rasa init --no-prompt`` makes (moodbot: its own
config with DIET and TED, in-memory tracker and lock stores) served by ``rasa run`` with its REST channel,
one process, the same closed-loop load. The project and model are built once into
``results/load_reference/`` (a few minutes of training) and reused while the Rasa version stays the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv" / "bin" / "rasa"
REFERENCE_DIR = ROOT / "results" / "load_reference"
READY_TIMEOUT_S = 300


def _rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


def reference_project() -> Path:
    """``rasa init``'s project with its trained model, made once per Rasa version."""
    project = REFERENCE_DIR / f"rasa-init-{_rasa_version()}"
    if list((project / "models").glob("*.tar.gz")):
        return project
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    print(f"[reference] rasa init into {project} (trains moodbot once, a few minutes)", flush=True)
    subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(project)], cwd=project,
                   env=_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return project


def _env() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


@dataclass
class ReferenceServer:
    process: subprocess.Popen[bytes]
    base_url: str
    cold_start_s: float

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    def stop(self) -> None:
        from tests.system.running_system import stop_process_group

        stop_process_group(self.process)


def start_reference(port: int, log_path: Path) -> ReferenceServer:
    project = reference_project()
    started = time.perf_counter()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [str(RASA), "run", "--model", str(project / "models"), "--interface", "127.0.0.1",
             "--port", str(port), "--credentials", str(project / "credentials.yml")],
            cwd=project, env=_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = ReferenceServer(process, f"http://127.0.0.1:{port}", 0.0)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"rasa init's server exited with {process.returncode}; see {log_path}")
        try:
            replies = httpx.post(server.webhook_url, json={"sender": "warm-up", "message": "hello"},
                                 timeout=10).json()
            if replies:
                server.cold_start_s = time.perf_counter() - started
                return server
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    server.stop()
    raise TimeoutError(f"rasa init's server was not ready in {READY_TIMEOUT_S} s; see {log_path}")
