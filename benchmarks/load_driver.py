"""Closed-loop load on a REST chat webhook: the part of the load benchmark that both assistants get.

Each conversation is one thread that sends its next message as soon as the previous reply came, so the
load is N residents typing as fast as the assistant answers (the shape of the issue's measurement), not a
fixed arrival rate. The same driver and the same messages run against this assistant's gateway and
against the plain ``rasa init`` reference, so the figures differ only by the assistant.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, one per answered message
    errors: Counter[str] = field(default_factory=Counter)
    crossed: list[str] = field(default_factory=list)  # senders that got a reply addressed to someone else
    wall_s: float = 0.0
    replies: dict[str, list[list[dict]]] = field(default_factory=dict)  # sender -> replies per message

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall_s if self.wall_s else 0.0

    def summary(self) -> str:
        if not self.latencies:
            return f"no answered message; errors {dict(self.errors)}"
        return (f"p50 {self.percentile_ms(0.5):.0f} ms, p95 {self.percentile_ms(0.95):.0f} ms, "
                f"p99 {self.percentile_ms(0.99):.0f} ms, "
                f"mean {1000 * statistics.mean(self.latencies):.0f} ms; "
                f"{self.throughput:.1f} msg/s over {self.wall_s:.1f} s; errors {dict(self.errors) or 0}; "
                f"crossed replies {len(self.crossed)}")


def run_closed_loop(webhook_url: str, scripts: dict[str, list[str]], metadata: dict | None = None,
                    timeout_s: float = 60.0) -> LoadResult:
    """All conversations in parallel, each message after the previous reply; a reply must name its sender."""
    result = LoadResult()
    lock = threading.Lock()

    def converse(sender: str, messages: list[str]) -> None:
        answered: list[list[dict]] = []
        with httpx.Client(timeout=timeout_s) as client:
            for message in messages:
                body = {"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})}
                began = time.perf_counter()
                try:
                    response = client.post(webhook_url, json=body)
                except httpx.HTTPError as error:
                    with lock:
                        result.errors[type(error).__name__] += 1
                    continue
                elapsed = time.perf_counter() - began
                replies = response.json() if response.status_code == 200 else []
                answered.append(replies)
                with lock:
                    result.latencies.append(elapsed)
                    if response.status_code != 200:
                        result.errors[str(response.status_code)] += 1
                    result.crossed.extend(
                        sender for r in replies if r.get("recipient_id") not in (sender, None))
        with lock:
            result.replies[sender] = answered

    threads = [threading.Thread(target=converse, args=item) for item in scripts.items()]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_s = time.perf_counter() - started
    return result


def process_family(root: int) -> set[int]:
    """The process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {root}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in family} - family
        family |= children
        grew = bool(children)
    return family


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def role_of(command: str) -> str:
    if "rasa" in command and " run" in command:
        return "rasa"
    if "actions" in command:
        return "actions"
    if "uvicorn" in command or "bot.main" in command or "multiprocessing" in command:
        return "gateway"  # uvicorn's --workers are multiprocessing children of the gateway's process
    return "launcher"


def peak_memory_mb(root: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) per role, summed over the process family of ``root``."""
    peaks: Counter[str] = Counter()
    for pid in process_family(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        hwm = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")), "0")
        peaks[role_of(command_line(pid))] += int(hwm) / 1024
    return dict(peaks)
