"""Which risk signals the dialogue has already acted on.

The dialogue keeps a list of ``"<category>:<severity>"`` strings in the ``risk_handled`` slot, so the
same signal does not trigger the crisis reply again on every later message, while a new category or
a higher severity still does. ``"<category>:asked"`` records that the direct question was asked for a
category: it is not asked again (a clear no is remembered), though a clear signal still gets the card.
"""

from __future__ import annotations

from collections.abc import Iterable

from triage.assessment import RiskAssessment, RiskSignal
from triage.categories import Severity

ASKED = "asked"


def asked_key(category: str) -> str:
    return f"{category}:{ASKED}"


def handled_key(signal: RiskSignal) -> str:
    return f"{signal.category}:{signal.severity.name.lower()}"


def handled_from_case(risk_signals: Iterable[dict] | None) -> list[str]:
    """A stored case's signals as handled keys: outside the dialogue (live chat, Rasa down) the case plays the
    part of the ``risk_handled`` slot, each category known at its stored severity."""
    return [f"{s.get('category')}:{s.get('severity')}" for s in risk_signals or []]


def _handled_levels(handled: Iterable[str]) -> dict[str, Severity]:
    levels: dict[str, Severity] = {}
    for item in handled:
        category, _, severity_name = str(item).partition(":")
        if severity_name == ASKED:
            continue
        try:
            severity = Severity[severity_name.upper()]
        except KeyError:
            continue
        if category not in levels or severity > levels[category]:
            levels[category] = severity
    return levels


def unhandled_signals(assessment: RiskAssessment, handled: Iterable[str]) -> list[RiskSignal]:
    """Signals whose category has not been handled at this severity or higher."""
    levels = _handled_levels(handled)
    return [
        signal
        for signal in assessment.signals
        if signal.category not in levels or signal.severity > levels[signal.category]
    ]


def mark_handled(assessment: RiskAssessment, handled: Iterable[str]) -> list[str]:
    """The new slot value after the dialogue has acted on ``assessment``."""
    keys = list(dict.fromkeys([*handled, *(handled_key(s) for s in assessment.signals)]))
    return keys


def unhandled_possible(assessment: RiskAssessment, handled: Iterable[str]) -> list[RiskSignal]:
    """Possible acute categories worth the direct question: not asked yet, not already handled as acute."""
    items = {str(item) for item in handled}
    levels = _handled_levels(items)
    return [
        signal for signal in assessment.possible
        if asked_key(signal.category) not in items and levels.get(signal.category) is not Severity.ACUTE
    ]
