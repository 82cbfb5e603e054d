"""Rasa policy that runs risk screening after every resident message.

Why a policy: screening must see every message *and* the conversation so far, whatever intent NLU
predicted. NLU components see one message and actions run only when predicted; a policy is the one
place in Rasa that is consulted after every message with the whole tracker. When screening finds a
signal that has not been handled yet (a new category, or a higher severity), it predicts
``action_handle_risk`` with full confidence and the highest priority, so it wins over rules, forms and
learned policies.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from triage import backstop
from triage.conversation import resident_messages
from triage.handled import unhandled_signals
from triage.screening import screen_conversation

logger = logging.getLogger(__name__)

ACTION_HANDLE_RISK = "action_handle_risk"
HANDLED_SLOT = "risk_handled"


def resident_texts(tracker: DialogueStateTracker) -> list[str]:
    return resident_messages(event.text for event in tracker.events if isinstance(event, UserUttered))


def _just_heard_the_resident(tracker: DialogueStateTracker) -> bool:
    """True right after a user message, before any action has answered it."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            return event.action_name == ACTION_LISTEN_NAME
        if isinstance(event, UserUttered):
            continue
    return False


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RiskScreeningPolicy(Policy):
    """Predicts ``action_handle_risk`` whenever the conversation carries an unhandled risk signal."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        backstop.warm_up()  # train the learned backstop (~1.3 s) at policy load, not on the first message

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing to learn: screening is deterministic code, read at prediction time.
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if not _just_heard_the_resident(tracker) or ACTION_HANDLE_RISK not in domain.action_names_or_texts:
            return self._prediction(probabilities)

        latest = tracker.latest_message.text if tracker.latest_message else ""
        if not latest or latest.startswith("/"):
            return self._prediction(probabilities)

        assessment = screen_conversation(resident_texts(tracker))
        handled = tracker.get_slot(HANDLED_SLOT) or []
        if not unhandled_signals(assessment, handled):
            return self._prediction(probabilities)

        logger.info("risk screening: unhandled signals %s", list(assessment.categories))
        probabilities[domain.index_for_action(ACTION_HANDLE_RISK)] = 1.0
        # is_no_user_prediction puts this prediction in the class that overrules active forms too.
        return self._prediction(probabilities, is_no_user_prediction=True)
