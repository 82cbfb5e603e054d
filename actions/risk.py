"""Reacting to risk signals: crisis contacts at once when acute, the direct question when unsure, then
consent and handoff.

``triage.rasa_policy.RiskScreeningPolicy`` screens every message and predicts this action when there is a
new signal, a possible acute category worth asking about, or an answer to the question just asked; it hands
its assessment over in the ``risk_assessment`` slot, so this action does not screen again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import send_routes
from actions.catalogue import catalogue
from actions.conversation import language, resident_texts, risk_assessment
from actions.handoff import create_case, handoff_message, reassess_case, unreachable_message
from service_catalogue.cards import crisis_cards, question_card, service_card, service_card_text
from service_catalogue.search import crisis_services
from service_catalogue.topics import topic_for_intent
from triage.assessment import MAX_QUOTE, RiskAssessment, RiskSignal, signal_to_dict
from triage.categories import CATEGORIES, Severity
from triage.conversation import CONFIRMED_SLOT, HANDLED_SLOT, QUESTION_SLOT
from triage.direct_question import buttons, frame, is_clear_no, question_text
from triage.handled import asked_key, mark_handled, unhandled_possible, unhandled_signals


class ActionHandleRisk(Action):
    def name(self) -> str:
        return "action_handle_risk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        handled = list(tracker.get_slot(HANDLED_SLOT) or [])
        events: list[EventType] = []
        asked = tracker.get_slot(QUESTION_SLOT)
        assessment = risk_assessment(tracker)
        if asked:
            events.append(SlotSet(QUESTION_SLOT, None))
            answer = tracker.latest_message.get("text") or ""
            new_acute = [s for s in unhandled_signals(assessment, handled) if s.severity is Severity.ACUTE]
            if is_clear_no(answer) and not new_acute:
                lang = language(tracker)
                dispatcher.utter_message(text=frame().after_no.get(lang) or frame().after_no["fi"])
                # Then the question the resident came with ("kuumetta kolme päivää, pitäiskö lähteä?").
                before = _message_before_answer(tracker)
                topic = topic_for_intent(((before.get("parse_data") or {}).get("intent") or {}).get("name"))
                events.extend(send_routes(dispatcher, tracker, before.get("text"), topic))
            else:
                # A yes, or anything but a clear no: acute, the resident's answer quoted to the worker.
                confirmed = _confirmed(assessment, asked, answer, len(resident_texts(tracker)) - 1)
                earlier = tracker.get_slot(CONFIRMED_SLOT) or []
                events.append(SlotSet(CONFIRMED_SLOT, [*earlier, signal_to_dict(confirmed)]))
                assessment = assessment.with_confirmed([confirmed])

        new_signals = unhandled_signals(assessment, handled)
        possible = [] if asked else unhandled_possible(assessment, handled)
        if possible and not any(s.severity is Severity.ACUTE for s in new_signals):
            # Safety first: the question now; an urgent or concern signal of the same message is handled
            # after the answer (it stays unhandled, so the policy acts on it then).
            return [*events, *self._ask(dispatcher, tracker, possible[0], handled)]
        if not new_signals:
            return events
        return [*events, *self._handle(dispatcher, tracker, assessment, new_signals, handled)]

    @staticmethod
    def _ask(
        dispatcher: CollectingDispatcher, tracker: Tracker, possible: RiskSignal, handled: list[str]
    ) -> list[EventType]:
        """Ask, don't guess: the category's direct question with 112 and its 24/7 line, Yes/No buttons."""
        lang = language(tracker)
        card = question_card(catalogue(), possible.category, question_text(possible.category, lang), lang)
        dispatcher.utter_message(text=card["text"], json_message=card["payload"], buttons=buttons(lang))
        return [SlotSet(QUESTION_SLOT, possible.category),
                SlotSet(HANDLED_SLOT, [*handled, asked_key(possible.category)])]

    @staticmethod
    def _handle(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        assessment: RiskAssessment,
        new_signals: list[RiskSignal],
        handled: list[str],
    ) -> list[EventType]:
        severity = max(signal.severity for signal in new_signals)
        lang = language(tracker)
        current = catalogue()
        events: list[EventType] = [
            SlotSet(HANDLED_SLOT, mark_handled(assessment, handled)),
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
                case = reassess_case(tracker, tracker.get_slot("handoff_id"), assessment=assessment)
                if case is None:
                    dispatcher.utter_message(text=unreachable_message(current))
                else:
                    dispatcher.utter_message(
                        text="Kerroin ammattilaiselle, että tilanteesi on nyt kiireellinen. "
                        "Jos olet välittömässä vaarassa, soita heti 112.",
                        json_message=handoff_message(case),
                    )
                return events
            case = create_case(tracker, consent=False, contact={"method": "unknown"}, assessment=assessment)
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
            events.extend(send_routes(dispatcher, tracker, tracker.latest_message.get("text"), topic))
            dispatcher.utter_message(
                text=f"Kerroit myös asiasta, josta voi olla hyvä puhua ammattilaisen kanssa ({label})."
            )
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


def _message_before_answer(tracker: Tracker) -> dict[str, Any]:
    """The resident's message the direct question interrupted (the user event before the answer)."""
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    return user_events[-2] if len(user_events) >= 2 else {}


def _confirmed(assessment: RiskAssessment, category: str, answer: str, index: int) -> RiskSignal:
    """The acute signal of an answer to the direct question: what raised the question and the answer,
    as the worker reads them in the case."""
    asked_about = next((p.quote for p in assessment.possible if p.category == category), "")
    said = "kyllä (painike)" if answer.startswith("/") else f'"{answer.strip()}"'
    quote = f"{asked_about} – kysyttäessä vastasi: {said}" if asked_about else f"kysyttäessä vastasi: {said}"
    return RiskSignal(category, Severity.ACUTE, quote[:MAX_QUOTE], max(index, 0))
