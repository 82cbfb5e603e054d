"""Starts the whole system: action server, Rasa server(s) and gateway, with their logs in one place.

Each process writes to DATA_DIR/logs/<name>.log and the lines are echoed here with a prefix. Ctrl-C
(or SIGTERM) stops all of them. If the action server or the gateway dies, the others are stopped too, so
a half-running system never looks healthy. With several Rasa processes a dead one is started again (as
Kubernetes would): meanwhile the gateway sends its conversations to the others (bot.rasa_client).

Environment: GATEWAY_HOST (127.0.0.1), GATEWAY_PORT (8000), RASA_PORT (5005), ACTION_PORT (5055),
DATA_DIR (var), DATABASE_URL (empty: SQLite files under DATA_DIR), MODEL (models/assistant.tar.gz).
Scale-out (docs/deployment.md): RASA_REPLICAS (1) Rasa processes on RASA_PORTS (a comma-separated list;
default RASA_PORT, RASA_PORT+1, ...), GATEWAY_WORKERS (1) uvicorn workers, REDIS_URL (empty: in-memory
lock store and rate limits, right for one process each) with REDIS_KEY_PREFIX. More than one Rasa process
or gateway worker needs REDIS_URL, and more than one Rasa process needs a PostgreSQL DATABASE_URL.
TICKET_LOCK_LIFETIME (Rasa's own, 15 here instead of Rasa's 60 s): how long a conversation whose Rasa
process died mid-message waits before another process may take its lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
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


def lock_store_config(redis_url: str, key_prefix: str) -> str:
    """Rasa's lock store: Redis when configured (shared by the Rasa processes), else Rasa's in-memory one.

    The gateway already sends each conversation to one process; the shared lock still orders a
    conversation's messages while it fails over from a dying process to the next."""
    if not redis_url:
        return ""
    from redis.connection import parse_url

    url = parse_url(redis_url)
    return (
        "lock_store:\n  type: redis\n"
        f"  url: {url.get('host', '127.0.0.1')}\n  port: {url.get('port', 6379)}\n  db: {url.get('db', 0)}\n"
        # Rasa wants an alphanumeric prefix; the password stays in the environment like the others.
        f"  key_prefix: {''.join(c for c in key_prefix if c.isalnum()) or 'rasa'}\n"
        + ("  password: ${REDIS_PASSWORD}\n" if url.get("password") else "")
    )


def write_rasa_files(data_dir: Path, action_port: int, database_url: str, redis_url: str = "",
                     redis_key_prefix: str = "gateway") -> tuple[Path, Path]:
    endpoints = data_dir / "endpoints.yml"
    endpoints.write_text(
        # Secrets as ${VAR}: Rasa reads them from its environment, so they are not written here again.
        f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
        "  headers:\n    Authorization: Bearer ${ACTION_SERVER_SECRET}\n"
        # The domain (all responses, intents, slots) only to the actions that read it: the form's
        # validate_* action (Rasa's rule); ours read slots and the tracker, not the domain.
        "  enable_selective_domain: true\n"
        + tracker_store_config(database_url, data_dir)
        + lock_store_config(redis_url, redis_key_prefix),
        encoding="utf-8",
    )
    credentials = data_dir / "credentials.yml"
    # The gateway's channel only: no plain REST channel, and Rasa's HTTP API is not enabled.
    credentials.write_text("bot.rasa_channel.GatewayInput:\n  token: ${RASA_TOKEN}\n", encoding="utf-8")
    for path in (endpoints, credentials):
        path.chmod(0o600)
    return endpoints, credentials


def redis_password(redis_url: str) -> str:
    if not redis_url:
        return ""
    from redis.connection import parse_url

    return parse_url(redis_url).get("password") or ""


RESTART_DELAY_S = 2
DEFAULT_TICKET_LOCK_LIFETIME_S = 15


def rasa_ports_from(environ: Mapping[str, str]) -> list[int]:
    if environ.get("RASA_PORTS"):
        return [int(port) for port in environ["RASA_PORTS"].split(",") if port.strip()]
    first = int(environ.get("RASA_PORT", "5005"))
    return [first + index for index in range(int(environ.get("RASA_REPLICAS", "1")))]


