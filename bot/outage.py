"""Answering a resident while Rasa is down or too slow: a crisis never waits on Rasa.

The gateway holds the transcript and ``triage`` is plain Python, so it screens the conversation itself with
the same engine the dialogue uses. An acute signal gets the crisis card first and a case stored as the action
server would store it (urgency, segment, signals, triage summary; no consent asked, as for any acute case),
or raises the conversation's open case. Anything else is answered by the caller with an honest 503.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from bot.crisis_replies import crisis_replies
from bot.models import Handoff
from bot.repositories import audit
from bot.repositories import conversations as conversations_repo
from bot.repositories import handoffs as handoffs_repo
from common.resident_texts import resident_text
from service_catalogue.loader import Catalogue
from triage.assessment import RiskAssessment
from triage.case_fields import case_fields
from triage.categories import Severity
from triage.conversation import resident_messages
from triage.handled import handled_from_case, unhandled_signals
from triage.screening import screen_conversation, screen_message
from triage.segment import SelfAssessment

logger = logging.getLogger(__name__)

ACTOR = "gateway"  # in the audit log: the gateway stored the case, not the action server
NO_CONTACT = {"method": "unknown"}


def answer_without_rasa(
    session: Session, conversation_id: str, lang: str, catalogue: Catalogue | None
) -> list[dict[str, Any]] | None:
    """The replies to the resident's latest message (already stored) when Rasa cannot answer: crisis cards
    and the stored case for a new acute signal, else ``None``. Adds to the caller's transaction."""
    messages = resident_messages(
        m.text for m in conversations_repo.get_transcript(session, conversation_id) if m.role == "user"
    )
    assessment = screen_conversation(messages)
    # Unsure is not safe enough here: without the dialogue there is no one to ask the direct question, so a
    # possible acute category of this message gets the crisis contacts too (a case only for a clear signal).
    # The latest message on its own is cached: the conversation's screening has just scored it.
    this_message = screen_message(messages[-1] if messages else "")
    now = [s.category for s in this_message.signals if s.severity is Severity.ACUTE]
    possible = [p.category for p in this_message.possible]
    case = _open_case(session, conversation_id)
    # A retried message gets the crisis card again, but no second case.
    handled = handled_from_case(case.risk_signals if case else None)
    new_acute = [s for s in unhandled_signals(assessment, handled) if s.severity is Severity.ACUTE]
    if not now and not possible and not new_acute:
        return None

    replies = crisis_replies([*now, *(s.category for s in new_acute), *possible], lang, catalogue)
    if new_acute:
        case = _store_case(session, conversation_id, messages, assessment, case)
        logger.warning("Rasa unavailable: acute signal in conversation %s, case %s stored by the gateway",
                       conversation_id, case.id)
    stored = case is not None and case.urgency == "acute"
    told = "assistant_unavailable_case_stored" if stored else "assistant_unavailable"
    replies.append({"text": resident_text(told, lang)})
    for reply in replies:
        conversations_repo.add_message(session, conversation_id, "bot", reply["text"])
    return replies


def _open_case(session: Session, conversation_id: str) -> Handoff | None:
    cases = handoffs_repo.list_handoffs(session, status=("new", "claimed"), conversation_id=conversation_id)
    return cases[0] if cases else None


def _store_case(
    session: Session, conversation_id: str, messages: list[str], assessment: RiskAssessment,
    case: Handoff | None,
) -> Handoff:
    consent = bool(case.consent) if case else False
    contact = dict(case.contact or NO_CONTACT) if case else NO_CONTACT
    fields = case_fields(resident_messages=messages, assessment=assessment, answers=SelfAssessment(),
                         consent=consent, contact=contact)
    if case is not None:
        handoffs_repo.reassess(session, case, **fields)
        audit.record(session, ACTOR, "case_updated", case.id, {"urgency": fields["urgency"], "via": "outage"})
        return case
    # A retry finds this case open and its signals handled: one case however often the resident retries.
    # Keyed, so the action server's case for this conversation completes this one when Rasa is back.
    case, _ = handoffs_repo.create(session, {
        **fields, "conversation_id": conversation_id, "consent": False, "contact": NO_CONTACT,
        "idempotency_key": handoffs_repo.outage_key(conversation_id),
    })
    detail = {"urgency": case.urgency, "segment": case.segment, "consent": False, "via": "outage"}
    audit.record(session, ACTOR, "case_created", case.id, detail)
    return case
