"""Rasa's check of the action server's answers, with the JSON schema compiled once instead of per answer.

Rasa 3.6 checks every action server response with ``jsonschema.validate(result, spec)``, which first
validates the schema itself against its meta-schema and builds a new validator and reference resolver:
under load that was about 13 % of the Rasa process's time (py-spy, docs/benchmarks.md), for a schema that
never changes. This replaces ``RemoteAction._validate_action_result`` with the same check against one
validator built once: the same schema, the same errors (``best_match``, as ``validate`` raises) with Rasa's
own message appended. Loaded by Rasa with the gateway channel (``bot.rasa_channel``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    error: ValidationError | None = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
