"""Routing tells the gateway what it did with each question (for the editors' gaps report), in the
background: the resident's answer neither waits for it nor fails with it."""

from __future__ import annotations

import threading
import time

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions import routing_events
from actions.answers import ActionAnswerTopic, ActionClarify, ActionOutOfScope
from actions.catalogue import catalogue
from actions.feedback import ActionRecordFeedback
from actions.gateway_client import GatewayClient
from bot.db import new_session
from bot.models import RoutingEvent
from service_catalogue.retrieval import Match
from service_catalogue.routing import Decision, Routing
from tests.actions.conftest import make_tracker

FALLBACK = [("nlu_fallback", 0.5), ("ask_housing_allowance", 0.4)]


def _cards(dispatcher) -> list[str]:  # type: ignore[no-untyped-def]
    return [m["custom"]["service_id"] for m in dispatcher.messages
            if (m.get("custom") or {}).get("type") == "service_card"]


def _stored() -> list[RoutingEvent]:
    assert routing_events.flush(10)
    with new_session() as session:
        rows = list(session.scalars(select(RoutingEvent).order_by(RoutingEvent.id)))
        session.expunge_all()
        return rows


def test_each_routing_outcome_is_posted_to_the_gateway(dispatcher, live_gateway) -> None:  # type: ignore[no-untyped-def]
    ActionAnswerTopic().run(dispatcher, make_tracker("mist mä voin hakee asumistukee", sender_id="c-1"), {})
    shown = _cards(dispatcher)
    ActionClarify().run(dispatcher, make_tracker("tuki", intent="nlu_fallback", ranking=FALLBACK,
                                                 sender_id="c-2"), {})
    ActionOutOfScope().run(dispatcher, make_tracker("qwxz vbnm", intent="out_of_scope", sender_id="c-3"), {})

    by_outcome = {event.outcome: event for event in _stored()}
    answered, clarified, nothing = (by_outcome[o] for o in ("answered", "clarified", "nothing"))
    assert answered.outcome == "answered" and answered.source == "search" and answered.services == shown
    assert answered.question == "mist mä voin hakee asumistukee" and answered.language == "fi"
    assert answered.best_score is not None and answered.margin is not None and answered.margin >= 0
    assert answered.conversation_hash and answered.conversation_hash != "c-1"
    assert clarified.outcome == "clarified" and len(clarified.services) >= 2
    assert all(sid in catalogue().services for sid in clarified.services)
    assert nothing.outcome == "nothing" and nothing.services == []


def test_a_chosen_button_and_the_feedback_no_reach_the_report(dispatcher, live_gateway) -> None:  # type: ignore[no-untyped-def]
    name = catalogue().get("kela_taksi").name.fi
    events = ActionClarify().run(dispatcher, make_tracker(name, intent="nlu_fallback", sender_id="c-9"), {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    feedback = make_tracker("/deny", intent="deny", slots=slots, sender_id="c-9")
    ActionRecordFeedback().run(dispatcher, feedback, {})
    (event,) = _stored()
    assert event.source == "choice" and event.services == ["kela_taksi"] and event.best_score is None
    assert event.helpful is False  # "Sainko apua?" = no, linked to the card shown


def test_an_unreachable_gateway_does_not_break_the_answer(dispatcher, unreachable_gateway) -> None:  # type: ignore[no-untyped-def]
    events = ActionAnswerTopic().run(dispatcher, make_tracker("mist mä voin hakee asumistukee"), {})
    assert _cards(dispatcher) and dispatcher.messages[-1]["text"] == "Sainko apua?"
    assert SlotSet("awaiting_feedback", True) in events
    assert routing_events.flush(10)  # the failed post finished, quietly


def test_a_failing_or_hung_client_does_not_break_or_delay_the_answer(dispatcher, unreachable_gateway,
                                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def explode(self, payload):  # type: ignore[no-untyped-def]
        raise RuntimeError("gateway client bug")

    monkeypatch.setattr(GatewayClient, "record_routing_event", explode)
    ActionAnswerTopic().run(dispatcher, make_tracker("mist mä voin hakee asumistukee"), {})
    assert _cards(dispatcher)
    assert routing_events.flush(10)

    release = threading.Event()
    monkeypatch.setattr(GatewayClient, "record_routing_event", lambda self, payload: release.wait(10))
    started = time.monotonic()
    ActionOutOfScope().run(dispatcher, make_tracker("qwxz vbnm", intent="out_of_scope"), {})
    assert time.monotonic() - started < 2.0  # a gateway that hangs is not waited for
    release.set()
    assert routing_events.flush(10)


def test_the_payload_comes_from_the_routing_result_only() -> None:
    services = [catalogue().get("kela_yleinen_asumistuki"), catalogue().get("kela_taksi")]
    matches = [Match(services[0], 0.5, 0.3, 0.2), Match(services[1], 0.42, 0.3, 0.12)]
    payload = routing_events.event_payload(
        "c-1", "x" * 3000, Routing(Decision.clarify, services, matches), outcome="clarified",
        shown=services, topic="housing", language="sv")
    assert payload == {
        "conversation_id": "c-1", "outcome": "clarified", "source": "search", "question": "x" * 2000,
        "best_score": 0.5, "margin": pytest.approx(0.08),
        "services": ["kela_yleinen_asumistuki", "kela_taksi"], "topic": "housing", "language": "sv",
    }
    choice = routing_events.event_payload(None, "Kela-taksi", Routing(Decision.answer, services[1:]),
                                          outcome="answered", shown=services[1:], topic=None, language="fi")
    assert choice["source"] == "choice" and choice["best_score"] is None and choice["margin"] is None
    nothing = routing_events.event_payload(None, "qwxz", Routing(Decision.none, [], []), outcome="nothing",
                                           shown=[], topic=None, language="fi")
    assert nothing["source"] == "search" and nothing["services"] == []


def test_a_question_that_raised_a_risk_signal_stays_out_of_the_report(dispatcher, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sent: list[dict] = []
    monkeypatch.setattr(routing_events, "submit", sent.append)
    signal = {"category": "eviction_homelessness", "severity": "urgent", "quote": "häätö",
              "message_index": 1}
    earlier = {"signals": [{**signal, "message_index": 0}], "possible": [], "messages": 2}
    ActionAnswerTopic().run(dispatcher, make_tracker("sain häädön", "mist mä voin hakee asumistukee",
                                                     slots={"risk_assessment": earlier}), {})
    assert len(sent) == 1  # a signal in an earlier message: this question is still the resident's own
    now = {"signals": [signal], "possible": [], "messages": 2}
    ActionAnswerTopic().run(dispatcher, make_tracker("asunto", "sain häädön, mist mä voin hakee asumistukee",
                                                     slots={"risk_assessment": now}), {})
    assert len(sent) == 1 and _cards(dispatcher)  # answered, but not recorded
