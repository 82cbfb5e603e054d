"""Answering self-service questions with service cards found in the catalogue.

The resident's own words are searched in the catalogue (``service_catalogue.routing``); the NLU topic intent
is only a hint. A confident match is answered with its cards, an unsure one with a question whose buttons
are the services found (a button sends the service's name, which routing takes as the choice), and a text
with no match falls back to the topic's cards when NLU named a topic.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import routing_events
from actions.catalogue import catalogue
from actions.conversation import language
from actions.residents import target_group_for_person
from common.resident_texts import resident_text
from finnish_nlu.entity_normaliser import normalise_municipality
from service_catalogue.cards import service_card, service_card_text
from service_catalogue.loader import Catalogue
from service_catalogue.models import Service
from service_catalogue.routing import CLARIFY_CHOICES, Decision, Routing, route
from service_catalogue.search import find_services
from service_catalogue.topics import TOPICS, intent_for_topic, topic_for_intent
from triage.conversation import ASSESSMENT_SLOT

# The question the resident asked, kept so that a follow-up ("asun Keravalla") re-routes it with the
# new detail instead of searching the catalogue for the follow-up's words.
LAST_QUESTION_SLOT = "last_question"


def feedback_buttons(lang: str) -> list[dict[str, str]]:
    return [
        {"title": resident_text("feedback_yes", lang), "payload": "/affirm"},
        {"title": resident_text("feedback_no", lang), "payload": "/deny"},
    ]


def _typed_text(tracker: Tracker) -> str | None:
    """The resident's own words, or None for a button payload ("/ask_symptoms")."""
    text = (tracker.latest_message.get("text") or "").strip()
    return None if not text or text.startswith("/") else text


def _topic_hint(tracker: Tracker) -> tuple[str | None, float]:
    """The NLU's best topic and its confidence; under nlu_fallback, the best topic of the ranking."""
    intent = tracker.latest_message.get("intent") or {}
    if intent.get("name") == "nlu_fallback":
        ranking = tracker.latest_message.get("intent_ranking") or []
        ranked = [r for r in ranking if r.get("name") != "nlu_fallback"]
        intent = ranked[0] if ranked else {}
    topic = topic_for_intent(intent.get("name"))
    return topic, float(intent.get("confidence") or 0.0) if topic else 0.0


class _Context:
    """What the answer depends on besides the text: language, area, who needs help."""

    def __init__(self, tracker: Tracker) -> None:
        self.lang = language(tracker)
        self.municipality = normalise_municipality(tracker.get_slot("municipality") or "")
        self.target_group = target_group_for_person(tracker.get_slot("person"))
        self.catalogue: Catalogue = catalogue()

    def route(self, text: str, topic: str | None, confidence: float) -> Routing:
        return route(self.catalogue, text, municipality=self.municipality, target_group=self.target_group,
                     topic=topic, topic_confidence=confidence)


def _outside_county_note(context: _Context) -> str | None:
    county = context.catalogue.county.municipalities
    if context.municipality and context.municipality not in county:
        return resident_text("outside_county", context.lang, county=" / ".join(county),
                             municipality=context.municipality)
    return None


def _send_cards(
    dispatcher: CollectingDispatcher,
    context: _Context,
    lead: str,
    services: list[Service],
    *,
    feedback: bool = True,
) -> None:
    note = _outside_county_note(context)
    dispatcher.utter_message(text=f"{lead} {note}" if note else lead)
    if not services:
        # Only possible for a municipality outside the county when nothing national fits: never leave the
        # resident empty-handed.
        dispatcher.utter_message(text=context.catalogue.county.direct_help_text())
    for service in services:
        dispatcher.utter_message(
            text=service_card_text(service, context.lang), json_message=service_card(service, context.lang)
        )
    if feedback:
        dispatcher.utter_message(text=resident_text("feedback_question", context.lang),
                                 buttons=feedback_buttons(context.lang))


