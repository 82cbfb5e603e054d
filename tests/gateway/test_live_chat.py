"""Live chat with an on-duty worker: duty and availability, the resident's and the worker's sides,
risk screening of messages that do not go to Rasa, and the inbox pages. SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from bot.conversation_ids import live_secret
from bot.settings import Settings
from service_catalogue.county import load_county_profile
from tests.catalogue_copy import ALWAYS_OPEN, catalogue_copy
from tests.gateway.conftest import (
    SERVICE,
    TEST_CONVERSATION_KEY,
    add_user,
    audit_actions,
    auth,
    build_app,
    create_case,
    fixed_conversation,
    get_token,
    make_settings,
)
from tests.gateway.test_inbox import csrf_from, sign_in

CHAT_ISSUED = fixed_conversation(b"conv-chat")
CHAT = CHAT_ISSUED.conversation_id


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _closed_around_today() -> dict:
    """Office hours, but yesterday, today and tomorrow are holidays (closed_dates), whenever tests run."""
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    days = [today + timedelta(days=offset) for offset in (-1, 0, 1)]
    return {
        "timezone": "Europe/Helsinki",
        "weekdays": [0, 1, 2, 3, 4],
        "open": "08:00",
        "close": "16:00",
        "closed_dates": [d.isoformat() for d in days],
    }


def _client(tmp_path: Path, database_url: str, hours: dict) -> Iterator[TestClient]:
    # Rasa's port is closed: a message that reached Rasa would be answered with 503.
    settings: Settings = make_settings(
        tmp_path,
        database_url,
        catalogue_dir=catalogue_copy(tmp_path, hours),
        rasa_url=f"http://127.0.0.1:{_closed_port()}",
    )
    with TestClient(build_app(settings)) as client:
        yield client


@pytest.fixture
def open_client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    yield from _client(tmp_path, database_url, ALWAYS_OPEN)


@pytest.fixture
def closed_client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    yield from _client(tmp_path, database_url, _closed_around_today())


def _worker(client: TestClient, username: str = "hoitaja1") -> dict[str, str]:
    add_user(username)
    return auth(get_token(client, username))


def _say(client: TestClient, text: str, sender: str = CHAT) -> list[dict]:
    response = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
    assert response.status_code == 200, response.text
    return response.json()


def _secret(sender: str = CHAT) -> dict[str, str]:
    return {"X-Live-Secret": live_secret(TEST_CONVERSATION_KEY, sender)}


def _live(client: TestClient, after: int = 0, sender: str = CHAT) -> dict:
    response = client.get(f"/api/chat/{sender}/live", params={"after": after}, headers=_secret(sender))
    assert response.status_code == 200, response.text
    return response.json()


def _chat_case(client: TestClient) -> dict:
    return create_case(client, conversation_id=CHAT, contact={"method": "chat"}, idempotency_key=None)


# --- duty and availability ------------------------------------------------------------------------


def test_chat_is_available_only_with_a_worker_on_duty_in_service_hours(open_client: TestClient) -> None:
    availability = open_client.get("/api/internal/live-chat", headers=SERVICE).json()
    assert availability["available"] is False and availability["service_time"] is True
    headers = _worker(open_client)

    duty = open_client.post("/api/duty", json={"on_duty": True}, headers=headers)
    assert duty.status_code == 200, duty.text
    assert duty.json()["on_duty"] is True and duty.json()["chat_available"] is True
    assert open_client.get("/api/internal/live-chat", headers=SERVICE).json()["available"] is True

    assert open_client.post("/api/duty", json={"on_duty": False}, headers=headers).json()["on_duty"] is False
    assert open_client.get("/api/internal/live-chat", headers=SERVICE).json()["available"] is False
    assert ("hoitaja1", "chat_duty_started") in audit_actions() and (
        "hoitaja1",
        "chat_duty_ended",
    ) in audit_actions()


def test_duty_cannot_start_outside_service_hours(closed_client: TestClient) -> None:
    headers = _worker(closed_client)
    response = closed_client.post("/api/duty", json={"on_duty": True}, headers=headers)
    assert response.status_code == 409
    assert "service hours" in response.json()["detail"]
    assert closed_client.get("/api/internal/live-chat", headers=SERVICE).json()["available"] is False


def test_duty_ends_with_the_service_day(tmp_path: Path) -> None:
    office_hours = {**_closed_around_today(), "closed_dates": []}
    county = load_county_profile(catalogue_copy(tmp_path, office_hours) / "county.yaml")
    tuesday_10 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)  # 10.00 in Helsinki
    ends = county.service_ends_at(tuesday_10)
    assert ends is not None and ends.astimezone(timezone.utc) == datetime(
        2026, 12, 1, 14, 0, tzinfo=timezone.utc
    )
    assert county.service_ends_at(datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)) is None  # Saturday


def test_duty_api_needs_a_worker(open_client: TestClient) -> None:
    assert open_client.get("/api/duty").status_code == 401
    assert open_client.post("/api/duty", json={"on_duty": True}).status_code == 401
    headers = _worker(open_client)
    assert open_client.post("/api/duty", json={"on_duty": "maybe"}, headers=headers).status_code == 422


# --- a whole chat -----------------------------------------------------------------------------------


def test_resident_and_worker_chat_through_the_gateway(open_client: TestClient) -> None:
    client = open_client
    headers = _worker(client)
    case = _chat_case(client)
    assert case["chat_state"] == "waiting"
    assert "liittyy tähän keskusteluun" in case["next_step"]
    assert _live(client)["state"] == "waiting"

    # While waiting, the resident's message is kept for the worker; Rasa (down here) is not asked.
    replies = _say(client, "onko siellä joku")
    assert replies and "tallessa" in replies[0]["text"]

    claimed = client.post(f"/api/handoffs/{case['id']}/claim", headers=headers).json()
    assert claimed["chat_state"] == "active"
    assert claimed["transcript"][-1]["role"] == "system"
    assert _live(client)["state"] == "active"

    sent = client.post(
        f"/api/handoffs/{case['id']}/messages",
        json={"text": "Hei, olen sosiaaliohjaaja Liisa."},
        headers=headers,
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["author"] == "hoitaja1"
    live = _live(client)
    assert [m["text"] for m in live["messages"]] == ["Hei, olen sosiaaliohjaaja Liisa."]
    assert live["last_id"] == sent.json()["id"]
    assert _live(client, after=live["last_id"])["messages"] == []

    # An active chat: the resident's message gets no automatic answer, the worker reads it.
    assert _say(client, "kiitos, mulla on vuokrat rästissä") == []
    new = client.get(
        f"/api/handoffs/{case['id']}/messages", params={"after": live["last_id"]}, headers=headers
    )
    assert [(m["role"], m["text"]) for m in new.json()["messages"]] == [
        ("user", "kiitos, mulla on vuokrat rästissä")
    ]

    ended = client.post(f"/api/handoffs/{case['id']}/chat/end", headers=headers)
    assert ended.status_code == 200 and ended.json()["chat_state"] == "ended"
    assert _live(client)["state"] == "ended"
    assert client.post(f"/api/handoffs/{case['id']}/chat/end", headers=headers).status_code == 409
    # After the chat the assistant answers again: the message goes to Rasa, which is down here.
    after = client.post("/webhooks/rest/webhook", json={"sender": CHAT, "message": "entäs asumistuki"})
    assert after.status_code == 503

    actions = [action for _, action in audit_actions(case["id"])]
    assert {"case_claimed", "chat_message_sent", "chat_messages_read", "chat_ended"} <= set(actions)


def test_acute_message_in_a_live_chat_gets_crisis_card_first_and_raises_the_case(
    open_client: TestClient,
) -> None:
    client = open_client
    headers = _worker(client)
    case = _chat_case(client)
    client.post(f"/api/handoffs/{case['id']}/claim", headers=headers)

    replies = _say(client, "en jaksa enää, mä aion tappaa itteni tänä yönä")
    assert replies[0]["custom"]["type"] == "crisis"
    assert replies[0]["custom"]["category"] == "suicide_self_harm"
    assert any(c["phone"] for c in replies[0]["custom"]["contacts"])
    stored = client.get(f"/api/handoffs/{case['id']}", headers=headers).json()
    assert stored["urgency"] == "acute"
    assert "suicide_self_harm" in {s["category"] for s in stored["risk_signals"]}
    assert "eviction_homelessness" in {s["category"] for s in stored["risk_signals"]}, "earlier signals kept"

    # The same signal again is not a new crisis card; the worker is there.
    assert _say(client, "mä aion tappaa itteni") == []
    # Figures of speech do not raise anything.
    assert _say(client, "tää odottelu tappaa mut, hah") == []


def test_personal_data_is_redacted_in_a_live_chat_too(open_client: TestClient) -> None:
    client = open_client
    headers = _worker(client)
    case = _chat_case(client)
    client.post(f"/api/handoffs/{case['id']}/claim", headers=headers)
    replies = _say(client, "mun hetu on 010190-123A ja puh 040 123 4567")
    assert "henkilötietoja" in replies[-1]["text"]
    transcript = client.get(f"/api/handoffs/{case['id']}", headers=headers).json()["transcript"]
    stored = transcript[-1]["text"]
    assert "010190-123A" not in stored and "[henkilötunnus]" in stored and "[puhelinnumero]" in stored
    # A worker's message keeps a service's phone number but never a henkilötunnus.
    sent = client.post(
        f"/api/handoffs/{case['id']}/messages",
        json={"text": "Soita 09 2525 0111, älä lähetä 010190-123A"},
        headers=headers,
    ).json()
    assert "09 2525 0111" in sent["text"] and "010190-123A" not in sent["text"]


def test_resident_can_end_the_chat(open_client: TestClient) -> None:
    client = open_client
    case = _chat_case(client)
    assert client.post(f"/api/chat/{CHAT}/live/end").status_code == 403  # the id alone is not enough
    ended = client.post(f"/api/chat/{CHAT}/live/end", headers=_secret())
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    assert ("resident", "chat_ended") in audit_actions(case["id"])
    # Ending twice is harmless; an unknown conversation simply has no chat.
    assert client.post(f"/api/chat/{CHAT}/live/end", headers=_secret()).json()["state"] == "ended"
    assert _live(client, sender="nobody-here")["state"] is None


def test_closing_the_case_ends_the_chat(open_client: TestClient) -> None:
    client = open_client
    headers = _worker(client)
    case = _chat_case(client)
    client.post(f"/api/handoffs/{case['id']}/claim", headers=headers)
    closed = client.post(
        f"/api/handoffs/{case['id']}/close", json={"outcome": "Ohjattu."}, headers=headers
    ).json()
    assert closed["chat_state"] == "ended"
    assert (
        client.post(f"/api/handoffs/{case['id']}/messages", json={"text": "hei"}, headers=headers).status_code
        == 409
    )


def test_worker_chat_api_rules(open_client: TestClient) -> None:
    client = open_client
    headers = _worker(client)
    other = _worker(client, "hoitaja2")
    case = _chat_case(client)
    url = f"/api/handoffs/{case['id']}/messages"
    assert client.post(url, json={"text": "hei"}).status_code == 401
    assert client.get(url).status_code == 401
    assert client.post(url, json={"text": "hei"}, headers=headers).status_code == 409, "claim first"
    client.post(f"/api/handoffs/{case['id']}/claim", headers=headers)
    assert client.post(url, json={"text": "hei"}, headers=other).status_code == 409, "another worker's chat"
    assert client.post(url, json={"text": "   "}, headers=headers).status_code == 422
    assert client.post(url, json={"text": "x" * 2001}, headers=headers).status_code == 422
    assert (
        client.post(
            url, content=b"no json", headers={**headers, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert client.get("/api/handoffs/nope/messages", headers=headers).status_code == 404
    assert client.get(f"/api/chat/{'x' * 200}/live").status_code == 422
    assert client.get(f"/api/chat/{CHAT}/live", params={"after": -1}, headers=_secret()).status_code == 422
    # The live chat is read with the conversation's secret only: not with none, not with another's.
    assert client.get(f"/api/chat/{CHAT}/live").status_code == 403
    other = fixed_conversation(b"someone-else")
    wrong = {"X-Live-Secret": other.live_secret}
    assert client.get(f"/api/chat/{CHAT}/live", headers=wrong).status_code == 403
    right = {"X-Live-Secret": CHAT_ISSUED.live_secret}
    assert client.get(f"/api/chat/{CHAT}/live", headers=right).status_code == 200


def test_a_case_without_chat_never_routes_around_rasa(open_client: TestClient) -> None:
    client = open_client
    case = create_case(client, conversation_id=CHAT, contact={"method": "callback"}, idempotency_key=None)
    assert case["chat_state"] is None
    assert _live(client)["state"] is None
    response = client.post("/webhooks/rest/webhook", json={"sender": CHAT, "message": "hei"})
    assert response.status_code == 503


def test_choosing_chat_later_in_the_form_starts_the_wait(open_client: TestClient) -> None:
    client = open_client
    case = create_case(client, conversation_id=CHAT, contact={"method": "unknown"}, idempotency_key=None)
    updated = client.patch(
        f"/api/internal/handoffs/{case['id']}", json={"contact": {"method": "chat"}}, headers=SERVICE
    )
    assert updated.status_code == 200 and updated.json()["chat_state"] == "waiting"


# --- inbox pages ------------------------------------------------------------------------------------


def test_inbox_duty_toggle_and_chat_forms(open_client: TestClient) -> None:
    client = open_client
    add_user("hoitaja1")
    sign_in(client)
    queue = client.get("/inbox")
    assert "Aloita chat-päivystys" in queue.text
    token = csrf_from(queue.text)
    on = client.post("/inbox/duty", data={"csrf_token": token, "on_duty": "1"}, follow_redirects=False)
    assert on.status_code == 303
    assert "Lopeta chat-päivystys" in client.get("/inbox").text
    assert client.get("/api/internal/live-chat", headers=SERVICE).json()["available"] is True

    case = _chat_case(client)
    queue = client.get("/inbox").text
    assert "Odottaa chatissa" in queue
    assert "1 asukas odottaa chatissa" in queue and "queue_watch.js" in queue
    assert client.get("/api/duty").json()["waiting_chats"] == 1, "the inbox cookie works for the API too"
    page = client.get(f"/inbox/cases/{case['id']}").text
    assert "Asukas odottaa chatissa" in page and 'data-live-case="' in page and "live_chat.js" in page
    client.post(f"/inbox/cases/{case['id']}/claim", data={"csrf_token": token}, follow_redirects=False)
    page = client.get(f"/inbox/cases/{case['id']}").text
    assert "Viesti asukkaalle" in page
    sent = client.post(
        f"/inbox/cases/{case['id']}/messages",
        data={"csrf_token": token, "text": "Hei!"},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("#chat")
    assert [m["text"] for m in _live(client)["messages"]] == ["Hei!"]
    empty = client.post(f"/inbox/cases/{case['id']}/messages", data={"csrf_token": token, "text": " "})
    assert empty.status_code == 422
    forged = client.post(f"/inbox/cases/{case['id']}/messages", data={"csrf_token": "x" * 30, "text": "Hei"})
    assert forged.status_code == 403
    client.post(f"/inbox/cases/{case['id']}/chat/end", data={"csrf_token": token}, follow_redirects=False)
    assert _live(client)["state"] == "ended"

    # Signing out ends the duty: nobody signed out can answer a chat.
    client.post("/inbox/logout", data={"csrf_token": token}, follow_redirects=False)
    assert client.get("/api/internal/live-chat", headers=SERVICE).json()["available"] is False


def test_inbox_duty_outside_service_hours_says_when(closed_client: TestClient) -> None:
    add_user("hoitaja1")
    sign_in(closed_client)
    token = csrf_from(closed_client.get("/inbox").text)
    response = closed_client.post("/inbox/duty", data={"csrf_token": token, "on_duty": "1"})
    assert response.status_code == 200
    assert "vain palveluaikana" in response.text


def test_a_waiting_resident_is_told_when_nobody_is_on_duty(open_client: TestClient) -> None:
    client = open_client
    _chat_case(client)
    assert _live(client)["worker_available"] is False
    headers = _worker(client)
    client.post("/api/duty", json={"on_duty": True}, headers=headers)
    assert _live(client)["worker_available"] is True


def test_a_known_category_that_turns_acute_still_gets_the_crisis_card(open_client: TestClient) -> None:
    client = open_client
    headers = _worker(client)
    case = create_case(
        client,
        conversation_id=CHAT,
        contact={"method": "chat"},
        idempotency_key=None,
        urgency="normal",
        risk_signals=[{"category": "suicide_self_harm", "severity": "concern", "quote": "vuosia sitten"}],
    )
    client.post(f"/api/handoffs/{case['id']}/claim", headers=headers)
    replies = _say(client, "nyt mä haluun taas tappaa itteni")
    assert replies and replies[0]["custom"]["type"] == "crisis"
    assert client.get(f"/api/handoffs/{case['id']}", headers=headers).json()["urgency"] == "acute"
