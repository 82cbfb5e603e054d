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
    # A topic button sends the intent itself: the topic's cards, no catalogue search.
    tracker = make_tracker(f"/{intent_for_topic(topic)}", intent=intent_for_topic(topic))
    events = ActionAnswerTopic().run(dispatcher, tracker, {})

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
    tracker = make_tracker("hammasta särkee, mistä saan hammaslääkärin", intent="ask_dental_care",
                           slots={"municipality": "Oulussa"})
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


def test_a_follow_up_re_routes_the_previous_question_with_the_new_detail(dispatcher):
    tracker = make_tracker(
        "mist saa kelataksin", "asun Keravalla", intent="inform",
        slots={"last_question": "mist saa kelataksin", "municipality": "Kerava"},
    )
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert "kela_taksi" in [card["service_id"] for card in _cards(dispatcher)]


def test_no_topic_at_all_says_what_the_assistant_can_do(dispatcher):
    events = ActionAnswerTopic().run(dispatcher, make_tracker("no niin", intent="inform"), {})
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_what_can_you_do"


def test_a_service_no_topic_intent_names_is_answered_from_the_catalogue(dispatcher):
    # NLU can only guess a topic for survivors' pension; the catalogue knows the service.
    tracker = make_tracker("mies kuoli viime kuussa, saako leski jotain eläkettä kelasta",
                           intent="nlu_fallback",
                           ranking=[("nlu_fallback", 0.5), ("ask_social_assistance", 0.3)])
    events = ActionClarify().run(dispatcher, tracker, {})
    assert _cards(dispatcher)[0]["service_id"] == "kela_perhe_elake"
    assert SlotSet("awaiting_feedback", True) in events


@pytest.mark.parametrize(("lang", "lead", "feedback"), [
    ("sv", "Här kan du själv komma igång:", "Fick du hjälp?"),
    ("en", "Here is where you can get started yourself:", "Did this help?"),
])
def test_the_lead_text_and_buttons_are_in_the_residents_language(dispatcher, lang, lead, feedback):
    tracker = make_tracker("how do I get a Kela card", intent="ask_kela_eservices")
    tracker.latest_message["metadata"] = {"lang": lang}
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == lead
    assert dispatcher.messages[-1]["text"] == feedback
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]


def test_an_unsure_match_asks_with_the_services_found_as_buttons(dispatcher):
    tracker = make_tracker("tuki", intent="nlu_fallback",
                           ranking=[("nlu_fallback", 0.5), ("ask_housing_allowance", 0.4)])
    ActionClarify().run(dispatcher, tracker, {})
    buttons = dispatcher.messages[0]["buttons"]
    assert len(buttons) >= 2 and buttons[-1]["payload"] == "/what_can_you_do"
    names = {s.name.fi for s in catalogue().services.values()}
    assert all(b["payload"] in names for b in buttons[:-1])


def test_a_chosen_service_button_is_answered_with_that_service(dispatcher):
    name = catalogue().get("kela_taksi").name.fi
    ActionClarify().run(dispatcher, make_tracker(name, intent="nlu_fallback"), {})
    assert [card["service_id"] for card in _cards(dispatcher)] == ["kela_taksi"]


def test_nothing_in_the_catalogue_falls_back_to_the_likeliest_topics(dispatcher):
    tracker = make_tracker(
        "qwxz vbnm",
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
