"""The risk screening policy: fires after any message with an unhandled signal, whatever the intent."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from triage.rasa_policy import ACTION_HANDLE_RISK, RiskScreeningPolicy

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(DOMAIN_FILE)


@pytest.fixture
def policy(tmp_path: Path) -> RiskScreeningPolicy:
    return RiskScreeningPolicy.create(
        {**RiskScreeningPolicy.get_default_config()},
        LocalModelStorage(tmp_path),
        Resource("risk_screening"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def _tracker(
    domain: Domain, *turns: str | tuple[str, str], extra_events: list | None = None
) -> DialogueStateTracker:
    events: list = [ActionExecuted(ACTION_LISTEN_NAME)]
    for turn in turns:
        text, intent = turn if isinstance(turn, tuple) else (turn, "ask_mental_health")
        events += [UserUttered(text, intent={"name": intent, "confidence": 0.9})]
        if turn is not turns[-1]:
            events += [ActionExecuted("action_answer_topic"), ActionExecuted(ACTION_LISTEN_NAME)]
    return DialogueStateTracker.from_events("test", [*(extra_events or []), *events], domain.slots)


def _predicted(policy: RiskScreeningPolicy, tracker: DialogueStateTracker, domain: Domain) -> str | None:
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence < 1.0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_fires_on_acute_message_whatever_the_intent(policy: RiskScreeningPolicy, domain: Domain) -> None:
    tracker = _tracker(domain, ("mä haluun kuolla", "ask_housing_allowance"))
    assert _predicted(policy, tracker, domain) == ACTION_HANDLE_RISK
    assert policy.predict_action_probabilities(tracker, domain).is_no_user_prediction


def test_quiet_on_ordinary_and_figurative_messages(policy: RiskScreeningPolicy, domain: Domain) -> None:
    for text in ("mist mä voin hakee asumistukee", "tapan aikaa odotellessa", "en ole itsetuhoinen"):
        assert _predicted(policy, _tracker(domain, text), domain) is None, text


def test_does_not_fire_twice_for_a_handled_signal(policy: RiskScreeningPolicy, domain: Domain) -> None:
    handled = [SlotSet("risk_handled", ["suicide_self_harm:acute"])]
    tracker = _tracker(domain, "mä haluun kuolla", "mitä nyt tapahtuu", extra_events=handled)
    assert _predicted(policy, tracker, domain) is None


def test_fires_for_a_new_category_later(policy: RiskScreeningPolicy, domain: Domain) -> None:
    handled = [SlotSet("risk_handled", ["suicide_self_harm:acute"])]
    tracker = _tracker(domain, "mä haluun kuolla", "ja mies lyö mua joka päivä", extra_events=handled)
    assert _predicted(policy, tracker, domain) == ACTION_HANDLE_RISK


def test_only_right_after_a_user_message(policy: RiskScreeningPolicy, domain: Domain) -> None:
    tracker = _tracker(domain, "mä haluun kuolla")
    tracker.update(ActionExecuted(ACTION_HANDLE_RISK))
    assert _predicted(policy, tracker, domain) is None


def test_button_payloads_are_not_screened(policy: RiskScreeningPolicy, domain: Domain) -> None:
    assert _predicted(policy, _tracker(domain, ("/affirm", "affirm")), domain) is None


def test_hands_its_assessment_to_the_actions_on_every_message(
    policy: RiskScreeningPolicy, domain: Domain
) -> None:
    cases = (("mist mä voin hakee asumistukee", None), ("mä haluun kuolla", "suicide_self_harm"))
    for text, category in cases:
        prediction = policy.predict_action_probabilities(_tracker(domain, text), domain)
        [event] = prediction.events
        assert isinstance(event, SlotSet) and event.key == "risk_assessment"
        assert event.value["messages"] == 1
        assert [s["category"] for s in event.value["signals"]][:1] == ([category] if category else [])


def test_an_answer_to_the_direct_question_goes_to_the_risk_action(
    policy: RiskScreeningPolicy, domain: Domain
) -> None:
    asked = [SlotSet("risk_question", "suicide_self_harm"),
             SlotSet("risk_handled", ["suicide_self_harm:asked"])]
    for answer in (("/deny", "deny"), ("/affirm", "affirm"), ("en tiedä", "out_of_scope")):
        tracker = _tracker(domain, "olen taakka kaikille", answer, extra_events=asked)
        assert _predicted(policy, tracker, domain) == ACTION_HANDLE_RISK, answer
    # without a question pending, a button payload is not screened
    assert _predicted(policy, _tracker(domain, ("/deny", "deny")), domain) is None
