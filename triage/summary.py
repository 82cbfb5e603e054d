"""A short ISBAR-like case summary a worker reads in one go.

Deterministic (no model): the same conversation gives the same text, so what the worker reads can be
checked against the transcript. Headings are fixed and in ISBAR order; Identify is folded into TILANNE.
Quotes are the resident's already redacted words ([nimi], [puhelinnumero] stay as they are).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from triage.categories import CATEGORIES, URGENCY_BY_SEVERITY, Severity
from triage.screening import RiskAssessment
from triage.segment import SegmentSuggestion

MAX_CHARS = 1200
_SEVERITY_FI = {Severity.ACUTE: "akuutti", Severity.URGENT: "kiireellinen", Severity.CONCERN: "huoli"}
_CONTACT_FI = {"callback": "soittopyyntö", "self": "ottaa itse yhteyttä", "unknown": "ei vielä sovittu"}
_QUESTION_FI = {
    "coping": "arjessa pärjääminen",
    "services": "käytössä olevat palvelut",
    "support": "läheisten tuki",
}
_NEXT_STEP = {
    Severity.ACUTE: "Ota yhteyttä HETI (sama päivä, ensi tilassa). "
    "Jos asukasta ei tavoiteta ja vaara jatkuu: 112 tai sosiaalipäivystys.",
    Severity.URGENT: "Ota yhteyttä samana päivänä.",
    Severity.CONCERN: "Tarjoa yhteydenotto tavanomaisessa aikataulussa; huomioi huolen aiheet.",
}
# Background cues worth a worker's eye (ISBAR B), read from the resident's own words.
_BACKGROUND = (
    (re.compile(r"\b(?:lapsi|lapset|lapseni|lasten|lapsia|vauva\w*|kuopus|esikoinen)\b", re.I),
     "lapsia mainittu"),
    (re.compile(r"\basun\s+yksin|\byksin\s?asuva|\byksineni\b", re.I), "asuu yksin"),
    (re.compile(r"\btyöt[oö]n|\bmenetin\s+työ|\blomautet|\birtisanottiin\s+töistä|\btyöttömyy", re.I),
     "työttömyys tai työn menetys"),
    (re.compile(r"\beläk(?:e|keellä|keelle|eläinen)", re.I), "eläke mainittu"),
    (re.compile(r"\bopiskel", re.I), "opiskelija"),
    (re.compile(r"\bkela\b|\btoimeentulotu|\basumistu", re.I), "Kelan etuuksia mainittu"),
    (re.compile(r"\bomaishoi", re.I), "omaishoitotilanne"),
)


# The contract's urgency values, in the words a Finnish worker reads (the value in brackets is the API's).
_URGENCY_FI = {
    "acute": "välitön (acute)",
    "urgent": "kiireellinen, sama päivä (urgent)",
    "normal": "tavallinen (normal)",
}

def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _situation(messages: Sequence[str], limit: int) -> str:
    words = " / ".join(" ".join(m.split()) for m in messages if m and m.strip())
    return f"\"{_cut(words, limit)}\"" if words else "(ei omia viestejä)"


def _identity(consent: bool, contact: dict, municipality: str | None, acute: bool) -> str:
    method = _CONTACT_FI.get(str(contact.get("method") or "unknown"), str(contact.get("method")))
    if consent:
        consent_text = "suostumus välittämiseen: kyllä"
    elif acute:
        consent_text = "välitetty ilman suostumusta akuutin riskin vuoksi"
    else:
        consent_text = "suostumus: ei"
    return f"Anonyymi asukas; yhteystapa: {method}; kunta: {municipality or 'ei tiedossa'}; {consent_text}."


def build_triage_summary(
    *,
    resident_messages: Sequence[str],
    assessment: RiskAssessment,
    segment: SegmentSuggestion,
    consent: bool,
    contact: dict,
    advised: Sequence[str],
    municipality: str | None,
) -> str:
    severity = assessment.severity
    acute = severity is Severity.ACUTE
    cues = [label for pattern, label in _BACKGROUND if pattern.search(" ".join(resident_messages))]
    open_questions = [_QUESTION_FI[q] for q in segment.questions_needed if q in _QUESTION_FI]
    if acute:
        open_questions.insert(0, "onko välitöntä vaaraa nyt")
    next_step = _NEXT_STEP[severity] if severity else "Tavanomainen palveluohjaus."
    advised_text = ", ".join(_cut(a, 60) for a in advised[:5]) if advised else "ei ohjauksia"

    def signal_lines(quote_limit: int, max_signals: int) -> list[str]:
        lines = [
            f"- {CATEGORIES[s.category].label} ({_SEVERITY_FI[s.severity]}): "
            f"\"{_cut(s.quote, quote_limit)}\" (viesti {s.message_index + 1})"
            for s in assessment.signals[:max_signals]
        ]
        if len(assessment.signals) > max_signals:
            lines.append(f"- ja {len(assessment.signals) - max_signals} muuta: "
                         + ", ".join(CATEGORIES[c].label for c in assessment.categories[max_signals:]))
        return lines or ["- Ei riskisignaaleja."]

    def render(situation_limit: int, quote_limit: int, max_signals: int) -> str:
        background = f"Mainittu: {', '.join(cues)}." if cues else "Ei taustatietoja keskustelussa."
        return "\n".join(
            [
                "TILANNE",
                _identity(consent, contact, municipality, acute),
                f"Asukkaan sanoin: {_situation(resident_messages, situation_limit)}",
                "",
                "TAUSTA",
                f"Viestejä {len(resident_messages)}. {background} Ikäryhmä ja kotitalous: tarkista.",
                "",
                "ARVIO",
                *signal_lines(quote_limit, max_signals),
                f"Kiireellisyys: {_URGENCY_FI[URGENCY_BY_SEVERITY[severity] if severity else 'normal']}.",
                f"Segmenttiehdotus: {segment.segment} {segment.name}. " + " ".join(segment.reasons),
                "",
                "TOIMENPIDESUOSITUS",
                next_step,
                f"Avustaja ohjasi jo: {advised_text}.",
                "Avoimet kysymykset: " + (", ".join(open_questions) if open_questions else "ei") + ".",
                "Tekoälyavustajan koostama, ei hoidon tarpeen arvio.",
            ]
        )

    # Shorten the resident's running text first, then quotes, then the number of quoted signals:
    # the structured parts are what the worker acts on.
    steps = [(300, 110, 4), (200, 110, 4), (120, 90, 4), (80, 70, 3), (60, 60, 2), (40, 50, 2)]
    text = ""
    for situation_limit, quote_limit, max_signals in steps:
        text = render(situation_limit, quote_limit, max_signals)
        if len(text) <= MAX_CHARS:
            break
    return text
