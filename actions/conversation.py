"""Reading a rasa-sdk tracker: what the resident wrote and what the assistant already advised."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from triage.conversation import resident_messages


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
