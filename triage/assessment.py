"""The result of risk screening: signals (with the resident's words that raised them) per conversation."""

from __future__ import annotations

from dataclasses import dataclass

from triage.categories import Severity

MAX_QUOTE = 200


@dataclass(frozen=True)
class RiskSignal:
    category: str
    severity: Severity
    quote: str  # the resident's (already redacted) words that raised it, at most MAX_QUOTE characters
    message_index: int


@dataclass(frozen=True)
class RiskAssessment:
    signals: tuple[RiskSignal, ...] = ()
    # Acute categories the screening is unsure about (cues, or a learned score below the crisis threshold):
    # the dialogue asks the resident directly instead of guessing. Never a category already in ``signals``.
    possible: tuple[RiskSignal, ...] = ()

    @property
    def severity(self) -> Severity | None:
        return max((s.severity for s in self.signals), default=None)

    @property
    def categories(self) -> tuple[str, ...]:
        # sorted() is stable, so equal severities keep the order they were first seen in.
        ordered = sorted(self.signals, key=lambda s: -s.severity)
        return tuple(dict.fromkeys(s.category for s in ordered))



    def with_confirmed(self, confirmed: list[RiskSignal]) -> RiskAssessment:
        """This assessment plus acute signals the resident confirmed by answering the direct question."""
        known = {(s.category, s.severity) for s in self.signals}
        extra = tuple(s for s in confirmed if (s.category, s.severity) not in known)
        if not extra:
            return self
        signals = tuple(sorted((*self.signals, *extra), key=lambda s: (-s.severity, s.message_index)))
        kept = {s.category for s in signals if s.severity is Severity.ACUTE}
        return RiskAssessment(signals, tuple(p for p in self.possible if p.category not in kept))

    def to_dict(self) -> dict[str, list[dict[str, object]]]:
        """JSON-friendly form, for the slot the screening policy hands to the action server."""
        return {"signals": [signal_to_dict(s) for s in self.signals],
                "possible": [signal_to_dict(s) for s in self.possible]}

    @classmethod
    def from_dict(cls, data: dict[str, list[dict[str, object]]]) -> RiskAssessment:
        return cls(tuple(signal_from_dict(s) for s in data.get("signals") or []),
                   tuple(signal_from_dict(s) for s in data.get("possible") or []))


def signal_to_dict(signal: RiskSignal) -> dict[str, object]:
    return {"category": signal.category, "severity": signal.severity.name.lower(), "quote": signal.quote,
            "message_index": signal.message_index}


def signal_from_dict(data: dict[str, object]) -> RiskSignal:
    return RiskSignal(str(data["category"]), Severity[str(data["severity"]).upper()],
                      str(data.get("quote") or ""), int(str(data.get("message_index") or 0)))
