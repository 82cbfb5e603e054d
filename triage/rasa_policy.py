"""Rasa policy that runs risk screening after every resident message.

Why a policy: screening must see every message *and* the conversation so far, whatever intent NLU
predicted. NLU components see one message and actions run only when predicted; a policy is the one
place in Rasa that is consulted after every message with the whole tracker. When screening finds a
signal that has not been handled yet (a new category, or a higher severity), it predicts
``action_handle_risk`` with full confidence and the highest priority, so it wins over rules, forms and
learned policies. It does the same when the screening is unsure (a possible acute category not asked about
yet) and when the resident answers the direct question just asked.
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
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from triage.conversation import ASSESSMENT_SLOT, HANDLED_SLOT, QUESTION_SLOT, resident_messages
from triage.handled import unhandled_possible, unhandled_signals
from triage.screening import screen_conversation, warm_up

logger = logging.getLogger(__name__)

ACTION_HANDLE_RISK = "action_handle_risk"



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
        warm_up()  # load the learned screen at policy load, not on the first message

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
        answering = bool(tracker.get_slot(QUESTION_SLOT))  # the direct question was just asked
        if not latest or (latest.startswith("/") and not answering):
            return self._prediction(probabilities)

        texts = resident_texts(tracker)
        assessment = screen_conversation(texts)
        # Applied whether or not this policy wins: the action server reads the result instead of screening
        # the conversation again (actions.conversation.risk_assessment).
        events = [SlotSet(ASSESSMENT_SLOT, {**assessment.to_dict(), "messages": len(texts)})]
        handled = tracker.get_slot(HANDLED_SLOT) or []
        act = answering or unhandled_signals(assessment, handled) or unhandled_possible(assessment, handled)
        if not act:
            return self._prediction(probabilities, events=events)

        logger.info("risk screening: signals %s, possible %s, answering %s", list(assessment.categories),
                    [p.category for p in assessment.possible], answering)
        probabilities[domain.index_for_action(ACTION_HANDLE_RISK)] = 1.0
        # is_no_user_prediction puts this prediction in the class that overrules active forms too.
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)
