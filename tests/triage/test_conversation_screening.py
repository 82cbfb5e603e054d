"""Screening the conversation: turns read together, each message screened once, possible categories."""

from __future__ import annotations

import pytest

from triage import screening
from triage.assessment import RiskAssessment, RiskSignal
from triage.categories import Severity
from triage.handled import asked_key, mark_handled, unhandled_possible
from triage.training_data import TURN_SEPARATOR, WINDOW


@pytest.fixture
def learned_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the learned screen is asked about, in order, from empty caches."""
    calls: list[str] = []
    real = screening._learned

    def recording(text: str, second_category: bool = True) -> screening._Screened:
        calls.append(text)
        return real(text, second_category)

    monkeypatch.setattr(screening, "_learned", recording)
    screening.clear_screening_caches()
    return calls


def test_the_learned_screen_reads_the_last_turns_together(learned_calls: list[str]) -> None:
    seen = learned_calls
    turns = ["onko yöpäivystys auki", "poika satutti jalkansa", "verta tulee koko ajan"]
    screening.screen_conversation(turns)
    assert TURN_SEPARATOR.join(turns[-WINDOW:]) in seen
    assert TURN_SEPARATOR.join(turns[:2]) in seen
    assert all(turn in seen for turn in turns)


def test_each_message_is_screened_once_however_long_the_conversation(learned_calls: list[str]) -> None:
    calls = learned_calls
    conversation = [f"kysyisin asiasta numero {n} ja sen hakemisesta" for n in range(30)]
    for turn in range(1, len(conversation) + 1):
        before = len(calls)
        screening.screen_conversation(conversation[:turn])
        # one new message and one new window per turn, not the whole conversation again
        assert len(calls) - before <= 2


def test_possible_categories_are_asked_once_and_never_beside_their_acute_signal() -> None:
    possible = RiskSignal("suicide_self_harm", Severity.ACUTE, "olen taakka", 0)
    assessment = RiskAssessment((), (possible,))
    assert unhandled_possible(assessment, []) == [possible]
    assert unhandled_possible(assessment, [asked_key("suicide_self_harm")]) == []
    assert unhandled_possible(assessment, ["suicide_self_harm:acute"]) == []
    acute = screening.screen_conversation(["haluan tappaa itseni tänään"])
    assert "suicide_self_harm" not in [p.category for p in acute.possible]
    assert asked_key("x") not in mark_handled(acute, [])


def test_a_clear_signal_is_not_just_a_question() -> None:
    assessment = screening.screen_conversation(["mulla on pillerit tässä ja aion ottaa ne kaikki tänä yönä"])
    assert assessment.severity is Severity.ACUTE


def test_assessment_round_trips_through_the_slot() -> None:
    assessment = screening.screen_conversation(["olen taakka kaikille", "mies lyö minua"])
    assert RiskAssessment.from_dict(assessment.to_dict()) == assessment
