"""Service and crisis cards in the shapes of /work/shared/contract.md, each with a plain-text fallback."""

from __future__ import annotations

from typing import Any

from service_catalogue.loader import Catalogue
from service_catalogue.models import Service
from service_catalogue.search import crisis_services


def service_card(service: Service, lang: str = "fi") -> dict[str, Any]:
    """Contract shape ``service_card`` (+ optional ``steps``). Missing url/phone/hours are None."""
    card: dict[str, Any] = {
        "type": "service_card",
        "service_id": service.id,
        "provider_type": service.provider_type.value,
        "name": service.name.get(lang),
        "summary": service.summary.get(lang),
        "url": service.primary_url,
        "phone": service.primary_phone,
        "hours": service.hours_text(lang),
    }
    if service.self_service_steps:
        card["steps"] = [step.get(lang) for step in service.self_service_steps]
    return card


_LABELS = {
    "fi": {"phone": "Puh.", "web": "Verkossa", "hours": "Aukiolo"},
    "sv": {"phone": "Tfn", "web": "På nätet", "hours": "Öppet"},
    "en": {"phone": "Tel.", "web": "Online", "hours": "Hours"},
}


def service_card_text(service: Service, lang: str = "fi") -> str:
    """Plain-text fallback for channels that cannot show cards: name, summary, first step, url, phone."""
    labels = _LABELS.get(lang, _LABELS["fi"])
    lines = [f"{service.name.get(lang)}: {service.summary.get(lang)}"]
    if service.self_service_steps:
        lines.append(service.self_service_steps[0].get(lang))
    if service.primary_url:
        lines.append(f"{labels['web']}: {service.primary_url}")
    if service.primary_phone:
        phone = f"{labels['phone']} {service.primary_phone}"
        hours = service.hours_text(lang)
        lines.append(f"{phone} ({hours})" if hours else phone)
    return "\n".join(lines)


_CRISIS_INTRO = {
    "fi": "Apua on saatavilla nyt. Voit ottaa yhteyttä näihin:",
    "sv": "Hjälp finns att få nu. Du kan kontakta:",
    "en": "Help is available now. You can contact:",
}
_CRISIS_OUTRO = {
    "fi": "Jos joku on välittömässä vaarassa, soita 112.",
    "sv": "Om någon är i omedelbar fara, ring 112.",
    "en": "If someone is in immediate danger, call 112.",
}


# Contacts first, but not a wall of cards: at most this many crisis cards in one reply.
MAX_CRISIS_CARDS = 2


def crisis_cards(catalogue: Catalogue, categories: list[str], lang: str = "fi") -> list[dict[str, Any]]:
    """The crisis cards for the acute categories of one message, each once, at most MAX_CRISIS_CARDS."""
    return [crisis_card(catalogue, c, lang) for c in list(dict.fromkeys(categories))[:MAX_CRISIS_CARDS]]


def crisis_card(catalogue: Catalogue, category: str, lang: str = "fi") -> dict[str, Any]:
    """``{"text": fallback, "payload": {"type": "crisis", ...}}`` with the contacts of the category.

    Uses the editor-ordered list in crisis_contacts.yaml; falls back to every service tagged with the
    category, and to 112 alone if the category is unknown, so a crisis never gets an empty card.
    """
    ids = catalogue.crisis_contacts.get(category)
    services = [catalogue.services[i] for i in ids if i in catalogue.services] if ids else []
    if not services:
        services = crisis_services(catalogue, category)
    contacts = [
        {"name": s.name.get(lang), "phone": s.primary_phone, "hours": s.hours_text(lang)} for s in services
    ]
    if not contacts:
        contacts = [{"name": "112", "phone": catalogue.county.emergency_number, "hours": None}]

    lines = [_CRISIS_INTRO.get(lang, _CRISIS_INTRO["fi"])]
    for service, contact in zip(services, contacts, strict=False):
        how = contact["phone"] or service.primary_url or ""
        hours = f" ({contact['hours']})" if contact["hours"] else ""
        lines.append(f"- {contact['name']}: {how}{hours}".rstrip(": "))
    if not services:
        lines.append(f"- {catalogue.county.emergency_number}")
    lines.append(_CRISIS_OUTRO.get(lang, _CRISIS_OUTRO["fi"]))
    return {
        "text": "\n".join(lines),
        "payload": {"type": "crisis", "category": category, "contacts": contacts},
    }


# The direct question carries the first contacts of the category's crisis card: 112 and its 24/7 line.
QUESTION_CONTACTS = 2


def question_card(catalogue: Catalogue, category: str, question: str, lang: str = "fi") -> dict[str, Any]:
    """``{"text": fallback, "payload": {"type": "risk_question", ...}}``: the direct question of "ask, don't
    guess", with 112 and the category's 24/7 line, so the contacts are there before the resident answers."""
    contacts = crisis_card(catalogue, category, lang)["payload"]["contacts"][:QUESTION_CONTACTS]
    lines = [question, *(f"- {c['name']}: {c['phone']}" for c in contacts if c.get("phone"))]
    return {
        "text": "\n".join(lines),
        "payload": {
            "type": "risk_question", "category": category, "question": question, "contacts": contacts,
        },
    }
