"""Entity values in their base form: "Vantaalla" -> Vantaa, "mun äidille" -> parent.

DIET returns the inflected surface form, and Rasa's EntitySynonymMapper only matches exact strings,
so every inflected form would otherwise have to be listed. Voikko gives the base form; among its
readings we take the one that is a known municipality (or a place name at all).
"""

from __future__ import annotations

import re

from finnish_nlu.lemmatizer import lemma
from finnish_nlu.municipalities import MUNICIPALITIES
from finnish_nlu.voikko_analyser import analyse

_WORD = re.compile(r"[\wåäöÅÄÖ-]+")
_BY_LOWER = {name.lower(): name for name in MUNICIPALITIES}
# Locative endings, longest first, for the case where Voikko is missing or does not know the name.
_CASE_ENDINGS = (
    "ssa",
    "ssä",
    "sta",
    "stä",
    "lla",
    "llä",
    "lta",
    "ltä",
    "lle",
    "han",
    "hin",
    "seen",
    "n",
    "an",
    "en",
    "in",
    "on",
    "un",
    "yn",
    "än",
    "ön",
)

# Canonical person roles (the catalogue maps them to target groups) and the base forms that mean them.
PERSON_ROLES: dict[str, frozenset[str]] = {
    "child": frozenset(
        {
            "lapsi",
            "poika",
            "tytär",
            "vauva",
            "teini",
            "nuori",
            "skidi",
            "kakara",
            "muksu",
            "taapero",
            "vastasyntynyt",
            "koululainen",
            "lapsukainen",
            "child",
            "barn",
            "kid",
            "son",
            "daughter",
        }
    ),
    "parent": frozenset(
        {
            "äiti",
            "isä",
            "vanhempi",
            "mutsi",
            "faija",
            "äiskä",
            "iskä",
            "mother",
            "father",
            "mamma",
            "mor",
            "far",
            "mom",
            "dad",
        }
    ),
    "grandparent": frozenset(
        {
            "mummo",
            "mummi",
            "mummu",
            "isoäiti",
            "vaari",
            "ukki",
            "pappa",
            "isoisä",
            "isovanhempi",
            "grandmother",
            "grandfather",
            "farmor",
            "mormor",
            "farfar",
            "morfar",
        }
    ),
    "partner": frozenset(
        {
            "vaimo",
            "mies",
            "puoliso",
            "kumppani",
            "avopuoliso",
            "avomies",
            "avovaimo",
            "aviomies",
            "husband",
            "wife",
            "partner",
            "make",
            "maka",
        }
    ),
    "self": frozenset({"minä", "itse", "myself", "jag", "själv"}),
}
_ROLE_BY_WORD = {word: role for role, words in PERSON_ROLES.items() for word in words}


def normalise_municipality(value: str) -> str | None:
    """Base form of a municipality name, or None when ``value`` names none we can recognise."""
    text = value.strip()
    if not text:
        return None
    if text.lower() in _BY_LOWER:
        return _BY_LOWER[text.lower()]
    for word in (text, text.capitalize()):
        readings = analyse(word)
        for reading in readings:
            base = reading.get("BASEFORM", "")
            if base.lower() in _BY_LOWER:
                return _BY_LOWER[base.lower()]
        for reading in readings:
            if reading.get("CLASS") == "paikannimi":
                return reading["BASEFORM"]
    lower = text.lower()
    for ending in _CASE_ENDINGS:
        stem = lower[: -len(ending)] if lower.endswith(ending) else ""
        for candidate in (stem, stem + "a", stem + "ä", stem + "i"):
            if candidate and candidate in _BY_LOWER:
                return _BY_LOWER[candidate]
    return None


def find_municipality(text: str) -> tuple[str, int, int] | None:
    """The first known municipality in free text, as (base form, start, end), for when NLU missed it."""
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) < 4:
            continue
        readings = analyse(word) or analyse(word.capitalize())
        for reading in readings:
            base = reading.get("BASEFORM", "")
            if reading.get("CLASS") == "paikannimi" and base.lower() in _BY_LOWER:
                return _BY_LOWER[base.lower()], match.start(), match.end()
    return None


def normalise_person(value: str) -> str | None:
    """Canonical role (child, parent, grandparent, partner, self) for who needs help, or None."""
    if value in PERSON_ROLES:
        return value
    for word in reversed(_WORD.findall(value.lower())):
        # "mun äidille": the head noun comes last.
        for form in (word, lemma(word)):
            if form in _ROLE_BY_WORD:
                return _ROLE_BY_WORD[form]
    return None
