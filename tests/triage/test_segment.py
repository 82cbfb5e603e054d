from __future__ import annotations

import pytest

from triage.screening import RiskAssessment, screen_conversation
from triage.segment import SEGMENT_NAMES, SelfAssessment, suggest_segment

NONE = RiskAssessment(())


@pytest.mark.parametrize(
    ("answers", "segment"),
    [
        (SelfAssessment("hyvin", "ei", "kylla"), 1),  # coping easy, little need
        (SelfAssessment("huonosti", "ei", "kylla"), 2),  # coping hard, little need
        (SelfAssessment("hyvin", "monta", "kylla"), 3),  # coping easy, much need
        (SelfAssessment("huonosti", "monta", "ei"), 4),  # coping hard, much need
        (SelfAssessment("vaihtelevasti", "jokin", "ei"), 2),
        (SelfAssessment("vaihtelevasti", "jokin", "kylla"), 1),
    ],
)
def test_four_field_quadrants(answers: SelfAssessment, segment: int) -> None:
    suggestion = suggest_segment(NONE, answers)
    assert suggestion.segment == segment
    assert suggestion.name == SEGMENT_NAMES[segment]
    assert suggestion.questions_needed == ()


def test_names() -> None:
    assert SEGMENT_NAMES == {1: "omatoimiasiakkuus", 2: "tukiasiakkuus", 3: "yhteistyoasiakkuus",
                             4: "huolenpitoasiakkuus"}


def test_acute_risk_asks_nothing_and_needs_much() -> None:
    assessment = screen_conversation(["mä en jaksa enää, haluun tappaa itteni"])
    suggestion = suggest_segment(assessment, SelfAssessment())
    assert suggestion.segment in (3, 4)
    assert suggestion.questions_needed == ()
    assert any("Akuutti" in reason for reason in suggestion.reasons)
    # The resident's own "hyvin" does not outweigh "en jaksa" in the conversation ...
    assert suggest_segment(assessment, SelfAssessment(coping="hyvin")).segment == 4
    # ... but without such a signal it does: easy coping, much need.
    calm = screen_conversation(["mä haluun kuolla"])
    assert suggest_segment(calm, SelfAssessment(coping="hyvin")).segment == 3


def test_urgent_signal_means_much_need() -> None:
    assessment = screen_conversation(["meille tuli häätö"])
    suggestion = suggest_segment(assessment, SelfAssessment())
    assert suggestion.segment == 3
    assert suggestion.questions_needed == ("coping", "services", "support")
    assert suggest_segment(assessment, SelfAssessment("huonosti", None, None)).segment == 4


def test_not_coping_signal_means_hard_coping() -> None:
    assessment = screen_conversation(["en jaksa"])
    suggestion = suggest_segment(assessment, SelfAssessment(services="ei"))
    assert suggestion.segment == 2
    assert suggestion.questions_needed == ("coping", "support")


def test_reasons_are_finnish_and_say_the_worker_decides() -> None:
    suggestion = suggest_segment(NONE, SelfAssessment())
    assert suggestion.segment == 1
    assert any("ammattilainen" in r and "päättää" in r for r in suggestion.reasons)
    assert len(suggestion.questions_needed) <= 3
