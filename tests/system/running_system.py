"""Starting the real system (action server, Rasa, gateway) for end-to-end and browser tests."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.catalogue_copy import ALWAYS_OPEN, catalogue_copy

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "assistant.tar.gz"
READY_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningSystem:
    base_url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    live_secrets: dict[str, str] = field(default_factory=dict)  # conversation id -> its live-chat secret
    rasa_ports: list[int] = field(default_factory=list)

    def rasa_process(self, index: int) -> int:
        """The pid of the Rasa process on ``rasa_ports[index]`` (started again by the launcher if killed)."""
        wanted = f"--port {self.rasa_ports[index]} "
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if " run --model " in command and wanted in command and "rasa" in command:
                return int(cmdline.parent.name)
        raise LookupError(f"no Rasa process on port {self.rasa_ports[index]}")

    def new_conversation(self) -> str:
        """A conversation id issued by the gateway, as the widget gets one before its first message."""
        response = httpx.post(f"{self.base_url}/api/conversations", timeout=30)
        response.raise_for_status()
        issued = response.json()
        self.live_secrets[issued["conversation_id"]] = issued["live_secret"]
        return issued["conversation_id"]

    def live(self, conversation: str) -> dict:
        """The resident's view of the live chat, as the widget polls it (with the conversation's secret)."""
        response = httpx.get(f"{self.base_url}/api/chat/{conversation}/live",
                             headers={"X-Live-Secret": self.live_secrets[conversation]}, timeout=30)
        response.raise_for_status()
        return response.json()

    def chat(self, sender: str, message: str, lang: str = "fi") -> list[dict]:
        response = httpx.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": {"lang": lang}},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def create_worker(self, username: str, password: str, role: str = "worker") -> None:
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "create-user", username, "--role", role],
            cwd=ROOT,
            env={**self.env, "NEW_USER_PASSWORD": password},
            check=True,
            capture_output=True,
        )

    def set_duty(self, token: str, on_duty: bool) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        response = httpx.post(f"{self.base_url}/api/duty", json={"on_duty": on_duty}, headers=headers)
        response.raise_for_status()

    def worker_token(self, username: str, password: str) -> str:
        response = httpx.post(
            f"{self.base_url}/api/auth/token", data={"username": username, "password": password}
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def logs(self) -> str:
        parts = []
        for log in sorted((self.data_dir / "logs").glob("*.log")):
            parts.append(f"--- {log.name} ---\n" + log.read_text(errors="replace")[-4000:])
        return "\n".join(parts)


def start_system(data_dir: Path, database_url: str | None = None, *, rasa_replicas: int = 1,
                 gateway_workers: int = 1, redis_url: str | None = None,
                 settings: dict[str, str] | None = None) -> RunningSystem:
    """The whole system on free ports. Its catalogue is the real one with service hours around the clock,
    so the live chat with an on-duty worker can be tested whatever the hour the tests run at. The database
    is the embedded SQLite default unless ``database_url`` names a PostgreSQL one (gateway and tracker).
    Scaled out: ``rasa_replicas`` Rasa processes and ``gateway_workers`` uvicorn workers, sharing locks and
    rate limits in ``redis_url`` under a prefix of their own (scripts/run_system.py). ``settings``: more
    environment for the processes (e.g. ``RASA_TIMEOUT_S``)."""
    if not MODEL.exists():
        raise FileNotFoundError(f"no trained model at {MODEL}: run `make train` first")
    data_dir.mkdir(parents=True, exist_ok=True)
    catalogue_dir = catalogue_copy(data_dir, ALWAYS_OPEN)
    keys = ("JWT_SECRET", "ACTION_SERVICE_TOKEN", "RASA_TOKEN", "ACTION_SERVER_SECRET", "CONVERSATION_KEY")
    (data_dir / "secrets.env").write_text("".join(f"{key}={secrets.token_urlsafe(32)}\n" for key in keys))
    (data_dir / "secrets.env").chmod(0o600)  # as scripts/setup.sh leaves it
    ports = {"GATEWAY_PORT": free_port(), "ACTION_PORT": free_port()}
    rasa_ports = [free_port() for _ in range(rasa_replicas)]
    secrets_env = dict(line.split("=", 1) for line in (data_dir / "secrets.env").read_text().splitlines())
    env = {
        **os.environ,
        **{key: str(value) for key, value in ports.items()},
        **secrets_env,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url or f"sqlite:///{data_dir / 'assistant.sqlite3'}",
        "CATALOGUE_DIR": str(catalogue_dir),
        "SERVE_TEST_ASSETS": "1",
        "RATE_LIMIT_PER_CLIENT": "1000",
        "RASA_PORTS": ",".join(map(str, rasa_ports)),
        "GATEWAY_WORKERS": str(gateway_workers),
        "REDIS_URL": redis_url or "",
        "REDIS_KEY_PREFIX": f"test{secrets.token_hex(4)}",
        **(settings or {}),
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "run_system.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    system = RunningSystem(f"http://127.0.0.1:{ports['GATEWAY_PORT']}", data_dir, env, process,
                           rasa_ports=rasa_ports)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the system exited with {process.returncode}\n{system.logs()}")
        try:
            if httpx.get(f"{system.base_url}/health/ready", timeout=3).status_code == 200:
                return system
        except httpx.HTTPError:
            pass
        time.sleep(2)
    stop_system(system)
    raise TimeoutError(f"the system was not ready in {READY_TIMEOUT_S} s\n{system.logs()}")


def stop_system(system: RunningSystem) -> None:
    stop_process_group(system.process)


def stop_process_group(process: subprocess.Popen[bytes], grace_s: float = 30) -> None:
    """SIGTERM to the process and its children, SIGKILL after ``grace_s``."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