def _topic_cards(context: _Context, topic: str) -> list[Service]:
    return find_services(context.catalogue, topic, municipality=context.municipality,
                         target_group=context.target_group, segment=1)


def _ask_which(dispatcher: CollectingDispatcher, context: _Context, services: list[Service]) -> None:
    # The button sends the service's name in the resident's language: routing answers a name exactly.
    buttons = [{"title": s.name.get(context.lang), "payload": s.name.get(context.lang)} for s in services]
    buttons.append({"title": resident_text("something_else", context.lang), "payload": "/what_can_you_do"})
    question = resident_text("clarify_services", context.lang)
    note = _outside_county_note(context)
    dispatcher.utter_message(text=f"{question} {note}" if note else question, buttons=buttons)


def _answered(services: list[Service], question: str | None, topic: str | None) -> list[EventType]:
    events: list[EventType] = [SlotSet("awaiting_feedback", True)]
    if question is not None:
        events.append(SlotSet(LAST_QUESTION_SLOT, question))
    first_topic = topic or (services[0].topics[0] if services else None)
    if first_topic:
        events.append(SlotSet("last_topic", first_topic))
    return events


def _raised_risk(tracker: Tracker) -> bool:
    """Whether the screening found a risk signal, sure or possible, in the latest message: such a question
    belongs to a worker's case, and editors never see a case, so it stays out of their report."""
    data = tracker.get_slot(ASSESSMENT_SLOT)
    if not isinstance(data, dict):
        return False
    latest = int(data.get("messages") or 0) - 1
    found = [*(data.get("signals") or []), *(data.get("possible") or [])]
    return any(isinstance(s, dict) and int(s.get("message_index") or 0) == latest for s in found)


def _record(
    tracker: Tracker,
    context: _Context,
    question: str | None,
    routing: Routing | None,
    outcome: str,
    shown: list[Service] | None = None,
    topic: str | None = None,
    source: str | None = None,
) -> None:
    """What the resident got, for the editors' gaps report (sent in the background, never fails the reply).
    Cards that came out empty (an area with no service) are recorded as nothing found."""
    if _raised_risk(tracker):
        return
    shown = shown or []
    if outcome == "answered" and not shown:
        outcome = "nothing"
    routing_events.report(tracker.sender_id, question, routing, outcome=outcome, shown=shown, topic=topic,
                          language=context.lang, source=source)


def _send_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    context: _Context,
    routing: Routing,
    question: str | None,
    topic: str | None,
) -> list[EventType]:
    """The catalogue's confident answer: its cards, the feedback question, and what to remember."""
    _send_cards(dispatcher, context, resident_text("answer_lead", context.lang), routing.services)
    _record(tracker, context, question, routing, "answered", routing.services, topic)
    return _answered(routing.services, question, None)


def send_routes(
    dispatcher: CollectingDispatcher, tracker: Tracker, question: str | None, topic: str | None
) -> list[EventType]:
    """Cards for a question answered inside another flow (after the direct question, beside a concern):
    the catalogue's confident match, else the topic's cards, else nothing; no feedback question."""
    context = _Context(tracker)
    routing = context.route(question, topic, 1.0 if topic else 0.0) if question else None
    if routing is not None and routing.decision is Decision.answer:
        services = routing.services
    elif topic:
        services = _topic_cards(context, topic)
    else:
        return []
    _send_cards(dispatcher, context, resident_text("answer_lead", context.lang), services, feedback=False)
    return _answered(services, question, topic)[1:]  # no feedback question asked


def answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, fallback_topic: str | None
) -> list[EventType]:
    """Route the resident's question and send the reply; ``fallback_topic`` answers when nothing matched."""
    context = _Context(tracker)
    text = _typed_text(tracker)
    topic, confidence = _topic_hint(tracker)
    is_follow_up = (tracker.latest_message.get("intent") or {}).get("name") == "inform"
    question = tracker.get_slot(LAST_QUESTION_SLOT) if is_follow_up else text
    routing = context.route(question, topic, confidence) if question else None
    if routing is not None and routing.decision is Decision.answer:
        return _send_answer(dispatcher, tracker, context, routing, question, topic)
    if routing is not None and routing.decision is Decision.clarify and not is_follow_up:
        _ask_which(dispatcher, context, routing.services)
        _record(tracker, context, question, routing, "clarified", routing.services, topic)
        return [SlotSet(LAST_QUESTION_SLOT, question)]
    chosen_topic = topic or fallback_topic
    if chosen_topic is None:
        if routing is not None and routing.decision is Decision.clarify:
            _ask_which(dispatcher, context, routing.services)
            _record(tracker, context, question, routing, "clarified", routing.services)
            return []
        dispatcher.utter_message(text=resident_text("nothing_found", context.lang))
        dispatcher.utter_message(response="utter_what_can_you_do")
        _record(tracker, context, question, routing, "nothing")
        return []
    services = _topic_cards(context, chosen_topic)
    _send_cards(dispatcher, context, resident_text("topic_lead", context.lang, topic=TOPICS[chosen_topic]),
                services)
    # The search did not answer the words; the topic's cards did: a weak match for the report.
    _record(tracker, context, question, routing, "answered", services, chosen_topic, source="topic")
    return _answered(services, question, chosen_topic)


class ActionAnswerTopic(Action):
    """A self-service question (a topic intent, or a follow-up with a municipality or who needs help)."""

    def name(self) -> str:
        return "action_answer_topic"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topic_for_intent(intent) or tracker.get_slot("last_topic")
        nothing_asked = _typed_text(tracker) is None or intent == "inform"
        if topic is None and nothing_asked and not tracker.get_slot(LAST_QUESTION_SLOT):
            # A follow-up detail ("no niin", "Keravalla") with no question before it.
            dispatcher.utter_message(response="utter_what_can_you_do")
            return []
        return answer(dispatcher, tracker, fallback_topic=topic)


class ActionClarify(Action):
    """NLU was unsure: the catalogue search decides; when it is unsure too, the buttons are services."""

    def name(self) -> str:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        context = _Context(tracker)
        text = _typed_text(tracker)
        topic, confidence = _topic_hint(tracker)
        routing = context.route(text, topic, confidence) if text else None
        if routing is not None and routing.decision is Decision.answer:
            return _send_answer(dispatcher, tracker, context, routing, text, topic)
        if routing is not None and routing.decision is Decision.clarify:
            _ask_which(dispatcher, context, routing.services)
            _record(tracker, context, text, routing, "clarified", routing.services, topic)
            return [SlotSet(LAST_QUESTION_SLOT, text)]
        # The topic buttons below are no service: for the report, nothing was found.
        _record(tracker, context, text, routing, "nothing", topic=topic)
        # Nothing in the catalogue matched: the NLU's likeliest topics, as before retrieval.
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = [t for item in ranking if (t := topic_for_intent(item.get("name")))]
        buttons = [{"title": TOPICS[t], "payload": f"/{intent_for_topic(t)}"}
                   for t in topics[:CLARIFY_CHOICES]]
        buttons.append({"title": resident_text("something_else", context.lang),
                        "payload": "/what_can_you_do"})
        dispatcher.utter_message(text=resident_text("clarify_services", context.lang), buttons=buttons)
        return []


class ActionOutOfScope(Action):
    """NLU read the message as out of scope; a confident catalogue match still answers it (a service no
    intent names, "viljelypalsta" or "hautausavustus"), anything else gets the out-of-scope reply."""

    def name(self) -> str:
        return "action_out_of_scope"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = _typed_text(tracker)
        if text:
            context = _Context(tracker)
            routing = context.route(text, None, 0.0)
            if routing.decision is Decision.answer:
                return _send_answer(dispatcher, tracker, context, routing, text, None)
            _record(tracker, context, text, routing, "nothing")
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
