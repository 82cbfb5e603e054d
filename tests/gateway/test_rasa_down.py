"""A crisis never waits on Rasa: with Rasa down the gateway screens the message itself, answers an acute
signal with the crisis card and stores the case; anything else gets an honest 503 in the resident's
language."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from bot.db import new_session
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.repositories import handoffs as handoffs_repo
from tests.gateway.conftest import (
    SERVICE,
    Conversations,
    audit_actions,
    build_app,
    case_payload,
    make_settings,
    new_conversation,
)

URL = "/webhooks/rest/webhook"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def rasa_down_client(tmp_path, database_url):  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, database_url, rasa_url=f"http://127.0.0.1:{_closed_port()}")
    with TestClient(build_app(settings)) as client:
        yield client


def _cases(conversation: str) -> list:
    with new_session() as session:
        return handoffs_repo.list_handoffs(session, conversation_id=conversation)


def test_an_acute_message_gets_the_crisis_card_and_a_case_while_rasa_is_down(rasa_down_client) -> None:
    ids = Conversations(rasa_down_client)
    reply = rasa_down_client.post(
        URL, json={"sender": ids["outage-1"], "message": "haluan tappaa itseni tänään"}
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body[0]["custom"]["type"] == "crisis"
    assert body[0]["custom"]["category"] == "suicide_self_harm"
    assert body[0]["custom"]["contacts"][0]["phone"] == "112"
    assert any("tallessa" in (r.get("text") or "") for r in body)
    [case] = _cases(ids["outage-1"])
    assert case.urgency == "acute"
    assert case.consent is False
    assert {s["category"] for s in case.risk_signals} == {"suicide_self_harm"}
    assert "TILANNE" in case.summary
    assert ("gateway", "case_created") in audit_actions(case.id)

    # Retrying (or writing more) while Rasa is still down does not open a second case.
    again = rasa_down_client.post(URL, json={"sender": ids["outage-1"], "message": "haluan tappaa itseni"})
    assert again.status_code == 200
    assert again.json()[0]["custom"]["type"] == "crisis"
    assert len(_cases(ids["outage-1"])) == 1


def test_a_later_acute_message_raises_the_open_case(rasa_down_client) -> None:
    ids = Conversations(rasa_down_client)
    first = rasa_down_client.post(
        URL, json={"sender": ids["outage-2"], "message": "mies löi minua ja pelkään"}
    )
    assert first.status_code == 200
    second = rasa_down_client.post(URL, json={"sender": ids["outage-2"], "message": "nyt haluan vaan kuolla"})
    assert second.status_code == 200
    assert second.json()[0]["custom"]["category"] == "suicide_self_harm"
    [case] = _cases(ids["outage-2"])
    assert {"domestic_violence", "suicide_self_harm"} <= {s["category"] for s in case.risk_signals}


def test_an_ordinary_question_gets_an_honest_503_in_the_residents_language(rasa_down_client) -> None:
    ids = Conversations(rasa_down_client)
    message = {
        "sender": ids["outage-3"],
        "message": "Hur bokar jag tid hos tandläkaren?",
        "metadata": {"lang": "sv"},
    }
    reply = rasa_down_client.post(URL, json=message)
    assert reply.status_code == 503
    assert "sparats" in reply.json()["detail"]
    assert reply.json()["crisis"]["contacts"][0]["phone"] == "112"
    assert _cases(ids["outage-3"]) == []


def test_the_circuit_opens_after_repeated_failures_and_fails_fast() -> None:
    client = RasaClient(f"http://127.0.0.1:{_closed_port()}", timeout_s=1, failures_to_open=2)
    for _ in range(2):
        with pytest.raises(RasaUnavailable):
            client.send("c", "hei", {})
    assert client.circuit_open
    with pytest.raises(RasaUnavailable, match="circuit is open"):
        client.send("c", "hei", {})


def test_a_lone_surrogate_is_stored_and_screened_not_a_500(rasa_down_client) -> None:
    ids = Conversations(rasa_down_client)
    # Half of a broken emoji after a crisis message: cleaned, stored, screened, answered with the card.
    raw = '{"sender": "' + ids["broken-1"] + '", "message": "haluan tappaa itseni \\ud83d"}'
    reply = rasa_down_client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200, reply.text
    assert reply.json()[0]["custom"]["type"] == "crisis"
    assert len(_cases(ids["broken-1"])) == 1


def test_a_forwarded_for_header_counts_only_from_a_trusted_proxy(tmp_path, database_url) -> None:
    port = _closed_port()
    message = {"message": "milloin neuvola on auki"}
    untrusted = make_settings(
        tmp_path, database_url, rasa_url=f"http://127.0.0.1:{port}", rate_limit_per_client=1
    )
    with TestClient(build_app(untrusted)) as client:
        message["sender"] = new_conversation(client)  # both apps have the same key: valid in each
        assert client.post(URL, json=message, headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 503
        # A spoofed header does not buy a fresh limit.
        assert client.post(URL, json=message, headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 429
    trusted = make_settings(
        tmp_path / "t",
        database_url,
        rasa_url=f"http://127.0.0.1:{port}",
        rate_limit_per_client=1,
        trusted_proxies=["testclient"],
    )
    with TestClient(build_app(trusted)) as client:
        # Behind the county's proxy every resident has their own limit.
        assert client.post(URL, json=message, headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 503
        assert client.post(URL, json=message, headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 503
        assert client.post(URL, json=message, headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 429


def test_a_number_typed_outside_the_call_back_question_is_not_kept(rasa_down_client) -> None:
    from sqlalchemy import select

    from bot.models import ContactDetail
    from bot.repositories import conversations

    ids = Conversations(rasa_down_client)
    reply = rasa_down_client.post(
        URL, json={"sender": ids["phone-1"], "message": "mun numero on 040 765 4321"}
    )
    assert reply.status_code == 503
    with new_session() as session:
        assert session.scalars(select(ContactDetail)).all() == []
        assert "765" not in " ".join(m.text for m in conversations.get_transcript(session, ids["phone-1"]))
        # Asked for the number: the answer is kept for the worker who calls back.
        conversations.add_message(
            session, ids["phone-1"], "bot", "Kirjoita puhelinnumero", kind=conversations.ASK_CALLBACK_PHONE
        )
        session.commit()
    rasa_down_client.post(URL, json={"sender": ids["phone-1"], "message": "040 765 4321"})
    with new_session() as session:
        assert conversations.latest_phone(session, ids["phone-1"]) == "0407654321"


def test_the_action_servers_case_after_an_outage_completes_the_gateways_case(rasa_down_client) -> None:
    # Rasa was down: the gateway stored a case. Rasa is back and, not knowing that, the action server sends
    # its own case for the same conversation: the worker sees one case, with both assessments.
    ids = Conversations(rasa_down_client)
    conversation = ids["outage-after"]
    rasa_down_client.post(URL, json={"sender": conversation, "message": "haluan tappaa itseni tänään"})
    [outage_case] = _cases(conversation)
    payload = case_payload(conversation_id=conversation, idempotency_key=f"{conversation}:after")
    reply = rasa_down_client.post("/api/internal/handoffs", json=payload, headers=SERVICE)
    assert reply.status_code == 200, reply.text
    [case] = _cases(conversation)
    assert case.id == outage_case.id == reply.json()["id"]
    assert case.urgency == "acute"  # never lowered by the later assessment
    assert {s["category"] for s in case.risk_signals} == {"suicide_self_harm", "eviction_homelessness"}
    assert case.consent is True and case.contact["method"] == "callback"
    assert ("action-server", "case_updated") in audit_actions(case.id)
    # The action server's retry with its key finds the same case.
    again = rasa_down_client.post("/api/internal/handoffs", json=payload, headers=SERVICE)
    assert again.status_code == 200 and again.json()["id"] == case.id


def test_with_rasa_down_the_gateway_is_not_ready_but_still_serving(rasa_down_client) -> None:
    # The load balancer's probe (/health/serving) keeps the gateway in rotation, so its outage answer with
    # the crisis card reaches residents; the full check (/health/ready) says what is down.
    ready = rasa_down_client.get("/health/ready")
    assert ready.status_code == 503 and ready.json()["checks"]["rasa"] is False
    serving = rasa_down_client.get("/health/serving")
    assert serving.status_code == 200 and serving.json() == {"status": "ok", "checks": {"database": True}}
