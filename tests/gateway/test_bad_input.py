"""No input gives a 500: broken Unicode is cleaned, integers and bodies have bounds (a broken crisis
message is screened all the same: tests/gateway/test_rasa_down.py)."""

from __future__ import annotations

import json

from bot.conversation_ids import live_secret
from tests.gateway.conftest import TEST_CONVERSATION_KEY, create_case

URL = "/webhooks/rest/webhook"


def test_a_worker_note_with_a_lone_surrogate_is_kept(client, worker_headers) -> None:
    case = create_case(client)
    raw = '{"text": "soitin, ei vastannut \\udc00"}'
    reply = client.post(f"/api/handoffs/{case['id']}/notes", content=raw,
                        headers={**worker_headers, "Content-Type": "application/json"})
    assert reply.status_code in (200, 201), reply.text
    assert "\ufffd" in reply.json()["text"]


def test_a_huge_after_parameter_is_a_422_not_an_overflow(client, worker_headers) -> None:
    case = create_case(client)
    huge = "99999999999999999999999"
    secret = {"X-Live-Secret": live_secret(TEST_CONVERSATION_KEY, case["conversation_id"])}
    live = f"/api/chat/{case['conversation_id']}/live?after={huge}"
    assert client.get(live, headers=secret).status_code == 422
    assert client.get(f"/api/handoffs/{case['id']}/messages?after={huge}",
                      headers=worker_headers).status_code == 422


def test_a_body_over_the_limit_is_refused_before_it_is_parsed(client) -> None:
    big = json.dumps({"sender": "big-1", "message": "a" * (10 * 1024 * 1024)})
    reply = client.post(URL, content=big, headers={"Content-Type": "application/json"})
    assert reply.status_code == 413
    assert reply.json()["crisis"]["contacts"][0]["phone"] == "112"

    def chunks():  # no Content-Length: the bytes are counted as they arrive
        yield b'{"sender": "big-2", "message": "'
        for _ in range(200):
            yield b"a" * 8192
        yield b'"}'

    streamed = client.post(URL, content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_worker_api_bodies_are_limited_too(client, worker_headers) -> None:
    case = create_case(client)
    reply = client.post(f"/api/handoffs/{case['id']}/notes", content=json.dumps({"text": "x" * 200_000}),
                        headers={**worker_headers, "Content-Type": "application/json"})
    assert reply.status_code == 413
    assert "crisis" not in reply.json()


def test_an_id_with_a_trailing_newline_is_not_a_second_conversation(client) -> None:
    reply = client.post("/webhooks/rest/webhook", json={"sender": "abc\n", "message": "hei"})
    assert reply.status_code == 422
    assert client.get("/api/chat/abc%0A/live").status_code == 422
