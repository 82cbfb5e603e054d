"""Risk categories the screening can raise, with their default severity.

The ids are a contract: the dialogue, the service catalogue (crisis cards) and the gateway all key on
them. Labels are short Finnish phrases a worker or resident reads in a reply or a case summary.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """How fast a human must act. IntEnum so severities compare and ``max()`` works."""

    CONCERN = 1  # offer a human
    URGENT = 2  # a case the same day, with consent
    ACUTE = 3  # crisis contacts now and a case at once


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    severity: Severity


_ALL = (
    Category("suicide_self_harm", "itsetuhoisuus", Severity.ACUTE),
    Category("overdose_poisoning", "myrkytys tai yliannostus", Severity.ACUTE),
    Category("medical_emergency", "hätätilanne terveydessä", Severity.ACUTE),
    Category("domestic_violence", "lähisuhdeväkivalta", Severity.ACUTE),
    Category("child_at_risk", "lapsen turvallisuus", Severity.ACUTE),
    Category("threat_to_others", "uhka muille tai psykoottiset kokemukset", Severity.ACUTE),
    Category("substance_crisis", "päihdekriisi", Severity.URGENT),
    Category("no_money_food_medicine", "ei rahaa ruokaan tai lääkkeisiin", Severity.URGENT),
    Category("eviction_homelessness", "häätö tai asunnottomuus", Severity.URGENT),
    Category("older_relative_not_managing", "ikääntynyt ei pärjää", Severity.URGENT),
    Category("exploitation_threats", "uhkailu, kiristys tai hyväksikäyttö", Severity.URGENT),
    Category("not_coping", "arjessa jaksaminen", Severity.CONCERN),
    Category("digital_exclusion", "ei pysty asioimaan digitaalisesti", Severity.CONCERN),
)

CATEGORIES: dict[str, Category] = {category.id: category for category in _ALL}

# Case urgency in the gateway contract.
URGENCY_BY_SEVERITY: dict[Severity, str] = {
    Severity.ACUTE: "acute",
    Severity.URGENT: "urgent",
    Severity.CONCERN: "normal",
}
