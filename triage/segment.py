"""A suggested customer segment (asiakkuus) from the four-field model, for a worker to confirm.

The seeds (Kerava/Helsinki "Neljä erilaista asiakkuutta", after Koivuniemi et al. 2014) place segments in
a four-field: *arjessa pärjääminen* (helppoa / vaikeaa) against *terveys- ja hyvinvointiriskien määrä /
palvelujen tarve* (vähän / paljon):

    coping easy, need little -> 1 omatoimiasiakkuus
    coping hard, need little -> 2 tukiasiakkuus
    coping easy, need much   -> 3 yhteistyoasiakkuus
    coping hard, need much   -> 4 huolenpitoasiakkuus

This is only a suggestion: segmenting can gate access to services (AI Act Annex III 5(a)), so the worker
decides, and every suggestion says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.categories import CATEGORIES, Severity
from triage.screening import RiskAssessment

SEGMENT_NAMES: dict[int, str] = {
    1: "omatoimiasiakkuus",
    2: "tukiasiakkuus",
    3: "yhteistyoasiakkuus",
    4: "huolenpitoasiakkuus",
}
WORKER_DECIDES = "Ehdotus perustuu keskusteluun; ammattilainen arvioi ja päättää asiakkuuden."
QUESTIONS = ("coping", "services", "support")


@dataclass(frozen=True)
class SelfAssessment:
    coping: str | None = None  # "hyvin" | "vaihtelevasti" | "huonosti"
    services: str | None = None  # "ei" | "jokin" | "monta"
    support: str | None = None  # "kylla" | "vahan" | "ei"


@dataclass(frozen=True)
class SegmentSuggestion:
    segment: int
    name: str
    reasons: tuple[str, ...]
    questions_needed: tuple[str, ...]


def _coping_hard(assessment: RiskAssessment, answers: SelfAssessment) -> tuple[bool, str]:
    if answers.coping == "huonosti":
        return True, "asukas arvioi pärjäävänsä arjessa huonosti"
    if answers.coping == "vaihtelevasti" and answers.support in ("ei", "vahan"):
        return True, "pärjääminen vaihtelee eikä tukea juuri ole"
    if "not_coping" in assessment.categories:
        return True, "keskustelussa ilmeni jaksamisen vaikeuksia"
    if answers.coping is None and assessment.severity is Severity.ACUTE:
        # Nobody asks self-assessment questions in a crisis: assume the harder side.
        return True, "akuutissa tilanteessa pärjääminen oletetaan vaikeaksi"
    if answers.coping == "vaihtelevasti":
        return False, "pärjääminen vaihtelee, mutta tukea on"
    if answers.coping == "hyvin":
        return False, "asukas arvioi pärjäävänsä arjessa hyvin"
    return False, "pärjäämisestä ei ole tietoa; oletettu helpoksi"


def _need_much(assessment: RiskAssessment, answers: SelfAssessment) -> tuple[bool, str]:
    severity = assessment.severity
    if severity is not None and severity >= Severity.URGENT:
        labels = ", ".join(CATEGORIES[c].label for c in assessment.categories[:3])
        return True, f"riskisignaaleja ({labels})"
    if answers.services == "monta":
        return True, "asukkaalla on useita palveluja käytössä"
    if len(assessment.categories) >= 2:
        return True, "useita huolen aiheita"
    if answers.services == "jokin":
        return False, "yksi palvelu käytössä"
    if answers.services == "ei":
        return False, "ei palveluja käytössä"
    return False, "palvelutarpeesta ei ole tietoa; oletettu vähäiseksi"


def suggest_segment(assessment: RiskAssessment, answers: SelfAssessment) -> SegmentSuggestion:
    hard, coping_reason = _coping_hard(assessment, answers)
    much, need_reason = _need_much(assessment, answers)
    segment = {(False, False): 1, (True, False): 2, (False, True): 3, (True, True): 4}[(hard, much)]
    reasons = [
        f"Arjessa pärjääminen {'vaikeaa' if hard else 'helppoa'}: {coping_reason}.",
        f"Riskit ja palvelutarve {'paljon' if much else 'vähän'}: {need_reason}.",
    ]
    acute = assessment.severity is Severity.ACUTE
    if acute:
        reasons.append("Akuutti riski ohittaa segmentoinnin: ohjaa heti ammattilaiselle.")
    reasons.append(WORKER_DECIDES)
    # In a crisis nobody should be asked questionnaires; otherwise ask only what is still unknown.
    questions = () if acute else tuple(q for q in QUESTIONS if getattr(answers, q) is None)
    return SegmentSuggestion(segment, SEGMENT_NAMES[segment], tuple(reasons), questions)
