"""Where the time goes under load: py-spy samples of every process of the running system.

py-spy attaches to a running process from outside (no code change, no restart, so the profile is of the
system as residents meet it) and samples its Python stacks. The load benchmark starts one recorder per
process before the load and stops it after; the collapsed stacks are written to ``--profile DIR`` (open
them in speedscope or flamegraph.pl) and summed here into inclusive time per function.

py-spy is a development tool, not a dependency of the product: requirements-dev.lock puts it in .venv
(``make setup-test``); elsewhere put it on PATH or point ``PY_SPY`` at it. Attaching needs ptrace rights
over the processes (same user; in a container, CAP_SYS_PTRACE).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# Frames that are in (almost) every stack of their process say nothing about where the time goes.
WRAPPERS = ("threading.py", "asyncio/", "concurrent/futures", "sanic/", "uvicorn/", "starlette/", "anyio/",
            "runpy.py", "<module>")


def py_spy() -> str | None:
    beside_python = Path(sys.executable).parent / "py-spy"  # requirements-dev.lock installs it in .venv
    found = os.environ.get("PY_SPY") or shutil.which("py-spy")
    return found or (str(beside_python) if beside_python.exists() else None)


@dataclass
class Recorder:
    role: str
    pid: int
    output: Path
    process: subprocess.Popen[bytes]


def start_recorders(pids: dict[int, str], out_dir: Path, rate_hz: int = 50) -> list[Recorder]:
    tool = py_spy()
    if tool is None:
        raise RuntimeError("--profile needs py-spy on PATH (pip install py-spy) or PY_SPY=/path/to/py-spy")
    out_dir.mkdir(parents=True, exist_ok=True)
    recorders = []
    for pid, role in pids.items():
        output = out_dir / f"{role}-{pid}.collapsed.txt"
        process = subprocess.Popen(
            [tool, "record", "--pid", str(pid), "--rate", str(rate_hz), "--format", "raw",
             "--output", str(output), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        recorders.append(Recorder(role, pid, output, process))
    return recorders


def stop_recorders(recorders: list[Recorder]) -> None:
    for recorder in recorders:
        recorder.process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    for recorder in recorders:
        try:
            recorder.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            recorder.process.kill()


def inclusive_shares(collapsed: Path) -> tuple[int, Counter[str]]:
    """Samples in all, and per function (``file:function``) the samples whose stack passes through it."""
    total, inclusive = 0, Counter()
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        seen = set()
        for frame in stack.split(";"):
            name = _frame_name(frame)
            if name and name not in seen:
                seen.add(name)
                inclusive[name] += samples
    return total, inclusive


def _frame_name(frame: str) -> str | None:
    # py-spy's raw frames: "function (path/to/file.py:line)"
    function, _, location = frame.partition(" (")
    path = location.rsplit(":", 1)[0]
    if any(wrapper in path or wrapper == function for wrapper in WRAPPERS):
        return None
    short = path.split("site-packages/", 1)[-1]
    for root in ("bot/", "actions/", "triage/", "finnish_nlu/", "service_catalogue/", "common/"):
        if f"/{root}" in short:
            short = root + short.split(f"/{root}", 1)[1]
    return f"{short}:{function}"


def report(recorders: list[Recorder], top: int = 14) -> str:
    lines = []
    for recorder in recorders:
        if not recorder.output.exists():
            lines.append(f"{recorder.role} (pid {recorder.pid}): no profile written")
            continue
        total, inclusive = inclusive_shares(recorder.output)
        lines.append(f"{recorder.role} (pid {recorder.pid}): {total} busy samples, {recorder.output}")
        shown = [(name, n) for name, n in inclusive.most_common() if n < 0.97 * total][:top]
        lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in shown]
    return "\n".join(lines)
