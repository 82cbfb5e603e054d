"""Live chat through the gateway: how long a resident's message takes (stored, screened, relayed) and how
long the widget's poll takes, on the embedded SQLite default. Real app, real database, in-process HTTP.

    .venv/bin/python -m benchmarks.live_chat_benchmark            # 200 messages, 200 polls
    .venv/bin/python -m benchmarks.live_chat_benchmark --messages 50

The resident's messages are new texts each time (the screening caches by text), in spoken Finnish,
with the conversation growing as in a real chat: every message re-screens the whole conversation.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from bot.main import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.catalogue_copy import ALWAYS_OPEN, catalogue_copy  # noqa: E402
from tests.gateway.conftest import add_user  # noqa: E402
from triage.screening import warm_up  # noqa: E402

PHRASES = (
    "mulla on vuokrat rästissä ja en tiiä mitä teen",
    "voiko kela auttaa jos tulot loppu",
    "voisko joku kattoo mun asumistukihakemuksen",
    "kiitos, tää auttaa jo vähän",
    "en oo saanu nukuttua kunnolla viikkoon",
)
# Word endings make every message a new text without digits: "(15)" reads like a child's age to the screening.
ENDINGS = tuple(
    f"{a} {b}" for a in ("no", "joo", "hmm", "okei", "siis") for b in ("vaan", "nyt", "kai", "sit")
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(messages: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        token = secrets.token_urlsafe(16)
        settings = Settings(
            data_dir=tmp,
            jwt_secret=secrets.token_urlsafe(32),
            action_service_token=token,
            catalogue_dir=catalogue_copy(tmp, ALWAYS_OPEN),
            rate_limit_per_conversation=10_000,
            rate_limit_per_client=10_000,
        )
        warm_up()  # start-up cost is not what is measured here
        with TestClient(create_app(settings)) as client:
            add_user("bench", password="benchmark-salasana-1")
            worker = {"Authorization": "Bearer " + client.post(
                "/api/auth/token", data={"username": "bench", "password": "benchmark-salasana-1"}
            ).json()["access_token"]}
            issued = client.post("/api/conversations").json()
            sender, secret = issued["conversation_id"], {"X-Live-Secret": issued["live_secret"]}
            case = client.post(
                "/api/internal/handoffs",
                headers={"Authorization": f"Bearer {token}"},
                json={"conversation_id": sender, "urgency": "normal", "segment": 2, "consent": True,
                      "contact": {"method": "chat"}},
            ).json()
            client.post(f"/api/handoffs/{case['id']}/claim", headers=worker)
            send_ms, poll_ms = [], []
            for i in range(messages):
                ending = ENDINGS[(i // len(PHRASES)) % len(ENDINGS)]
                text = f"{PHRASES[i % len(PHRASES)]} {ending}" + "!" * (i // (len(PHRASES) * len(ENDINGS)))
                start = time.perf_counter()
                response = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
                send_ms.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
                start = time.perf_counter()
                poll = client.get(f"/api/chat/{sender}/live", params={"after": 0}, headers=secret)
                assert poll.status_code == 200
                poll_ms.append((time.perf_counter() - start) * 1000)
    return {
        "messages": messages,
        "send_median_ms": statistics.median(send_ms),
        "send_p95_ms": _percentile(send_ms, 0.95),
        "poll_median_ms": statistics.median(poll_ms),
        "poll_p95_ms": _percentile(poll_ms, 0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=200)
    result = run(parser.parse_args(argv).messages)
    print(f"live chat, {result['messages']} resident messages in one growing conversation (SQLite):")
    print(f"  resident message (store + screen + relay): median {result['send_median_ms']:.1f} ms, "
          f"p95 {result['send_p95_ms']:.1f} ms")
    print(f"  widget poll:                               median {result['poll_median_ms']:.1f} ms, "
          f"p95 {result['poll_p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
