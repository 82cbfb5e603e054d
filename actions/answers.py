"""Answering self-service questions with service cards from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue import catalogue
from actions.conversation import language
from actions.residents import target_group_for_person
from finnish_nlu.entity_normaliser import normalise_municipality
from service_catalogue.cards import service_card, service_card_text
from service_catalogue.search import find_services
from service_catalogue.topics import TOPICS, intent_for_topic, topic_for_intent

FEEDBACK_BUTTONS = [
    {"title": "Kyllä, sain apua", "payload": "/affirm"},
    {"title": "En saanut", "payload": "/deny"},
]
CLARIFY_CHOICES = 3


class ActionAnswerTopic(Action):
    """Sends the best self-service routes for the topic the resident asked about."""

    def name(self) -> str:
        return "action_answer_topic"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topic_for_intent(intent) or tracker.get_slot("last_topic")
        if topic is None:
            dispatcher.utter_message(response="utter_what_can_you_do")
            return []
        send_topic_routes(dispatcher, tracker, topic)
        dispatcher.utter_message(text="Sainko apua?", buttons=FEEDBACK_BUTTONS)
        return [SlotSet("last_topic", topic), SlotSet("awaiting_feedback", True)]


def send_topic_routes(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> None:
    """The topic's self-service routes as cards, filtered by what the resident told (area, who)."""
    municipality = normalise_municipality(tracker.get_slot("municipality") or "")
    target_group = target_group_for_person(tracker.get_slot("person"))
    lang = language(tracker)
    current = catalogue()
    services = find_services(current, topic, municipality=municipality, target_group=target_group, segment=1)
    dispatcher.utter_message(text=_intro(TOPICS[topic], municipality, current.county.municipalities))
    if not services:
        # Only possible for a municipality outside the county when the topic has no national service
        # (the catalogue tests guarantee services for every topic inside it): never leave the
        # resident empty-handed.
        dispatcher.utter_message(text=current.county.direct_help_text())
    for service in services:
        dispatcher.utter_message(
            text=service_card_text(service, lang), json_message=service_card(service, lang)
        )


def _intro(topic_label: str, municipality: str | None, county_municipalities: list[str]) -> str:
    intro = f"{topic_label}: tässä reitit, joilla pääset itse alkuun."
    if municipality and municipality not in county_municipalities:
        intro += (
            f" Huomaa: olen {' ja '.join(county_municipalities)} -alueen avustaja. Valtakunnalliset palvelut "
            f"toimivat myös paikkakunnalla {municipality}, mutta alueen omat palvelut järjestää "
            "oma hyvinvointialueesi."
        )
    return intro


class ActionClarify(Action):
    """When NLU is unsure, offer the most likely topics as buttons instead of guessing."""

    def name(self) -> str:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = [topic for item in ranking if (topic := topic_for_intent(item.get("name")))]
        buttons = [
            {"title": TOPICS[topic], "payload": f"/{intent_for_topic(topic)}"}
            for topic in topics[:CLARIFY_CHOICES]
        ]
        buttons.append({"title": "Jokin muu asia", "payload": "/what_can_you_do"})
        dispatcher.utter_message(
            text="En ole varma, ymmärsinkö oikein. Tarkoititko jotakin näistä?", buttons=buttons
        )
        return []
