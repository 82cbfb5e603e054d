"""Load benchmark: many residents at once through the gateway of the whole running system.

    .venv/bin/python -m benchmarks.load_benchmark                      # 20 conversations x 9 messages
    .venv/bin/python -m benchmarks.load_benchmark --conversations 40 --turns 5

Starts the system as the tests do (gateway, Rasa, action server, embedded SQLite, free ports; the same
``tests.system.running_system`` helper) and times the start to the first answer. Then N closed-loop
conversations run in parallel, each sending its next message as soon as the previous reply came:
ordinary questions from the blind routing sets, a follow-up detail ("asun Vantaalla"), thanks, and in one
conversation in five an acute message from a blind risk set, which must create exactly one case.

Printed: p50/p95/p99 latency per message, sustained messages per second, errors, peak memory per process
(VmHWM from /proc), and the correctness checks: every reply addressed to its own conversation, one case per
acute conversation, none for the others, every resident message in the transcript.

Not yet here (issue #12): the same load on a plain ``rasa init`` assistant in the same run, for the ratios;
profiles of where the time goes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent

FOLLOW_UPS = ["asun Vantaalla", "entä Keravalla?", "kiitos", "ok, entä jos olen opiskelija"]
WORKER, PASSWORD = "load-worker", "kuormitus-salasana-123"


def _questions() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "routing_eval").glob("blind_*.yml")):
        texts += [q["text"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    return texts


def _acute_messages() -> list[str]:
    """First messages of acute single-turn conversations in the blind risk sets."""
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "risk_eval").glob("blind_round*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            turns = item.get("turns") or []
            if item.get("kind") == "acute" and len(turns) == 1 and isinstance(turns[0], str):
                texts.append(turns[0])
    return texts


def _script(rng: random.Random, questions: list[str], acute: list[str], turns: int, risky: bool) -> list[str]:
    messages = []
    while len(messages) < turns:
        messages.append(rng.choice(questions))
        if len(messages) < turns:
            messages.append(rng.choice(FOLLOW_UPS))
    if risky and acute:
        messages[rng.randrange(1, turns)] = rng.choice(acute)
    return messages


def _peak_memory_mb(root: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) of the system's processes: the launcher and all its descendants."""
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
    peaks: Counter[str] = Counter()
    for pid in family:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        hwm = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")), "0")
        name = ("rasa" if "rasa" in cmd and " run" in cmd else "actions" if "actions" in cmd
                else "gateway" if "uvicorn" in cmd or "bot.main" in cmd else "launcher")
        peaks[name] += int(hwm) / 1024
    return dict(peaks)


def run(conversations: int, turns: int, seed: int) -> None:
    from tests.system.running_system import start_system, stop_system

    rng = random.Random(seed)
    questions, acute = _questions(), _acute_messages()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        system = start_system(Path(tmp) / "data")
        first = system.chat("load-warmup", "mistä saan kelakortin")
        cold_start = time.perf_counter() - started
        try:
            system.create_worker(WORKER, PASSWORD)
            token = system.worker_token(WORKER, PASSWORD)
            # Ids issued by the gateway, as the widget gets them (made-up ids are refused).
            scripts = {system.new_conversation(): _script(rng, questions, acute, turns, risky=i % 5 == 0)
                       for i in range(conversations)}
            latencies: list[float] = []
            errors: Counter[str] = Counter()
            crossed: list[str] = []
            lock = threading.Lock()

            def converse(sender: str, messages: list[str]) -> None:
                with httpx.Client(timeout=60) as client:
                    for message in messages:
                        began = time.perf_counter()
                        try:
                            response = client.post(f"{system.base_url}/webhooks/rest/webhook",
                                                   json={"sender": sender, "message": message})
                            elapsed = time.perf_counter() - began
                            replies = response.json() if response.status_code == 200 else []
                        except httpx.HTTPError as error:
                            with lock:
                                errors[type(error).__name__] += 1
                            continue
                        with lock:
                            latencies.append(elapsed)
                            if response.status_code != 200:
                                errors[str(response.status_code)] += 1
                            crossed.extend(sender for r in replies
                                           if r.get("recipient_id") not in (sender, None))

            threads = [threading.Thread(target=converse, args=item) for item in scripts.items()]
            load_started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - load_started

            headers = {"Authorization": f"Bearer {token}"}
            cases = Counter()
            for sender in scripts:
                listed = httpx.get(f"{system.base_url}/api/handoffs", params={"conversation_id": sender},
                                   headers=headers).json()
                cases[sender] = len([c for c in listed if c["urgency"] == "acute"])
            risky = {s for s, messages in scripts.items() if any(m in acute for m in messages)}
            memory = _peak_memory_mb(system.process.pid)
        finally:
            stop_system(system)

    ordered = sorted(latencies)
    pct = lambda q: 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    print(f"{conversations} concurrent conversations x {turns} messages, seed {seed}")
    print(f"cold start (command to first answer): {cold_start:.1f} s (first reply: {len(first)} messages)")
    print(f"latency per message: p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms, "
          f"mean {1000 * statistics.mean(ordered):.0f} ms")
    print(f"throughput: {len(latencies) / wall:.1f} msg/s over {wall:.1f} s; errors: {dict(errors) or 0}")
    print("peak memory (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(memory.items()))
          + f"; all {sum(memory.values()):.0f}")
    print(f"crossed replies: {len(crossed)}")
    wrong = {s: n for s, n in cases.items() if (s in risky and n != 1) or (s not in risky and n)}
    print(f"acute conversations {len(risky)}: one acute case each: {all(cases[s] == 1 for s in risky)}; "
          f"conversations with a wrong number of acute cases: {wrong or 'none'}")
    print("(an ordinary blind question may itself be screened as acute: such a conversation shows above)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    run(args.conversations, args.turns, args.seed)


if __name__ == "__main__":
    main()
