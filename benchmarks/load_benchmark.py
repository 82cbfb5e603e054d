"""Load benchmark: many residents at once through the gateway, side by side with plain ``rasa init``.

    .venv/bin/python -m benchmarks.load_benchmark                       # 20 conversations x 9 messages
    .venv/bin/python -m benchmarks.load_benchmark --rasa-replicas 2     # two Rasa processes
    .venv/bin/python -m benchmarks.load_benchmark --profile results/profile   # py-spy of every process
    .venv/bin/python -m benchmarks.load_benchmark --lengths 1 20 100 --no-reference

Starts the whole system as the tests do (gateway, Rasa, action server, embedded SQLite on free ports; the
``tests.system.running_system`` helper) and times the start to the first answer. Then N closed-loop
conversations run in parallel (``benchmarks.load_driver``): ordinary questions from the blind routing
sets, follow-ups ("asun Vantaalla", "kiitos"), and in one conversation in five an acute message from a
blind risk set, which must create exactly one case. In the same run the same load goes to a plain
``rasa init`` assistant (``benchmarks.rasa_init_reference``) and the ratios are printed: the machines are
shared, so only the ratio is comparable between runs.

Correctness under load: every reply addressed to its own conversation, one acute case per acute
conversation, every resident message stored in its own transcript exactly once. ``--lengths`` measures
the cost per message as one conversation grows (the issue's "flat in conversation length").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import yaml
from sqlalchemy import create_engine, func, select

from benchmarks import profiling
from benchmarks.load_driver import (
    LoadResult,
    command_line,
    peak_memory_mb,
    process_family,
    role_of,
    run_closed_loop,
)
from benchmarks.rasa_init_reference import start_reference

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

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


def _stored_resident_messages(database_url: str, senders: list[str]) -> Counter[str]:
    from bot.models import ConversationMessage

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(ConversationMessage.conversation_id, func.count())
            .where(ConversationMessage.role == "user", ConversationMessage.conversation_id.in_(senders))
            .group_by(ConversationMessage.conversation_id)).all()
    engine.dispose()
    return Counter(dict(rows))


def _system_pids(root: int) -> dict[int, str]:
    pids = {}
    for pid in process_family(root):
        role = role_of(command_line(pid))
        if role != "launcher" and "py-spy" not in command_line(pid):
            pids[pid] = role
    return pids


def _print_memory(label: str, memory: dict[str, float]) -> float:
    total = sum(memory.values())
    print(f"{label} peak memory (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(memory.items()))
          + f"; all {total:.0f}")
    return total


Scripts = dict[str, list[str]]


@contextmanager
def _started_system(args: argparse.Namespace, tmp: str, settings: dict[str, str] | None = None) -> Iterator:
    """The embedded default (SQLite, one process each), or scaled out on the loopback PostgreSQL and Redis."""
    from tests.system.running_system import start_system, stop_system

    scaled = args.rasa_replicas > 1 or args.gateway_workers > 1
    with ExitStack() as stack:
        database_url = None
        if scaled:
            from tests.postgres import fresh_database

            database_url = stack.enter_context(fresh_database("assistant_load"))
        system = start_system(Path(tmp) / "data", database_url, rasa_replicas=args.rasa_replicas,
                              gateway_workers=args.gateway_workers,
                              redis_url=REDIS_URL if scaled else None, settings=settings)
        try:
            yield system
        finally:
            stop_system(system)


def measure_assistant(args: argparse.Namespace,
                      scripts_for: Callable[[Callable[[], str]], Scripts]) -> tuple[LoadResult, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with _started_system(args, tmp) as system:
            system.chat(system.new_conversation(), "mistä saan kelakortin")
            cold_start = time.perf_counter() - started
            system.create_worker(WORKER, PASSWORD)
            token = system.worker_token(WORKER, PASSWORD)
            # Ids issued by the gateway, as the widget gets them (made-up ids are refused).
            scripts = scripts_for(system.new_conversation)
            recorders = []
            if args.profile:
                recorders = profiling.start_recorders(_system_pids(system.process.pid), Path(args.profile))
                time.sleep(1)  # py-spy attaches
            result = run_closed_loop(f"{system.base_url}/webhooks/rest/webhook", scripts)
            if recorders:
                profiling.stop_recorders(recorders)
                print(profiling.report(recorders))
            _check_correctness(system, token, scripts, result)
            memory = peak_memory_mb(system.process.pid)
    print(f"this assistant: cold start (command to first answer) {cold_start:.1f} s")
    total = _print_memory("this assistant", memory)
    return result, cold_start, total


def _check_correctness(system, token: str, scripts: dict[str, list[str]], result: LoadResult) -> None:
    acute = set(_acute_messages())
    headers = {"Authorization": f"Bearer {token}"}
    cases = Counter()
    for sender in scripts:
        listed = httpx.get(f"{system.base_url}/api/handoffs", params={"conversation_id": sender},
                           headers=headers, timeout=30).json()
        cases[sender] = len([c for c in listed if c["urgency"] == "acute"])
    risky = {s for s, messages in scripts.items() if any(m in acute for m in messages)}
    stored = _stored_resident_messages(system.env["DATABASE_URL"], list(scripts))
    lost = {s: (stored[s], len(m)) for s, m in scripts.items() if stored[s] != len(m)}
    print(f"crossed replies: {len(result.crossed)}; conversations whose transcript lacks or repeats a "
          f"message (stored, sent): {lost or 'none'}")
    missing = {s: n for s, n in cases.items() if s in risky and n != 1}
    extra = {s: n for s, n in cases.items() if s not in risky and n}
    print(f"acute conversations {len(risky)}; without exactly one acute case: {missing or 'none'}; "
          f"ordinary conversations with an acute case: {len(extra)} "
          "(an ordinary blind question may itself be screened acute)")


def measure_reference(scripts: dict[str, list[str]]) -> tuple[LoadResult, float, float]:
    from tests.system.running_system import free_port

    with tempfile.TemporaryDirectory() as tmp:
        server = start_reference(free_port(), Path(tmp) / "rasa-init.log")
        try:
            result = run_closed_loop(server.webhook_url, scripts)
            memory = peak_memory_mb(server.process.pid)
        finally:
            server.stop()
    print(f"rasa init: cold start (model trained) {server.cold_start_s:.1f} s")
    total = _print_memory("rasa init", memory)
    return result, server.cold_start_s, total


def measure_lengths(args: argparse.Namespace, questions: list[str]) -> None:
    """One conversation at a time, growing to the longest length: the cost of message k by k."""
    rng = random.Random(args.seed)
    longest = max(args.lengths)
    # One resident typing a hundred messages in a minute or two: past the per-conversation rate limit.
    unlimited = {"RATE_LIMIT_PER_CONVERSATION": "10000"}
    with tempfile.TemporaryDirectory() as tmp, _started_system(args, tmp, unlimited) as system:
        system.chat(system.new_conversation(), "mistä saan kelakortin")
        sender = system.new_conversation()
        messages = _script(rng, questions, [], longest, risky=False)
        result = run_closed_loop(f"{system.base_url}/webhooks/rest/webhook", {sender: messages})
    # Latencies are in message order (one conversation). Median of a window around each length.
    latencies = result.latencies
    for length in sorted(args.lengths):
        window = latencies[max(0, length - 5): length]
        print(f"conversation length {length:4d}: median of messages {max(1, length - 4)}-{length}: "
              f"{1000 * statistics.median(window):.0f} ms")
    print(f"errors {dict(result.errors) or 0}")


def _ratio_line(ours: LoadResult, reference: LoadResult) -> str:
    return (f"ratios (this assistant / rasa init): throughput {ours.throughput / reference.throughput:.2f}x, "
            f"p95 {ours.percentile_ms(0.95) / reference.percentile_ms(0.95):.2f}x, "
            f"p50 {ours.percentile_ms(0.5) / reference.percentile_ms(0.5):.2f}x")


def run(args: argparse.Namespace) -> None:
    questions, acute = _questions(), _acute_messages()
    if args.lengths:
        measure_lengths(args, questions)
        return
    rng = random.Random(args.seed)
    texts = [_script(rng, questions, acute, args.turns, risky=i % 5 == 0) for i in range(args.conversations)]
    print(f"{args.conversations} concurrent conversations x {args.turns} messages, seed {args.seed}, "
          f"{args.rasa_replicas} Rasa process(es), {args.gateway_workers} gateway worker(s)")
    ours, _, _ = measure_assistant(args, lambda new_id: {new_id(): messages for messages in texts})
    print(f"this assistant: {ours.summary()}")
    if args.no_reference:
        return
    reference, _, _ = measure_reference({f"reference-{i}": messages for i, messages in enumerate(texts)})
    print(f"rasa init: {reference.summary()}")
    print(_ratio_line(ours, reference))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rasa-replicas", type=int, default=1, help="Rasa processes behind the gateway "
                        "(more than one: on the loopback PostgreSQL and Redis)")
    parser.add_argument("--gateway-workers", type=int, default=1, help="uvicorn workers of the gateway")
    parser.add_argument("--profile", metavar="DIR", help="record every process with py-spy into DIR")
    parser.add_argument("--no-reference", action="store_true", help="skip the rasa init reference")
    parser.add_argument("--lengths", type=int, nargs="+", help="cost per message at these conversation "
                        "lengths (one conversation; no concurrent load, no reference)")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
