"""Crisis cards as the gateway sends them itself (live chat, Rasa down), in the contract's reply shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.privacy import redact
from common.resident_texts import resident_text
from service_catalogue.cards import MAX_CRISIS_CARDS, crisis_cards
from service_catalogue.loader import Catalogue
from triage.categories import Severity
from triage.patterns import pattern_assessment


def crisis_replies(categories: Sequence[str], lang: str, catalogue: Catalogue | None) -> list[dict[str, Any]]:
    """One reply per category's crisis card (at most ``MAX_CRISIS_CARDS``), contacts from the catalogue;
    without a valid catalogue, 112 alone, which is always right."""
    if catalogue is None:
        return [
            {"text": resident_text("crisis_in_danger", lang), "custom": _bare_crisis(category)}
            for category in list(dict.fromkeys(categories))[:MAX_CRISIS_CARDS]
        ]
    cards = crisis_cards(catalogue, categories, lang)
    return [{"text": card["text"], "custom": card["payload"]} for card in cards]


def _bare_crisis(category: str) -> dict[str, Any]:
    return {
        "type": "crisis",
        "category": category,
        "contacts": [{"name": "Hätänumero", "phone": "112", "hours": "24/7"}],
    }


def crisis_replies_for_refused(
    text: str, lang: str, catalogue: Catalogue | None, max_chars: int
) -> list[dict[str, Any]]:
    """Crisis cards for a message the gateway refuses (too long, too many): it is not stored or sent on, but
    an acute signal in it still gets its category's card in the error body. Patterns only (no encoder):
    this runs on refused requests, which a flood makes many of, so it must stay cheap."""
    assessment = pattern_assessment(redact(text[:max_chars]).text)
    acute = [s.category for s in assessment.signals if s.severity is Severity.ACUTE]
    return crisis_replies(acute, lang, catalogue) if acute else []
