"""The "chat now" contact option: offered only while a worker is on duty, and a case that waits for one.
Against a real gateway (temporary database) whose county is open around the clock."""

from __future__ import annotations

import asyncio

import httpx
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionAskContactMethod, ActionSubmitHandoff, ValidateHandoffForm
from tests.actions.conftest import LiveGateway, make_tracker


def _payloads(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


def _validate(value: str, tracker_slots: dict | None = None) -> tuple[dict, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("haluun puhua ihmiselle", slots=tracker_slots or {}, active_loop="handoff_form")
    return ValidateHandoffForm().validate_contact_method(value, dispatcher, tracker, {}), dispatcher


def test_chat_is_not_offered_when_nobody_is_on_duty(dispatcher, always_open_gateway: LiveGateway):
    ActionAskContactMethod().run(dispatcher, make_tracker("haluun puhua ihmiselle"), {})
    payloads = _payloads(dispatcher)
    assert not any("chat" in p for p in payloads)
    assert any('"callback"' in p for p in payloads) and any('"self"' in p for p in payloads)
    assert "palveluaikana" in dispatcher.messages[0]["text"]
    result, told = _validate("chat")
    assert result == {"contact_method": None}
    assert "ei ole juuri nyt paikalla" in told.messages[0]["text"]


def test_chat_is_offered_first_while_a_worker_is_on_duty(dispatcher, always_open_gateway: LiveGateway):
    always_open_gateway.worker_on_duty()
    ActionAskContactMethod().run(dispatcher, make_tracker("haluun puhua ihmiselle"), {})
    payloads = _payloads(dispatcher)
    assert '"chat"' in payloads[0]
    assert "paikalla" in dispatcher.messages[0]["text"]
    assert _validate("chat")[0] == {"contact_method": "chat"}
    assert _validate("haluun keskustella tässä")[0] == {"contact_method": "chat"}
    assert _validate("soittakaa mulle")[0] == {"contact_method": "callback"}


def test_no_gateway_means_no_chat_offer_but_the_other_options(dispatcher, unreachable_gateway):
    ActionAskContactMethod().run(dispatcher, make_tracker("haluun puhua ihmiselle"), {})
    payloads = _payloads(dispatcher)
    assert len(payloads) == 2 and not any("chat" in p for p in payloads)


def test_a_resident_who_chose_chat_is_not_asked_the_self_assessment(always_open_gateway: LiveGateway):
    tracker = make_tracker(
        "vuokranantaja uhkaa häädöllä",
        slots={"handoff_consent": True, "contact_method": "chat", "risk_severity": "urgent"},
        active_loop="handoff_form",
    )
    slots = asyncio.run(ValidateHandoffForm().required_slots([], CollectingDispatcher(), tracker, {}))
    assert slots == ["handoff_consent", "contact_method"]
    tracker.slots["contact_method"] = "self"
    slots = asyncio.run(ValidateHandoffForm().required_slots([], CollectingDispatcher(), tracker, {}))
    assert "sa_coping" in slots, "other residents still get the questions"


def test_choosing_chat_creates_a_waiting_case_the_widget_can_follow(dispatcher, always_open_gateway):
    headers = always_open_gateway.worker_on_duty()
    tracker = make_tracker(
        "vuokranantaja uhkaa häädöllä ensi kuussa",
        "/choose_contact",
        slots={"handoff_consent": True, "contact_method": "chat", "risk_severity": "urgent"},
        sender_id="conv-wants-chat",
    )
    ActionSubmitHandoff().run(dispatcher, tracker, {})
    customs = [m.get("custom") or {} for m in dispatcher.messages]
    handoff = next(c for c in customs if c.get("type") == "handoff")
    assert handoff["live_chat"] == "waiting"
    assert "liittyy" in handoff["next_step"]
    stored = always_open_gateway.handoff(handoff["handoff_id"])
    assert stored["contact"]["method"] == "chat" and stored["chat_state"] == "waiting"
    assert "eviction_homelessness" in {s["category"] for s in stored["risk_signals"]}

    # The worker on duty sees it in the queue and joins by claiming it.
    queue = httpx.get(f"{always_open_gateway.base_url}/api/handoffs", headers=headers).json()
    assert [c["chat_state"] for c in queue] == ["waiting"]
    claimed = httpx.post(
        f"{always_open_gateway.base_url}/api/handoffs/{handoff['handoff_id']}/claim", headers=headers
    ).json()
    assert claimed["chat_state"] == "active"