def scale_out_problem(rasa_processes: int, gateway_workers: int, database_url: str, redis_url: str) -> str:
    """Why this scale-out cannot work safely, or ``""``."""
    if rasa_processes < 1 or gateway_workers < 1:
        return "RASA_REPLICAS and GATEWAY_WORKERS must be at least 1"
    if (rasa_processes > 1 or gateway_workers > 1) and not redis_url:
        # In-memory locks and rate limits are per process: two processes would each grant their own.
        return "several Rasa processes or gateway workers need REDIS_URL (shared lock store and rate limits)"
    if rasa_processes > 1 and not database_url.startswith("postgresql"):
        return "several Rasa processes need a PostgreSQL DATABASE_URL (one tracker store they all read)"
    return ""


class Supervisor:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.restartable: set[str] = set()
        self.stopping = threading.Event()

    def start(self, name: str, command: list[str], env: dict[str, str], restart: bool = False) -> None:
        """``restart``: a replica whose peers carry its work while it starts again, instead of a reason to
        stop the whole system."""
        self.commands[name] = (command, env)
        if restart:
            self.restartable.add(name)
        self._spawn(name)

    def _spawn(self, name: str) -> None:
        command, env = self.commands[name]
        log_path = self.log_dir / f"{name}.log"
        log = log_path.open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if name not in self.processes:
            threading.Thread(target=self._echo, args=(name, log_path), daemon=True).start()
        self.processes[name] = process
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
            for name, process in list(self.processes.items()):
                code = process.poll()
                if code is None:
                    continue
                if name in self.restartable:
                    print(f"[run] {name} exited with code {code}; starting it again", flush=True)
                    time.sleep(RESTART_DELAY_S)
                    if not self.stopping.is_set():
                        self._spawn(name)
                    continue
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
    rasa_ports = rasa_ports_from(os.environ)
    gateway_workers = int(os.environ.get("GATEWAY_WORKERS", "1"))
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
        "RASA_URL": ",".join(f"http://127.0.0.1:{port}" for port in rasa_ports),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
        "GATEWAY_INTERNAL_URL": f"http://127.0.0.1:{gateway_port}",
        "SANIC_HOST": "127.0.0.1",  # the action server is reached by Rasa only
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    if not all(env.get(key) for key in SECRET_KEYS):
        print(f"[run] secrets missing in {data_dir / 'secrets.env'}; run scripts/setup.sh", file=sys.stderr)
        return 2
    database_url, redis_url = env.get("DATABASE_URL", ""), env.get("REDIS_URL", "")
    problem = scale_out_problem(len(rasa_ports), gateway_workers, database_url, redis_url)
    if problem:
        print(f"[run] {problem}", file=sys.stderr)
        return 2
    endpoints, credentials = write_rasa_files(data_dir, action_port, database_url, redis_url,
                                              env.get("REDIS_KEY_PREFIX", "gateway"))
    # A lock held by a process that was killed is freed only when it expires: the next message of that
    # conversation waits that long on the process that took over. Longer than any message takes (the
    # gateway gives up after RASA_TIMEOUT_S, 10 s by default), far shorter than Rasa's default minute.
    env.setdefault("TICKET_LOCK_LIFETIME", str(DEFAULT_TICKET_LOCK_LIFETIME_S))
    env["TRACKER_DB_PASSWORD"] = tracker_password(database_url)
    env["REDIS_PASSWORD"] = redis_password(redis_url)

    supervisor = Supervisor(log_dir)
    # Explicit handlers: a shell that starts us in the background may have set SIGINT to "ignore".
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: supervisor.stopping.set())
    supervisor.start(
        "actions",
        [str(VENV_BIN / "python"), "-m", "actions.server", "--port", str(action_port)],
        env,
    )
    for index, port in enumerate(rasa_ports):
        rasa_command = [str(VENV_BIN / "rasa"), "run", "--model", str(model), "--interface", "127.0.0.1",
                        "--port", str(port), "--endpoints", str(endpoints), "--credentials", str(credentials)]
        name = "rasa" if len(rasa_ports) == 1 else f"rasa-{index}"
        supervisor.start(name, rasa_command, env, restart=len(rasa_ports) > 1)
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
            "--workers",
            str(gateway_workers),
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
