"""Reading a rasa-sdk tracker: what the resident wrote and what the assistant already advised."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from triage.assessment import RiskAssessment, signal_from_dict
from triage.conversation import ASSESSMENT_SLOT, CONFIRMED_SLOT, resident_messages
from triage.screening import screen_conversation


def resident_texts(tracker: Tracker) -> list[str]:
    return resident_messages(event.get("text") for event in tracker.events if event.get("event") == "user")


def sent_custom_payloads(tracker: Tracker) -> list[dict[str, Any]]:
    payloads = []
    for event in tracker.events:
        if event.get("event") != "bot":
            continue
        custom = (event.get("data") or {}).get("custom")
        if isinstance(custom, dict):
            payloads.append(custom)
    return payloads


def advised_so_far(tracker: Tracker) -> list[str]:
    """Short Finnish list of what the assistant has already offered, for the triage summary."""
    advised: list[str] = []
    for payload in sent_custom_payloads(tracker):
        if payload.get("type") == "service_card" and payload.get("name"):
            advised.append(str(payload["name"]))
        elif payload.get("type") == "crisis":
            advised.append("kriisiyhteystiedot annettu")
    return list(dict.fromkeys(advised))


def language(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    lang = metadata.get("lang") if isinstance(metadata, dict) else None
    return lang if lang in ("fi", "sv", "en") else "fi"


def risk_assessment(tracker: Tracker) -> RiskAssessment:
    """The conversation's risk assessment: the screening policy's result for this turn (its slot), plus the
    signals the resident confirmed by answering the direct question. Screened here only when the slot is
    missing or older than the latest message (an action run without the policy, e.g. in a test)."""
    texts = resident_texts(tracker)
    data = tracker.get_slot(ASSESSMENT_SLOT)
    if isinstance(data, dict) and data.get("messages") == len(texts):
        assessment = RiskAssessment.from_dict(data)
    else:
        assessment = screen_conversation(texts)
    confirmed = [signal_from_dict(item) for item in tracker.get_slot(CONFIRMED_SLOT) or []]
    return assessment.with_confirmed(confirmed)
