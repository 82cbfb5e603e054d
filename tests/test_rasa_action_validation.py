"""The compiled check of action server responses accepts and refuses exactly what Rasa's own check does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.rasa_channel  # noqa: F401  (installs the compiled check, as Rasa loading the channel does)
from bot.rasa_action_validation import validate_action_result

GOOD = {
    "events": [{"event": "slot", "name": "topic", "value": {"a": [1]}, "timestamp": None}],
    "responses": [{"text": "Hei", "custom": {"type": "service_card"}, "buttons": []}],
}
BAD = [{"events": [{"event": 5}]}, {"events": "not a list"}, {"responses": "not a list"}]


def _rasa_check(result: dict) -> None:
    from jsonschema import validate

    validate(result, RemoteAction.action_response_format_spec())


def test_installed_in_rasa() -> None:
    assert RemoteAction._validate_action_result is validate_action_result


def test_same_verdicts_as_rasa() -> None:
    action = RemoteAction.__new__(RemoteAction)
    assert validate_action_result(action, GOOD)
    _rasa_check(GOOD)
    for result in BAD:
        with pytest.raises(ValidationError) as rasa_error:
            _rasa_check(result)
        with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
            validate_action_result(action, result)
        assert ours.value.message.startswith(rasa_error.value.message)
