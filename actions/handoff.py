"""Passing a conversation to a human worker: consent, contact method, short self-assessment, case.

The case is created through the gateway, which stores it durably before answering; only then is the
resident told that it exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue import catalogue, county
from actions.conversation import advised_so_far, resident_texts, risk_assessment
from actions.gateway_client import gateway_client
from common.placeholders import PHONE_PLACEHOLDER  # what the gateway leaves where a number was typed
from finnish_nlu.entity_normaliser import normalise_municipality
from service_catalogue.cards import service_card, service_card_text
from service_catalogue.loader import Catalogue
from service_catalogue.search import crisis_services
from triage.assessment import RiskAssessment
from triage.case_fields import case_fields
from triage.segment import SelfAssessment, suggest_segment

SELF_ASSESSMENT_SLOTS = {"coping": "sa_coping", "services": "sa_services", "support": "sa_support"}
FORM_SLOTS = ["handoff_consent", "contact_method", "callback_phone", *SELF_ASSESSMENT_SLOTS.values()]

# Free-text answers to the self-assessment questions, mapped to the values of triage.segment.SelfAssessment.
_ANSWER_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "coping": {
        "hyvin": ("hyvin", "ok", "hyva", "hyvä"),
        "vaihtelevasti": ("vaihtel", "joskus", "ihan ok"),
        "huonosti": ("huono", "huonosti", "en parjaa", "en pärjää", "heikosti", "kurja"),
    },
    "services": {
        "ei": ("ei", "en"),
        "jokin": ("yksi", "jokin", "yks", "on"),
        "monta": ("monta", "useita", "paljon"),
    },
    "support": {
        "kylla": ("kyllä", "kylla", "on", "joo"),
        "vahan": ("vähän", "vahan", "vähä", "joskus"),
        "ei": ("ei", "yksin", "ketään", "ketaan"),
    },
}


def _canonical_answer(question: str, value: Any) -> str | None:
    text = str(value or "").strip().lower()
    options = _ANSWER_WORDS[question]
    if text in options:
        return text
    # Longer keywords first, so "ei ole ketään" is not read as the "ei" of another option by accident.
    for answer, words in sorted(options.items(), key=lambda item: -max(len(w) for w in item[1])):
        if any(word in text for word in words):
            return answer
    return None


def _self_assessment(tracker: Tracker) -> SelfAssessment:
    return SelfAssessment(
        coping=tracker.get_slot("sa_coping"),
        services=tracker.get_slot("sa_services"),
        support=tracker.get_slot("sa_support"),
    )


def _assessment_fields(
    tracker: Tracker, *, consent: bool, contact: dict[str, Any], assessment: RiskAssessment | None = None
) -> dict[str, Any]:
    """Urgency, segment, signals and triage summary of the conversation so far."""
    return case_fields(
        resident_messages=resident_texts(tracker),
        assessment=assessment or risk_assessment(tracker),
        answers=_self_assessment(tracker),
        consent=consent,
        contact=contact,
        advised=advised_so_far(tracker),
        municipality=normalise_municipality(tracker.get_slot("municipality") or ""),
    )


def case_key(tracker: Tracker) -> str:
    """One key per resident message: the same on every retry of the request, and the same when another Rasa
    process takes the message again after the first died mid-message (the gateway sends its stored
    message's id in the metadata), so neither can create a second case."""
    metadata = tracker.latest_message.get("metadata") or {}
    message_id = metadata.get("message_id") if isinstance(metadata, dict) else None
    suffix = f"message-{message_id}" if message_id else uuid.uuid4().hex
    return f"{tracker.sender_id}:{suffix}"


def create_case(
    tracker: Tracker, *, consent: bool, contact: dict[str, Any], assessment: RiskAssessment | None = None
) -> dict[str, Any] | None:
    """Store a case in the gateway; ``None`` when it could not be stored (already logged). ``assessment``:
    the one the caller acted on, when it holds more than the tracker yet (an answer just confirmed)."""
    payload = {
        "conversation_id": tracker.sender_id,
        **_assessment_fields(tracker, consent=consent, contact=contact, assessment=assessment),
        "consent": consent,
        "contact": contact,
        "idempotency_key": case_key(tracker),
    }
    return gateway_client().create_handoff(payload)


def reassess_case(
    tracker: Tracker, handoff_id: str, assessment: RiskAssessment | None = None
) -> dict[str, Any] | None:
    """A more serious signal after the case exists: update its urgency, signals and summary."""
    consent = bool(tracker.get_slot("handoff_consent"))
    fields = _assessment_fields(
        tracker, consent=consent, contact={"method": tracker.get_slot("contact_method") or "unknown"},
        assessment=assessment,
    )
    return gateway_client().update_handoff(handoff_id, fields)


def handoff_message(case: dict[str, Any]) -> dict[str, Any]:
    message = {
        "type": "handoff",
        "handoff_id": case["id"],
        "status": case["status"],
        "next_step": case.get("next_step") or "Ammattilainen on saanut keskustelun.",
    }
    if case.get("chat_state") in ("waiting", "active"):
        # Tells the widget to follow the live chat (poll the worker's messages) from now on.
        message["live_chat"] = case["chat_state"]
    return message


def unreachable_message(current: Catalogue) -> str:
    profile = current.county
    return (
        "En juuri nyt saanut välitettyä viestiä ammattilaiselle teknisen vian vuoksi. Ota yhteyttä suoraan: "
        f"{profile.direct_help_text()} Hätätilanteessa soita 112."
    )


class ActionStartHandoff(Action):
    """The resident asked for a human: go straight to how they want to be contacted."""

    def name(self) -> str:
        return "action_start_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("handoff_id"):
            dispatcher.utter_message(
                text="Keskustelusi on jo välitetty ammattilaiselle. "
                "Hän on sinuun yhteydessä sovitulla tavalla."
            )
            return []
        dispatcher.utter_message(text="Selvä, autan sinut ihmisen puheille.")
        # Asking for a human is consent to pass the conversation on.
        return [
            SlotSet("handoff_reason", "request_human"),
            SlotSet("handoff_consent", True),
            FollowupAction("handoff_form"),
        ]


CONTACT_BUTTONS = {
    "chat": ("Keskustelen nyt ammattilaisen kanssa tässä", '/choose_contact{"contact_method": "chat"}'),
    "callback": ("Soittopyyntö puhelimeeni", '/choose_contact{"contact_method": "callback"}'),
    "self": ("Otan itse yhteyttä", '/choose_contact{"contact_method": "self"}'),
}


class ActionAskContactMethod(Action):
    """Asks how to reach the resident; "chat now" is offered only while a worker is on duty."""

    def name(self) -> str:
        return "action_ask_contact_method"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        methods = ["callback", "self"]
        text = "Miten haluat, että sinuun otetaan yhteyttä?"
        if gateway_client().live_chat_available():
            methods.insert(0, "chat")
            text += " Ammattilainen on nyt paikalla, ja voit myös keskustella hänen kanssaan tässä heti."
        else:
            hours = county().service_hours.label()
            text += (
                f" Keskustelu ammattilaisen kanssa tässä on mahdollista palveluaikana ({hours}), "
                "kun päivystäjä on paikalla."
            )
        dispatcher.utter_message(
            text=text,
            buttons=[{"title": CONTACT_BUTTONS[m][0], "payload": CONTACT_BUTTONS[m][1]} for m in methods],
        )
        return []


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        already_case = bool(tracker.get_slot("handoff_id"))
        slots: list[str] = [] if already_case else ["handoff_consent"]
        if not already_case and tracker.get_slot("handoff_consent") is False:
            return slots
        slots.append("contact_method")
        if tracker.get_slot("contact_method") == "callback":
            slots.append("callback_phone")
        # A resident who chose to chat is waiting for a person: the worker asks, not the form.
        chat = tracker.get_slot("contact_method") == "chat"
        if not already_case and not chat and tracker.get_slot("risk_severity") != "acute":
            segment = suggest_segment(risk_assessment(tracker), _self_assessment(tracker))
            slots += [
                SELF_ASSESSMENT_SLOTS[q] for q in segment.questions_needed if q in SELF_ASSESSMENT_SLOTS
            ]
        return slots

    def validate_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").lower()
        if text in ("callback", "self", "chat"):
            method = text
        elif "chat" in text or "keskustel" in text or "kirjoit" in text:
            method = "chat"
        elif "soit" in text or "puhel" in text:
            method = "callback"
        elif "itse" in text or "ite " in f"{text} ":
            method = "self"
        else:
            dispatcher.utter_message(text="Valitse jokin vaihtoehdoista painikkeista.")
            return {"contact_method": None}
        if method == "chat" and not gateway_client().live_chat_available():
            # Duty may have ended between the question and the answer: ask again with what is open.
            dispatcher.utter_message(
                text="Ammattilainen ei ole juuri nyt paikalla keskustelemaan. Valitse soittopyyntö tai "
                "ota itse yhteyttä."
            )
            return {"contact_method": None}
        return {"contact_method": method}

    def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The gateway keeps the number apart from the transcript and leaves a placeholder here.
        if PHONE_PLACEHOLDER in str(value or ""):
            return {"callback_phone": "given"}
        dispatcher.utter_message(
            text="En tunnistanut puhelinnumeroa. Kirjoita se esimerkiksi muodossa 040 123 4567."
        )
        return {"callback_phone": None}

    def _validate_answer(self, question: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        slot = SELF_ASSESSMENT_SLOTS[question]
        answer = _canonical_answer(question, value)
        if answer is None:
            dispatcher.utter_message(text="Valitse vastaus painikkeista, niin osaan kirjata sen oikein.")
        return {slot: answer}

    def validate_sa_coping(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_answer("coping", value, dispatcher)

    def validate_sa_services(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_answer("services", value, dispatcher)

    def validate_sa_support(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_answer("support", value, dispatcher)


class ActionSubmitHandoff(Action):
    """Creates (or completes) the case once the form is done, and tells the resident what happens next."""

    def name(self) -> str:
        return "action_submit_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        current = catalogue()
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        method = tracker.get_slot("contact_method")
        contact = {"method": method or "self"}
        handoff_id = tracker.get_slot("handoff_id")

        if not handoff_id and tracker.get_slot("handoff_consent") is False:
            dispatcher.utter_message(
                text="Selvä, en välitä keskustelua eteenpäin. "
                "Tässä paikat, joista saat apua itse, milloin vain:"
            )
            self._send_routes(dispatcher, tracker, current)
            return reset

        if handoff_id:
            case = gateway_client().update_handoff(handoff_id, {"contact": contact, "consent": True})
        else:
            case = create_case(tracker, consent=True, contact=contact)
        if case is None:
            dispatcher.utter_message(text=unreachable_message(current))
            return reset

        dispatcher.utter_message(text=self._next_step_text(method), json_message=handoff_message(case))
        if method == "self":
            self._send_routes(dispatcher, tracker, current)
        return [*reset, SlotSet("handoff_id", case["id"])]

    @staticmethod
    def _next_step_text(method: str | None) -> str:
        profile = county()
        when = profile.contact_time_text()
        if method == "chat":
            return (
                "Kiitos. Pyysin ammattilaisen tähän keskusteluun. Kun hän liittyy, hänen viestinsä näkyvät "
                "tässä. Hätätilanteessa soita 112."
            )
        if method == "callback":
            return f"Kiitos. Ammattilainen soittaa sinulle {when}. Hätätilanteessa soita 112."
        return (
            "Kiitos. Ammattilainen näkee keskustelusi. Voit ottaa yhteyttä myös itse alla olevien "
            "yhteystietojen kautta."
        )

    @staticmethod
    def _send_routes(dispatcher: CollectingDispatcher, tracker: Tracker, current: Catalogue) -> None:
        categories = list(risk_assessment(tracker).categories) or [None]
        services = crisis_services(current, categories[0]) if categories[0] else []
        if not services:
            dispatcher.utter_message(text=current.county.direct_help_text())
            return
        for service in services[:3]:
            dispatcher.utter_message(text=service_card_text(service), json_message=service_card(service))
