"""Crisis cards as the gateway sends them itself (live chat, Rasa down), in the contract's reply shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.resident_texts import resident_text
from service_catalogue.cards import MAX_CRISIS_CARDS, crisis_cards
from service_catalogue.loader import Catalogue


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
