"""End to end: real gateway, Rasa server and action server, driven over HTTP like the widget does."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.system.running_system import RunningSystem

pytestmark = pytest.mark.system

WORKER, PASSWORD = "e2e-worker", "e2e-salasana-123"


def _customs(replies: list[dict], kind: str) -> list[dict]:
    return [
        r["custom"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind
    ]


def _choose(method: str) -> str:
    return "/choose_contact" + json.dumps({"contact_method": method})


@pytest.fixture(scope="module")
def token(running_system: RunningSystem) -> str:
    running_system.create_worker(WORKER, PASSWORD)
    return running_system.worker_token(WORKER, PASSWORD)


def _cases(system: RunningSystem, token: str, conversation_id: str) -> list[dict]:
    response = httpx.get(
        f"{system.base_url}/api/handoffs",
        params={"conversation_id": conversation_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    return response.json()


def test_self_service_question_gets_a_service_card(running_system: RunningSystem) -> None:
    replies = running_system.chat(running_system.new_conversation(), "mist mä voin hakee asumistukee")
    cards = _customs(replies, "service_card")
    assert cards, replies
    assert cards[0]["provider_type"] == "kela"
    assert "asumistu" in cards[0]["name"].lower()
    assert any(r.get("buttons") for r in replies), "a quick reply for the next step"


def test_acute_message_gets_crisis_card_first_and_a_case(running_system: RunningSystem, token: str) -> None:
    conversation = running_system.new_conversation()
    replies = running_system.chat(conversation, "mä en jaksa enää, haluun tappaa itteni")
    assert replies[0].get("custom", {}).get("type") == "crisis", replies
    assert any(c["phone"] for c in replies[0]["custom"]["contacts"])
    handoffs = _customs(replies, "handoff")
    assert handoffs and handoffs[0]["handoff_id"]

    # The form asks how to reach the resident; a call-back with a phone number completes the case.
    running_system.chat(conversation, _choose("callback"))
    replies = running_system.chat(conversation, "040 123 4567")
    assert _customs(replies, "handoff"), replies

    [case] = _cases(running_system, token, conversation)
    assert case["id"] == handoffs[0]["handoff_id"]
    assert case["urgency"] == "acute"
    assert case["segment"] in (3, 4)
    assert case["segment_name"] in ("yhteistyoasiakkuus", "huolenpitoasiakkuus")
    assert {s["category"] for s in case["risk_signals"]} >= {"suicide_self_harm"}
    assert all(s["quote"] for s in case["risk_signals"])
    assert case["contact"]["method"] == "callback"
    # The number is kept apart from the transcript and shown only in the worker's view of one case.
    assert "callback_phone" not in case or case["callback_phone"] is None
    detail = httpx.get(
        f"{running_system.base_url}/api/handoffs/{case['id']}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert detail["callback_phone"].replace(" ", "") == "0401234567"
    transcript_text = " ".join(m["text"] for m in case["transcript"])
    assert "haluun tappaa itteni" in transcript_text
    assert "123 4567" not in transcript_text and "[puhelinnumero]" in transcript_text
    assert "TILANNE" in case["summary"]

    engine = create_engine(running_system.env["DATABASE_URL"])
    with engine.connect() as connection:
        actions = {
            row[0]
            for row in connection.execute(
                text("SELECT action FROM audit_log WHERE handoff_id = :id"), {"id": case["id"]}
            )
        }
    assert {"case_created", "case_viewed"} <= actions


def test_urgent_message_asks_consent_then_creates_case(running_system: RunningSystem, token: str) -> None:
    conversation = running_system.new_conversation()
    replies = running_system.chat(
        conversation, "vuokranantaja uhkaa häädöllä ensi kuussa enkä tiedä mihin mennä"
    )
    assert not _customs(replies, "crisis")
    assert any(b["payload"] == "/affirm" for r in replies for b in r.get("buttons") or []), replies
    assert _cases(running_system, token, conversation) == [], "no case before consent"

    running_system.chat(conversation, "/affirm")
    replies = running_system.chat(conversation, _choose("self"))
    # At most three self-assessment questions, each answered with a button.
    for _ in range(3):
        if _customs(replies, "handoff"):
            break
        payload = next(b["payload"] for r in replies for b in r.get("buttons") or [])
        replies = running_system.chat(conversation, payload)
    assert _customs(replies, "handoff"), replies

    [case] = _cases(running_system, token, conversation)
    assert case["consent"] is True
    assert case["urgency"] == "urgent"
    assert "eviction_homelessness" in {s["category"] for s in case["risk_signals"]}
    assert case["contact"]["method"] == "self"


def test_declined_consent_creates_no_case(running_system: RunningSystem, token: str) -> None:
    conversation = running_system.new_conversation()
    running_system.chat(conversation, "ei oo rahaa ruokaan ennen ku tuet tulee")
    replies = running_system.chat(conversation, "/deny")
    assert _cases(running_system, token, conversation) == []
    assert any(r.get("text") for r in replies), "the resident still gets the routes"


def test_bad_input_gets_clear_4xx(running_system: RunningSystem) -> None:
    url = f"{running_system.base_url}/webhooks/rest/webhook"
    assert (
        httpx.post(url, content=b"not json", headers={"Content-Type": "application/json"}).status_code == 400
    )
    sender = running_system.new_conversation()
    assert httpx.post(url, json={"sender": sender, "message": "   "}).status_code == 422
    assert httpx.post(url, json={"sender": sender, "message": "a" * 5000}).status_code == 413
    # Ids the gateway did not issue are refused (a weak one, one with a forged tag), with the crisis card
    # an acute message calls for.
    forged = sender[:-4] + ("AAAA" if not sender.endswith("AAAA") else "BBBB")
    for made_up in ("42", "web-1234", forged):
        refused = httpx.post(url, json={"sender": made_up, "message": "haluan tappaa itseni"})
        assert refused.status_code == 403
        assert refused.json()["crisis_cards"][0]["custom"]["category"] == "suicide_self_harm"


def test_live_chat_with_an_on_duty_worker(running_system: RunningSystem, token: str) -> None:
    """Ask for a human, choose "chat now", the worker joins and writes, the resident's words reach the
    worker without Rasa answering over them, an acute message still gets the crisis card first."""
    system = running_system
    headers = {"Authorization": f"Bearer {token}"}
    conversation = system.new_conversation()
    replies = system.chat(conversation, "haluun puhua oikean ihmisen kanssa")
    assert not any("chat" in b["payload"] for r in replies for b in r.get("buttons") or []), "nobody on duty"

    system.set_duty(token, True)
    try:
        conversation = system.new_conversation()
        replies = system.chat(conversation, "haluun puhua oikean ihmisen kanssa")
        payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
        assert _choose("chat") in payloads, replies
        replies = system.chat(conversation, _choose("chat"))
        [handoff] = _customs(replies, "handoff")
        assert handoff["live_chat"] == "waiting"
        [case] = _cases(system, token, conversation)
        assert case["chat_state"] == "waiting" and case["contact"]["method"] == "chat"

        claimed = httpx.post(f"{system.base_url}/api/handoffs/{case['id']}/claim", headers=headers)
        assert claimed.json()["chat_state"] == "active"
        sent = httpx.post(
            f"{system.base_url}/api/handoffs/{case['id']}/messages",
            json={"text": "Hei, olen sosiaaliohjaaja. Miten voin auttaa?"},
            headers=headers,
        )
        assert sent.status_code == 201
        assert httpx.get(f"{system.base_url}/api/chat/{conversation}/live").status_code == 403  # no secret
        live = system.live(conversation)
        assert live["state"] == "active"
        assert [m["text"] for m in live["messages"]] == ["Hei, olen sosiaaliohjaaja. Miten voin auttaa?"]

        # An ordinary message goes to the worker only: the assistant does not answer over them.
        assert system.chat(conversation, "mist mä voin hakee asumistukee") == []
        # An acute one gets the crisis card at once, and the case is raised.
        replies = system.chat(conversation, "en jaksa enää, haluun tappaa itteni")
        assert replies[0]["custom"]["type"] == "crisis", replies
        detail = httpx.get(f"{system.base_url}/api/handoffs/{case['id']}", headers=headers).json()
        assert detail["urgency"] == "acute"
        roles = [m["role"] for m in detail["transcript"]]
        assert {"user", "bot", "worker", "system"} <= set(roles)

        ended = httpx.post(f"{system.base_url}/api/handoffs/{case['id']}/chat/end", headers=headers)
        assert ended.json()["chat_state"] == "ended"
        # Back with the assistant: Rasa answers again.
        replies = system.chat(conversation, "mist mä voin hakee asumistukee")
        assert _customs(replies, "service_card"), replies
    finally:
        system.set_duty(token, False)


SYMPTOM_QUESTION = "mulla on ollut kuumetta ja kurkku kipeä kolme päivää, pitäiskö mennä lääkäriin"


def test_unsure_screening_asks_and_an_unclear_answer_is_acute(
    running_system: RunningSystem, token: str
) -> None:
    """Ask, don't guess, through gateway, Rasa and actions: a symptom question that may be an emergency gets
    the direct question with 112; "en tiedä" gets the crisis card first and a stored acute case."""
    conversation = running_system.new_conversation()
    replies = running_system.chat(conversation, SYMPTOM_QUESTION)
    [question] = _customs(replies, "risk_question")
    assert question["category"] == "medical_emergency"
    assert question["contacts"][0]["phone"] == "112"
    buttons = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert buttons == ["/affirm", "/deny"], replies
    assert _cases(running_system, token, conversation) == []

    answer = running_system.chat(conversation, "en tiedä")
    assert answer[0]["custom"]["type"] == "crisis" and answer[0]["custom"]["category"] == "medical_emergency"
    [case] = _cases(running_system, token, conversation)
    assert case["urgency"] == "acute"
    assert "en tiedä" in case["risk_signals"][0]["quote"]


def test_a_clear_no_answers_the_residents_own_question(running_system: RunningSystem) -> None:
    conversation = running_system.new_conversation()
    running_system.chat(conversation, SYMPTOM_QUESTION)
    replies = running_system.chat(conversation, "/deny")
    assert _customs(replies, "crisis") == []
    assert _customs(replies, "service_card"), replies
