"""Recording the resident's answer to "Sainko apua?"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import routing_events
from actions.gateway_client import gateway_client

# The answer's routing event is sent in the background; feedback waits this long at most for it, so the
# gateway can link the "no" to the cards shown (normally nothing is still in flight by then).
ROUTING_EVENT_WAIT_S = 1.0


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not tracker.get_slot("awaiting_feedback"):
            # A yes/no with nothing to answer: say what we can do rather than guess.
            dispatcher.utter_message(response="utter_what_can_you_do")
            return []

        helpful = intent == "affirm"
        routing_events.flush(ROUTING_EVENT_WAIT_S)
        gateway_client().record_feedback(
            {
                "conversation_id": tracker.sender_id,
                "helpful": helpful,
                "topic": tracker.get_slot("last_topic"),
            }
        )
        if helpful:
            dispatcher.utter_message(text="Hienoa, kiitos tiedosta! Voit kysyä myös muista asioista.")
        else:
            dispatcher.utter_message(
                text="Harmi, kiitos kun kerroit. Voit kertoa tarkemmin, mitä etsit, tai pyytää ammattilaista "
                "ottamaan sinuun yhteyttä.",
                buttons=[
                    {"title": "Haluan puhua ihmisen kanssa", "payload": "/request_human"},
                    {"title": "Mitä osaat?", "payload": "/what_can_you_do"},
                ],
            )
        return [SlotSet("awaiting_feedback", False)]
