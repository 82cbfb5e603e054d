"""Reacting to risk signals: crisis contacts at once when acute, then consent and handoff.

``triage.rasa_policy.RiskScreeningPolicy`` predicts this action after any message that carries a
new signal; the screening itself lives in ``triage`` so it can be tested without Rasa.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import send_topic_routes
from actions.catalogue import catalogue
from actions.conversation import language, resident_texts
from actions.handoff import create_case, handoff_message, reassess_case, unreachable_message
from service_catalogue.cards import crisis_cards, service_card, service_card_text
from service_catalogue.search import crisis_services
from service_catalogue.topics import topic_for_intent
from triage.categories import CATEGORIES, Severity
from triage.handled import mark_handled, unhandled_signals
from triage.screening import screen_conversation


class ActionHandleRisk(Action):
    def name(self) -> str:
        return "action_handle_risk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        assessment = screen_conversation(resident_texts(tracker))
        handled = tracker.get_slot("risk_handled") or []
        new_signals = unhandled_signals(assessment, handled)
        if not new_signals:
            return []
        severity = max(signal.severity for signal in new_signals)
        lang = language(tracker)
        current = catalogue()
        events: list[EventType] = [
            SlotSet("risk_handled", mark_handled(assessment, handled)),
            SlotSet("risk_severity", severity.name.lower()),
            SlotSet("handoff_reason", "risk"),
        ]

        if severity is Severity.ACUTE:
            acute_categories = [s.category for s in new_signals if s.severity is Severity.ACUTE]
            # The crisis card comes first in the reply: contacts before anything else.
            for card in crisis_cards(current, acute_categories, lang):
                dispatcher.utter_message(text=card["text"], json_message=card["payload"])
            if tracker.get_slot("handoff_id"):
                # The conversation already has a case: raise it to acute so the worker sees it first.
                case = reassess_case(tracker, tracker.get_slot("handoff_id"))
                if case is None:
                    dispatcher.utter_message(text=unreachable_message(current))
                else:
                    dispatcher.utter_message(
                        text="Kerroin ammattilaiselle, että tilanteesi on nyt kiireellinen. "
                        "Jos olet välittömässä vaarassa, soita heti 112.",
                        json_message=handoff_message(case),
                    )
                return events
            case = create_case(tracker, consent=False, contact={"method": "unknown"})
            if case is None:
                dispatcher.utter_message(text=unreachable_message(current))
                return events
            dispatcher.utter_message(
                text="Olet tärkeä. Hälytin hyvinvointialueen ammattilaisen katsomaan tätä keskustelua. "
                "Jos olet välittömässä vaarassa, soita heti 112.",
                json_message=handoff_message(case),
            )
            events.append(SlotSet("handoff_id", case["id"]))
            return [*events, FollowupAction("handoff_form")]

        category = new_signals[0].category
        label = CATEGORIES[category].label
        topic = topic_for_intent((tracker.latest_message.get("intent") or {}).get("name"))
        if severity is Severity.CONCERN and topic:
            # A concern alongside an ordinary question ("juon liikaa, mistä saa apua?"): answer the
            # question first, then offer a person, rather than turning a self-service contact into a case.
            send_topic_routes(dispatcher, tracker, topic)
            dispatcher.utter_message(
                text=f"Kerroit myös asiasta, josta voi olla hyvä puhua ammattilaisen kanssa ({label})."
            )
            events.append(SlotSet("last_topic", topic))
            return events if tracker.get_slot("handoff_id") else [*events, FollowupAction("handoff_form")]

        dispatcher.utter_message(
            text=f"Kiitos, että kerroit. Se, mitä kirjoitit, kuulostaa tärkeältä ({label}), "
            "ja siihen on saatavilla apua."
        )
        for service in crisis_services(current, category)[:2]:
            dispatcher.utter_message(
                text=service_card_text(service, lang), json_message=service_card(service, lang)
            )
        if tracker.get_slot("handoff_id"):
            return events
        return [*events, FollowupAction("handoff_form")]
