"""The assessed fields of a case (urgency, segment, signals, triage summary), from plain data.

One function for every path that stores a case: the action server (from the dialogue's slots) and the
gateway while Rasa is down (from the transcript it holds), so a worker reads the same kind of case whichever
path stored it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from triage.assessment import RiskAssessment
from triage.categories import URGENCY_BY_SEVERITY
from triage.segment import SelfAssessment, suggest_segment
from triage.summary import build_triage_summary


def urgency_of(assessment: RiskAssessment) -> str:
    return URGENCY_BY_SEVERITY[assessment.severity] if assessment.severity else "normal"


def case_fields(
    *,
    resident_messages: Sequence[str],
    assessment: RiskAssessment,
    answers: SelfAssessment,
    consent: bool,
    contact: dict[str, Any],
    advised: Sequence[str] = (),
    municipality: str | None = None,
) -> dict[str, Any]:
    """``urgency``, ``segment``, ``segment_reasons``, ``risk_signals`` and ``summary`` of a conversation."""
    segment = suggest_segment(assessment, answers)
    summary = build_triage_summary(
        resident_messages=resident_messages,
        assessment=assessment,
        segment=segment,
        consent=consent,
        contact=contact,
        advised=advised,
        municipality=municipality,
    )
    return {
        "urgency": urgency_of(assessment),
        "segment": segment.segment,
        "segment_reasons": list(segment.reasons),
        "risk_signals": [
            {"category": s.category, "severity": s.severity.name.lower(), "quote": s.quote}
            for s in assessment.signals
        ],
        "summary": summary,
    }
