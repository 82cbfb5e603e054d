"""The production shape, for real: two Rasa processes and two gateway workers sharing the PostgreSQL tracker
store and a Redis lock store and rate limits, and one Rasa process killed while residents are talking.

Needs the loopback PostgreSQL (``TEST_POSTGRES_URL``) and Redis (``TEST_REDIS_URL``); skipped, saying
which one, where either does not answer.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from bot.rasa_client import RasaClient
from tests.postgres import fresh_database
from tests.system.running_system import MODEL, RunningSystem, start_system, stop_system

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ORDINARY = ["mistä saan kelakortin", "asun Vantaalla", "miten varaan ajan hammaslääkärille", "kiitos",
            "voinko hakea asumistukea"]
ACUTE = "mä en jaksa enää, haluun tappaa itteni"
WORKER, PASSWORD = "scale-worker", "skaalaus-salasana-789"


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {TEST_REDIS_URL}: {error}")


@pytest.fixture(scope="module")
def scaled_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: `make test` trains it before running pytest")
    _redis_or_skip()
    with fresh_database("assistant_scale") as url:
        # Correctness under a failure, not speed: two Rasa processes, a restarting one loading its model and
        # the test itself share two cores, so the gateway waits longer for Rasa than its 10 s default.
        system = start_system(tmp_path_factory.mktemp("scaled"), database_url=url, rasa_replicas=2,
                              gateway_workers=2, redis_url=TEST_REDIS_URL, settings={"RASA_TIMEOUT_S": "45"})
        try:
            _wait_until_every_rasa_is_ready(system)
            yield system
        finally:
            stop_system(system)


def _rasa_urls(system: RunningSystem) -> list[str]:
    return [f"http://127.0.0.1:{port}" for port in system.rasa_ports]  # as scripts/run_system.py lists them


def _wait_until_every_rasa_is_ready(system: RunningSystem, timeout_s: float = 300) -> None:
    # The gateway is ready when one Rasa answers; the test needs both, or nothing would fail over.
    client = RasaClient(_rasa_urls(system), token=system.env["RASA_TOKEN"])
    deadline = time.monotonic() + timeout_s
    try:
        while not all(client.readiness().values()):
            assert time.monotonic() < deadline, "both Rasa processes should load\n" + system.logs()
            time.sleep(2)
    finally:
        client.close()


def _home(system: RunningSystem, conversation: str) -> int:
    """The Rasa process the gateway sends this conversation to (the gateway's own routing code)."""
    urls = _rasa_urls(system)
    client = RasaClient(urls)
    try:
        return urls.index(client.replicas_for(conversation)[0].url)
    finally:
        client.close()


def _user_events(database_url: str, conversation: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"),
                {"sender": conversation}).scalars().all()
    finally:
        engine.dispose()
    import json

    return [json.loads(row)["text"] for row in rows]


def test_a_killed_rasa_process_loses_no_conversation_crosses_none_duplicates_no_case(
    scaled_system: RunningSystem,
) -> None:
    system = scaled_system
    system.create_worker(WORKER, PASSWORD)
    token = system.worker_token(WORKER, PASSWORD)
    conversations = [system.new_conversation() for _ in range(8)]
    homes = {conversation: _home(system, conversation) for conversation in conversations}
    while min(Counter(homes.values()).get(i, 0) for i in (0, 1)) < 3:  # both processes carry some
        extra = system.new_conversation()
        conversations.append(extra)
        homes[extra] = _home(system, extra)
    on_victim = [c for c in conversations if homes[c] == 0]
    # One resident of the process that will die says something acute after it died, one of the survivor's
    # before: each must get exactly one case.
    acute_after_kill, acute_before_kill = on_victim[0], next(c for c in conversations if homes[c] == 1)
    scripts = {c: list(ORDINARY) for c in conversations}
    scripts[acute_after_kill][3] = ACUTE
    scripts[acute_before_kill][1] = ACUTE

    replies: dict[str, list[tuple[int, list[dict]]]] = {c: [] for c in conversations}

    def converse(conversation: str, messages: list[str]) -> None:
        with httpx.Client(timeout=60) as client:
            for message in messages:
                response = client.post(f"{system.base_url}/webhooks/rest/webhook",
                                       json={"sender": conversation, "message": message})
                replies[conversation].append(
                    (response.status_code, response.json() if response.status_code == 200 else []))

    def run_phase(part: slice, kill_after_s: float | None = None) -> None:
        threads = [threading.Thread(target=converse, args=(c, scripts[c][part])) for c in conversations]
        for thread in threads:
            thread.start()
        if kill_after_s is not None:
            time.sleep(kill_after_s)  # residents are mid-conversation, messages in flight
            os.kill(system.rasa_process(0), signal.SIGKILL)
        for thread in threads:
            thread.join()

    run_phase(slice(0, 2))
    run_phase(slice(2, 5), kill_after_s=0.5)

    for conversation in conversations:
        statuses = [status for status, _ in replies[conversation]]
        # The message in flight on the killed process when it died (the first of phase two) may get the
        # gateway's own answer instead (503: stored, try again; a crisis would get its card) when the
        # hand-over does not finish in time; seen once in CI, not yet explained (docs/deployment.md, Open).
        # Every other message is answered by Rasa.
        in_flight_refused = homes[conversation] == 0 and statuses[2] == 503
        assert statuses == [200, 200, 503 if in_flight_refused else 200, 200, 200], (
            conversation, homes[conversation], statuses, system.logs())
        for status, answer in replies[conversation]:
            if status == 200:
                assert answer, f"every message gets an answer ({conversation})"
                assert {r.get("recipient_id") for r in answer} == {conversation}, "no crossed replies"
        # The whole history is in the shared tracker store, each message once, in order: the survivor
        # carried on the dead process's conversations from where they were.
        history = _user_events(system.env["DATABASE_URL"], conversation)
        without_in_flight = scripts[conversation][:2] + scripts[conversation][3:]
        assert history == scripts[conversation] or (in_flight_refused and history == without_in_flight), (
            conversation, history)

    for conversation in (acute_after_kill, acute_before_kill):
        _, answer = replies[conversation][scripts[conversation].index(ACUTE)]
        assert answer[0].get("custom", {}).get("type") == "crisis", answer
    headers = {"Authorization": f"Bearer {token}"}
    for conversation in conversations:
        cases = httpx.get(f"{system.base_url}/api/handoffs", params={"conversation_id": conversation},
                          headers=headers, timeout=30).json()
        expected = 1 if conversation in (acute_after_kill, acute_before_kill) else 0
        assert len(cases) == expected, (conversation, cases)


def test_the_gateway_workers_share_one_rate_limit(scaled_system: RunningSystem) -> None:
    # Each of the two workers alone would let a conversation send its own limit; shared in Redis, the
    # conversation's limit holds whichever worker takes the message.
    system = scaled_system
    limit = 20  # Settings.rate_limit_per_conversation
    conversation = system.new_conversation()
    statuses = []
    with httpx.Client(timeout=60) as client:
        for _ in range(limit + 3):
            # A new connection each time, so the kernel may hand it to either worker.
            statuses.append(client.post(f"{system.base_url}/webhooks/rest/webhook",
                                        json={"sender": conversation, "message": "kiitos"},
                                        headers={"Connection": "close"}).status_code)
    assert statuses[:limit] == [200] * limit
    assert statuses[limit:] == [429] * 3
