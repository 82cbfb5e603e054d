"""Live chat with an on-duty worker, as the gateway runs it.

While a case is a live chat, the resident's messages go to the worker, not to Rasa: the assistant must
not answer over a professional. Risk screening still runs on every message here (``triage`` is plain
Python): a new acute signal gets the crisis card at once, whoever is or is not typing, and raises the
case so the worker sees it.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.crisis_replies import crisis_replies
from bot.models import Handoff, User, as_utc, utcnow
from bot.repositories import audit
from bot.repositories import conversations as conversations_repo
from bot.repositories import handoffs as handoffs_repo
from bot.repositories import live_chat as live_chat_repo
from common.resident_texts import resident_text
from service_catalogue.county import CountyProfile
from service_catalogue.loader import Catalogue
from triage.categories import URGENCY_BY_SEVERITY, Severity
from triage.conversation import resident_messages
from triage.handled import handled_from_case, unhandled_signals
from triage.screening import screen_conversation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Availability:
    """Whether "chat now" can be offered: inside the county's service hours with a worker on duty."""

    available: bool
    service_time: bool
    workers_on_duty: int
    hours: str
    next_contact: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def availability(session: Session, county: CountyProfile, now: datetime | None = None) -> Availability:
    moment = now or utcnow()
    service_time = county.is_service_time(moment)
    on_duty = live_chat_repo.workers_on_duty(session, moment)
    return Availability(
        available=service_time and on_duty > 0,
        service_time=service_time,
        workers_on_duty=on_duty,
        hours=county.service_hours.label(),
        next_contact=county.contact_time_text(moment),
    )


class DutyOutsideServiceHours(Exception):
    """Live-chat duty can only start inside the county's service hours."""


def start_duty(session: Session, user: User, county: CountyProfile, now: datetime | None = None) -> datetime:
    """Put the worker on duty until today's service time ends (no one stays "on duty" overnight)."""
    until = county.service_ends_at(now or utcnow())
    if until is None:
        raise DutyOutsideServiceHours(county.service_hours.label())
    live_chat_repo.start_duty(session, user, until)
    return until


def duty_state(session: Session, user: User, county: CountyProfile) -> dict:
    """The worker's live-chat duty and the chat's availability now, for the inbox and the API."""
    now_available = availability(session, county)
    on_duty = live_chat_repo.on_duty(user)
    return {
        "on_duty": on_duty,
        "until": as_utc(user.chat_duty_until) if on_duty else None,
        "chat_available": now_available.available,
        "workers_on_duty": now_available.workers_on_duty,
        "waiting_chats": live_chat_repo.waiting_chats(session),
        "hours": now_available.hours,
    }


def change_duty(session: Session, user: User, county: CountyProfile, on_duty: bool, via: str) -> None:
    """Start or end the worker's duty; ``DutyOutsideServiceHours`` outside the county's hours."""
    if on_duty:
        until = start_duty(session, user, county)
        audit.record(
            session, user.username, "chat_duty_started", detail={"via": via, "until": until.isoformat()}
        )
    else:
        live_chat_repo.end_duty(session, user)
        audit.record(session, user.username, "chat_duty_ended", detail={"via": via})


def relay_resident_message(
    session: Session, handoff: Handoff, lang: str, catalogue: Catalogue | None
) -> list[dict[str, Any]]:
    """Replies to a resident's message (already stored) in a live chat; usually none, the worker answers.

    Every new signal is added to the case; an acute one also raises its urgency and puts the crisis
    card first in the reply.
    """
    transcript = conversations_repo.get_transcript(session, handoff.conversation_id)
    messages = resident_messages(m.text for m in transcript if m.role == "user")
    assessment = screen_conversation(messages)
    # A category counts as known at its stored severity, so "years ago" (concern) then "now again" (acute)
    # still gets the card.
    handled = handled_from_case(handoff.risk_signals)
    new_signals = unhandled_signals(assessment, handled)
    replies: list[dict[str, Any]] = []
    if new_signals:
        severity = max(s.severity for s in new_signals)
        handoffs_repo.reassess(
            session,
            handoff,
            urgency=URGENCY_BY_SEVERITY[severity],
            segment=None,
            segment_reasons=None,
            risk_signals=[
                *(handoff.risk_signals or []),
                *(
                    {"category": s.category, "severity": s.severity.name.lower(), "quote": s.quote}
                    for s in new_signals
                ),
            ],
            summary=None,
        )
        acute = [s.category for s in new_signals if s.severity is Severity.ACUTE]
        if acute:
            replies += crisis_replies(acute, lang, catalogue)
            replies.append({"text": resident_text("live_chat_crisis_follow_up", lang)})
            logger.warning("acute signal in live chat of case %s: %s", handoff.id, ", ".join(acute))
    if handoff.chat_state == "waiting" and not replies:
        replies.append({"text": resident_text("live_chat_waiting", lang)})
    for reply in replies:
        conversations_repo.add_message(session, handoff.conversation_id, "bot", reply["text"])
    return replies
