"""Risk screening of a conversation: patterns, the learned screen, and when to ask instead of guessing.

Every resident message (already redacted) goes through, in order of what matters for safety:

1. **Patterns** (``triage.patterns``): precise and explainable; their quote is what the worker reads.
2. **The learned screen** (``triage.learned``), trained on many independent writers, on the message alone
   and on the last ``WINDOW`` turns read together, so that a signal spread over turns adds up ("is the
   night clinic open?" + "my son cut his leg and it's spurting"). It adds what the patterns missed.
3. **Vetoes, both ways**: where the pattern layer knows the words are negated, a figure of speech, fiction,
   a learner's question or a past that is over, the learned category is dropped
   (``patterns.not_a_person_at_risk``, ``patterns.harmless_mask``): patterns stay precise vetoes. Where a
   pattern fires but the learned screen finds the text implausible as a crisis (below ``pattern_confirm``,
   chosen on writers it never saw), the pattern's acute finding becomes a direct question, not a card.
4. **Tiers**: an acute score at the crisis threshold is a signal (crisis card); a lower one, or a cue of a
   warning-sign family (``risk_categories/*/category.yaml``), is *possible*: the dialogue asks the resident
   directly ("ask, don't guess"), and a yes or an unclear answer is acute.
5. **Cumulation**: two different concern-level findings, or the same one in three messages, raise the
   concern-level signals to URGENT ("en jaksa" + "en syö" → not_coping urgent).

Cost: a message's findings and a window's learned findings are cached by their text, so screening the
whole conversation again on every turn costs one new message and one new window, however long it is.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

from triage.assessment import MAX_QUOTE, RiskAssessment, RiskSignal
from triage.categories import Severity
from triage.learned import ACUTE, URGENT
from triage.patterns import (
    Finding,
    assessment_of,
    cue_categories,
    distant_past,
    findings,
    harmless_mask,
    not_a_person_at_risk,
    pattern_assessment,
)
from triage.text import TOKEN, normalise
from triage.train import current_model
from triage.training_data import WINDOW, conversation_text

__all__ = ["RiskAssessment", "RiskSignal", "pattern_assessment", "screen_conversation", "screen_message"]

# A second acute category is shown too when its share of the acute score is at least this (an overdose that
# is also a medical emergency), so the contacts of both come first.
SECOND_CATEGORY_SHARE = 0.35
# One-word messages ("kiitos", "ok") carry too little for the learned screen; the patterns still see them.
MIN_WORDS = 2


@dataclasses.dataclass(frozen=True)
class _Screened:
    """Findings of one text: signals (as pattern findings) and acute categories worth asking about."""

    signals: tuple[Finding, ...]
    possible: tuple[Finding, ...]


def _as_written(norm: str, original: str) -> str:
    """``original`` with the characters blanked in ``norm`` blanked too (``normalise`` keeps positions)."""
    if len(original) != len(norm):
        return norm
    return "".join(" " if n == " " and o != " " else o for n, o in zip(norm, original, strict=True))


def _acute_sum(probabilities: dict[str, float]) -> float:
    return sum(probabilities[c] for c in ACUTE)


def _quote(text: str) -> str:
    return " ".join(text.split())[:MAX_QUOTE]


@functools.lru_cache(maxsize=8192)
def _probabilities(text: str) -> dict[str, float]:
    """The learned screen's probabilities for a text, once per text: a message is scored for the pattern
    confirmation and for its own signals, a masked text may be scored for several categories."""
    return current_model().probabilities(text)


def _learned(text: str, second_category: bool = True) -> _Screened:
    """The learned screen's signals and possible categories for one text (a message or a window);
    ``second_category``: also a runner-up acute category with enough of the score (not for windows, where
    the runner-up is mostly an echo of an earlier message)."""
    if len(TOKEN.findall(text)) < MIN_WORDS:
        return _Screened((), ())
    limits = current_model().thresholds
    probabilities = _probabilities(text)
    norm = normalise(text)
    signals: list[Finding] = []
    possible: list[Finding] = []
    severity_of_past = Severity.CONCERN if distant_past(norm) else None

    acute_score = _acute_sum(probabilities)
    if acute_score >= limits["acute_ask"]:
        ranked = sorted(ACUTE, key=lambda c: -probabilities[c])
        top = ranked[0]
        if not not_a_person_at_risk(top, norm):
            masked = harmless_mask(norm, top)
            if masked != norm:  # re-score without the negated, idiomatic and excluded words
                acute_score = _acute_sum(_probabilities(_as_written(masked, text)))
            if acute_score >= limits["acute_card"]:
                chosen = [top] + [c for c in ranked[1:2] if second_category
                                  and probabilities[c] >= SECOND_CATEGORY_SHARE * probabilities[top]]
                severity = severity_of_past or Severity.ACUTE
                signals += [Finding(c, severity, _quote(text), 0, f"learned:{c}") for c in chosen]
            elif acute_score >= limits["acute_ask"]:
                possible.append(Finding(top, Severity.ACUTE, _quote(text), 0, f"learned:{top}"))

    for category in URGENT:
        if probabilities[category] < limits["urgent"] or not_a_person_at_risk(category, norm):
            continue
        masked = harmless_mask(norm, category)
        if masked != norm and _probabilities(_as_written(masked, text))[category] < limits["urgent"]:
            continue
        signals.append(Finding(category, severity_of_past or Severity.URGENT, _quote(text), 0,
                               f"learned:{category}"))
    return _Screened(tuple(signals), tuple(possible))


def _confirmed_by_learned(found: list[Finding], text: str) -> tuple[list[Finding], list[Finding]]:
    """(kept, demoted): a pattern's acute finding in a text the learned screen finds implausible
    (``pattern_confirm``) is asked about instead of answered with the crisis card."""
    if len(TOKEN.findall(text)) < MIN_WORDS or not any(f.severity is Severity.ACUTE for f in found):
        return found, []
    if _acute_sum(_probabilities(text)) >= current_model().thresholds.get("pattern_confirm", 0.0):
        return found, []
    kept = [f for f in found if f.severity is not Severity.ACUTE]
    return kept, [f for f in found if f.severity is Severity.ACUTE]


def _cue_plausible(category: str, text: str) -> bool:
    """A cue is a reason to ask unless the learned screen finds its category implausible in this text (too
    short a text to score keeps the cue)."""
    if len(TOKEN.findall(text)) < MIN_WORDS:
        return True
    return _probabilities(text)[category] >= current_model().thresholds.get("cue_confirm", 0.0)


@functools.lru_cache(maxsize=8192)
def _message(text: str) -> _Screened:
    """Patterns (confirmed by the learned screen), then the learned screen for what the patterns did not
    find, then the cues. Cached by text."""
    if not text or not text.strip():
        return _Screened((), ())
    pattern_findings, demoted = _confirmed_by_learned(findings(text, 0), text)
    learned = _learned(text)
    found = {f.category for f in pattern_findings}
    signals = [*pattern_findings, *(f for f in learned.signals if f.category not in found)]
    possible = [*demoted, *learned.possible]
    norm = normalise(text)
    for category, words in cue_categories(norm):
        if not not_a_person_at_risk(category, norm) and _cue_plausible(category, text):
            possible.append(Finding(category, Severity.ACUTE, _quote(text), 0, f"cue:{category}:{words}"))
    return _Screened(tuple(signals), tuple(possible))


@functools.lru_cache(maxsize=8192)
def _window(text: str) -> _Screened:
    return _learned(text, second_category=False)


def _at(screened: _Screened, index: int) -> _Screened:
    def moved(items: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(dataclasses.replace(f, message_index=index) for f in items)

    return _Screened(moved(screened.signals), moved(screened.possible))


def _cumulate(found: list[Finding]) -> list[Finding]:
    """Weak signals add up: concern-level findings become URGENT when the conversation has enough of them."""
    concerns = [f for f in found if f.severity is Severity.CONCERN]
    distinct = {f.key for f in concerns}
    messages_per_key: dict[str, set[int]] = {}
    for finding in concerns:
        messages_per_key.setdefault(finding.key, set()).add(finding.message_index)
    repeated = any(len(indexes) >= 3 for indexes in messages_per_key.values())
    if len(distinct) < 2 and not repeated:
        return found
    return [dataclasses.replace(f, severity=Severity.URGENT) if f.severity is Severity.CONCERN else f
            for f in found]


def screen_conversation(messages: Sequence[str]) -> RiskAssessment:
    """Signals and possible categories in the whole conversation (resident messages, oldest first)."""
    signals: list[Finding] = []
    possible: list[Finding] = []
    for index, text in enumerate(messages):
        own = _at(_message(text), index)
        signals += own.signals
        possible += own.possible
        if index > 0:
            # The window adds what the turns say together, not again what one of them already said.
            window = _at(_window(conversation_text(messages[max(0, index - WINDOW + 1): index + 1])), index)
            raised = {f.category for f in signals}
            signals += [f for f in window.signals if f.category not in raised]
            possible += window.possible
    assessment = assessment_of(_cumulate(signals))
    acute = {s.category for s in assessment.signals if s.severity is Severity.ACUTE}
    unsure: dict[str, RiskSignal] = {}
    for f in possible:
        if f.category not in acute and f.category not in unsure:
            unsure[f.category] = RiskSignal(f.category, Severity.ACUTE, f.quote, f.message_index)
    return dataclasses.replace(assessment, possible=tuple(unsure.values()))


def screen_message(text: str, index: int = 0) -> RiskAssessment:
    """Signals in one message (no cumulation, no window: that needs the conversation); ``index`` is the
    message's place in its conversation, for the quotes."""
    assessment = screen_conversation([text])
    return RiskAssessment(tuple(dataclasses.replace(s, message_index=index) for s in assessment.signals),
                          tuple(dataclasses.replace(s, message_index=index) for s in assessment.possible))


def clear_screening_caches() -> None:
    """Forget every screened message and window (benchmarks that time unseen messages)."""
    _message.cache_clear()
    _window.cache_clear()
    _probabilities.cache_clear()


def warm_up() -> None:
    """Load the learned screen and the sentence encoder now, so no resident's first message waits for them
    (a process that finds no saved model for the current data trains it here, once)."""
    screen_message("hei, kysyisin ajanvarauksesta")
