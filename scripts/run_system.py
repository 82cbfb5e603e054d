"""Starts the whole system: action server, Rasa server and gateway, with their logs in one place.

Each process writes to DATA_DIR/logs/<name>.log and the lines are echoed here with a prefix. Ctrl-C
(or SIGTERM) stops all three; if one of them dies, the others are stopped too, so a half-running
system never looks healthy.

Environment: GATEWAY_HOST (127.0.0.1), GATEWAY_PORT (8000), RASA_PORT (5005), ACTION_PORT (5055),
DATA_DIR (var), DATABASE_URL (empty: SQLite files under DATA_DIR), MODEL (models/assistant.tar.gz).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
STOP_GRACE_S = 10


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.startswith("#"):
                values[key.strip()] = value.strip()
    return values


def tracker_store_config(database_url: str, data_dir: Path) -> str:
    """Rasa's tracker store in the same database as the gateway (SQLite file by default)."""
    if database_url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        url = make_url(database_url)
        return (
            "tracker_store:\n  type: SQL\n  dialect: postgresql\n"
            f"  url: {url.host or '127.0.0.1'}\n  port: {url.port or 5432}\n"
            # The password stays in Rasa's environment (TRACKER_DB_PASSWORD), never in the file.
            f"  db: {url.database}\n  username: {url.username or ''}\n  password: ${{TRACKER_DB_PASSWORD}}\n"
        )
    return f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {data_dir / 'rasa_tracker.sqlite3'}\n"


def tracker_password(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        return ""
    from sqlalchemy.engine import make_url

    return make_url(database_url).password or ""


SECRET_KEYS = ("JWT_SECRET", "ACTION_SERVICE_TOKEN", "RASA_TOKEN", "ACTION_SERVER_SECRET")


def write_rasa_files(data_dir: Path, action_port: int, database_url: str) -> tuple[Path, Path]:
    endpoints = data_dir / "endpoints.yml"
    endpoints.write_text(
        # Secrets as ${VAR}: Rasa reads them from its environment, so they are not written here again.
        f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
        "  headers:\n    Authorization: Bearer ${ACTION_SERVER_SECRET}\n"
        + tracker_store_config(database_url, data_dir),
        encoding="utf-8",
    )
    credentials = data_dir / "credentials.yml"
    # The gateway's channel only: no plain REST channel, and Rasa's HTTP API is not enabled.
    credentials.write_text("bot.rasa_channel.GatewayInput:\n  token: ${RASA_TOKEN}\n", encoding="utf-8")
    for path in (endpoints, credentials):
        path.chmod(0o600)
    return endpoints, credentials


class Supervisor:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log_path = self.log_dir / f"{name}.log"
        log = log_path.open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        threading.Thread(target=self._echo, args=(name, log_path), daemon=True).start()
        print(f"[run] started {name} (pid {process.pid}), log {log_path}", flush=True)

    def _echo(self, name: str, log_path: Path) -> None:
        with log_path.open("r", encoding="utf-8", errors="replace") as log:
            log.seek(0, os.SEEK_END)
            while not self.stopping.is_set():
                line = log.readline()
                if line:
                    print(f"[{name}] {line}", end="", flush=True)
                else:
                    time.sleep(0.2)

    def watch(self) -> int:
        while not self.stopping.is_set():
            for name, process in self.processes.items():
                code = process.poll()
                if code is not None:
                    print(f"[run] {name} exited with code {code}; stopping the others", flush=True)
                    self.stop()
                    return code or 1
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        print("[run] all processes stopped", flush=True)


def main() -> int:
    # Transcripts, trackers, call-back numbers and logs are personal data: every file this process and its
    # children create is the service user's alone (databases and logs 600, folders 700).
    os.umask(0o077)
    data_dir = Path(os.environ.get("DATA_DIR", ROOT / "var")).resolve()
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    for folder in (data_dir, log_dir):
        folder.chmod(0o700)
    gateway_host = os.environ.get("GATEWAY_HOST", "127.0.0.1")
    gateway_port = int(os.environ.get("GATEWAY_PORT", "8000"))
    rasa_port = int(os.environ.get("RASA_PORT", "5005"))
    action_port = int(os.environ.get("ACTION_PORT", "5055"))
    model = Path(os.environ.get("MODEL", ROOT / "models" / "assistant.tar.gz"))
    if not model.exists():
        print(f"[run] no trained model at {model}; run scripts/train_if_changed.sh first", file=sys.stderr)
        return 2

    env = {
        **os.environ,
        **read_env_file(data_dir / "secrets.env"),
        "DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
        "GATEWAY_INTERNAL_URL": f"http://127.0.0.1:{gateway_port}",
        "SANIC_HOST": "127.0.0.1",  # the action server is reached by Rasa only
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    if not all(env.get(key) for key in SECRET_KEYS):
        print(f"[run] secrets missing in {data_dir / 'secrets.env'}; run scripts/setup.sh", file=sys.stderr)
        return 2
    endpoints, credentials = write_rasa_files(data_dir, action_port, env.get("DATABASE_URL", ""))
    env["TRACKER_DB_PASSWORD"] = tracker_password(env.get("DATABASE_URL", ""))

    supervisor = Supervisor(log_dir)
    # Explicit handlers: a shell that starts us in the background may have set SIGINT to "ignore".
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: supervisor.stopping.set())
    supervisor.start(
        "actions",
        [str(VENV_BIN / "python"), "-m", "actions.server", "--port", str(action_port)],
        env,
    )
    supervisor.start(
        "rasa",
        [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(model),
            "--interface",
            "127.0.0.1",
            "--port",
            str(rasa_port),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
        ],
        env,
    )
    supervisor.start(
        "gateway",
        [
            str(VENV_BIN / "uvicorn"),
            "bot.main:create_app",
            "--factory",
            "--host",
            gateway_host,
            # X-Forwarded-For is believed only from TRUSTED_PROXIES (bot.main), not from any local process.
            "--no-proxy-headers",
            "--port",
            str(gateway_port),
        ],
        env,
    )
    print(
        f"[run] chat: http://{gateway_host}:{gateway_port}/   inbox: http://{gateway_host}:{gateway_port}/inbox/"
        "   (Rasa takes about a minute to load; Ctrl-C stops everything)",
        flush=True,
    )
    try:
        code = supervisor.watch()
    except KeyboardInterrupt:
        code = 0
    if not all(p.poll() is not None for p in supervisor.processes.values()):
        supervisor.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
