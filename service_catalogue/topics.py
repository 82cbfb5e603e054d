"""The self-service topics the assistant knows.

One list shared by the NLU (intent ``ask_<topic>``), the catalogue (``topics`` of each service) and the
dialogue (labels for clarifying buttons). Adding a topic means adding it here, to the NLU data and
to at least one catalogue entry; tests check that the three agree.
"""

from __future__ import annotations

# topic id -> short Finnish label shown on buttons
TOPICS: dict[str, str] = {
    "symptoms": "Oireet ja hoidon tarve",
    "health_centre": "Terveysaseman ajanvaraus ja yhteydenotto",
    "dental_care": "Suun terveydenhuolto",
    "child_clinic": "Neuvola",
    "laboratory": "Laboratorio",
    "vaccinations": "Rokotukset",
    "prescriptions": "Reseptit",
    "rehabilitation": "Fysioterapia ja kuntoutus",
    "mental_health": "Mielen hyvinvointi",
    "substance_use": "Päihteet ja riippuvuudet",
    "social_assistance": "Toimeentulotuki",
    "housing_allowance": "Asumistuki",
    "unemployment": "Työttömyys ja työnhaku",
    "sickness_allowance": "Sairauspäiväraha",
    "child_benefits": "Lapsiperheen tuet",
    "student_support": "Opintotuki",
    "kela_eservices": "Kelan asiointi ja kortit",
    "debt_advice": "Velat ja talousneuvonta",
    "caregivers": "Omaishoito",
    "older_people": "Ikääntyneen läheisen palvelut",
    "loneliness": "Yksinäisyys ja vertaistuki",
    "digital_help": "Apua digiasiointiin",
    "contacts": "Aukioloajat ja yhteystiedot",
}

INTENT_PREFIX = "ask_"


def topic_for_intent(intent: str | None) -> str | None:
    """Map an NLU intent name to its topic id, or None when it is not a topic intent."""
    if not intent or not intent.startswith(INTENT_PREFIX):
        return None
    topic = intent[len(INTENT_PREFIX):]
    return topic if topic in TOPICS else None


def intent_for_topic(topic: str) -> str:
    return f"{INTENT_PREFIX}{topic}"
