"""Answering topic questions with service cards from the real catalogue."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswerTopic, ActionClarify
from actions.catalogue import catalogue
from service_catalogue.topics import TOPICS, intent_for_topic
from tests.actions.conftest import make_tracker

CARD_KEYS = {"type", "service_id", "provider_type", "name", "summary", "url", "phone", "hours"}


def _cards(dispatcher) -> list[dict]:
    return [m["custom"] for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "service_card"]


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_gets_cards_then_the_feedback_question(topic, dispatcher):
    events = ActionAnswerTopic().run(dispatcher, make_tracker("kysymys", intent=intent_for_topic(topic)), {})

    cards = _cards(dispatcher)
    assert cards, f"no service card for {topic}"
    for card in cards:
        assert card.keys() >= CARD_KEYS
        service = catalogue().get(card["service_id"])
        assert topic in service.topics
    assert dispatcher.messages[-1]["text"] == "Sainko apua?"
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]
    assert SlotSet("last_topic", topic) in events
    assert SlotSet("awaiting_feedback", True) in events


def test_housing_allowance_answer_points_to_kela(dispatcher):
    ActionAnswerTopic().run(dispatcher, make_tracker("mist mä voin hakee asumistukee"), {})
    assert _cards(dispatcher)[0]["provider_type"] == "kela"


def test_dental_care_answer_is_the_countys_own_service(dispatcher):
    ActionAnswerTopic().run(dispatcher, make_tracker("hammasta särkee", intent="ask_dental_care"), {})
    assert "hyvinvointialue" in [card["provider_type"] for card in _cards(dispatcher)]


def test_a_municipality_outside_the_county_is_mentioned(dispatcher):
    tracker = make_tracker("asun Oulussa", intent="ask_dental_care", slots={"municipality": "Oulussa"})
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert "Oulu" in dispatcher.messages[0]["text"]
    for card in _cards(dispatcher):
        area = catalogue().get(card["service_id"]).area
        assert area == "national" or "Oulu" in area


def test_a_follow_up_without_topic_uses_the_previous_topic(dispatcher):
    tracker = make_tracker(
        "Keravalla", intent="inform", slots={"last_topic": "laboratory", "municipality": "Kerava"}
    )
    events = ActionAnswerTopic().run(dispatcher, tracker, {})
    assert _cards(dispatcher)
    assert SlotSet("last_topic", "laboratory") in events


def test_no_topic_at_all_says_what_the_assistant_can_do(dispatcher):
    events = ActionAnswerTopic().run(dispatcher, make_tracker("no niin", intent="inform"), {})
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_what_can_you_do"


def test_clarify_offers_the_likeliest_topics_as_buttons(dispatcher):
    tracker = make_tracker(
        "tuki",
        intent="nlu_fallback",
        ranking=[
            ("nlu_fallback", 0.5),
            ("ask_housing_allowance", 0.4),
            ("greet", 0.3),
            ("ask_social_assistance", 0.2),
        ],
    )
    ActionClarify().run(dispatcher, tracker, {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/ask_housing_allowance", "/ask_social_assistance", "/what_can_you_do"]
