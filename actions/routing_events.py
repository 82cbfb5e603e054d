"""Telling the gateway what routing did with a question, for the content editors' gaps report.

Fire and forget: the event is sent from a small background pool after the reply is composed, with one
short try, and any failure is logged and dropped. The resident's answer never waits for it or depends on
it. What is sent is computed from the routing result alone (this module does not import the gateway);
the gateway redacts the question again on arrival and stores only a keyed hash of the conversation id.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from actions import gateway_client as gateway
from service_catalogue.models import Service
from service_catalogue.routing import Routing

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000  # the gateway's limit; it keeps much less after redacting
MAX_SERVICES = 10
# At most this many events waiting or in flight; beyond it (a hung gateway) new ones are dropped rather
# than queued without bound.
MAX_PENDING = 32

# One worker: events reach the gateway in the order they happened (the feedback link takes the latest).
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="routing-events")
_slots = threading.BoundedSemaphore(MAX_PENDING)
_pending: set[Future[None]] = set()
_pending_lock = threading.Lock()


def scores(routing: Routing | None) -> tuple[float | None, float | None]:
    """The best score and its margin over the second, from the ranking routing decided on; (None, None)
    when there was no ranking (a button choice, no question)."""
    if routing is None or not routing.matches:
        return None, None
    best = routing.matches[0].score
    second = routing.matches[1].score if len(routing.matches) > 1 else 0.0
    return round(best, 4), round(best - second, 4)


def event_payload(
    conversation_id: str | None,
    question: str,
    routing: Routing | None,
    *,
    outcome: str,
    shown: Sequence[Service],
    topic: str | None,
    language: str,
    source: str | None = None,
) -> dict[str, Any]:
    """``outcome``: what the resident got (answered, clarified, nothing); ``shown``: the cards or buttons.
    ``source`` defaults to "choice" for a routing answer without a ranking (a clarifying button's name),
    else "search"; the caller says "topic" when the NLU topic's cards were shown instead."""
    best, margin = scores(routing)
    if source is None:
        source = "choice" if routing is not None and routing.services and not routing.matches else "search"
    return {
        "conversation_id": conversation_id,
        "outcome": outcome,
        "source": source,
        "question": question[:MAX_QUESTION_CHARS],
        "best_score": best,
        "margin": margin,
        "services": list(dict.fromkeys(s.id for s in shown))[:MAX_SERVICES],
        "topic": topic,
        "language": language,
    }


def _send(payload: dict[str, Any]) -> None:
    try:
        gateway.gateway_client().record_routing_event(payload)
    except Exception:  # never let a report line become an error anywhere
        logger.exception("routing event not recorded")
    finally:
        _slots.release()


def submit(payload: dict[str, Any]) -> None:
    """Send ``payload`` in the background; returns at once and never raises."""
    try:
        if not gateway.internal_api_configured():
            return  # no token: the gateway would refuse it
        if not _slots.acquire(blocking=False):
            logger.warning("routing event dropped: %d already waiting for the gateway", MAX_PENDING)
            return
        try:
            future = _executor.submit(_send, payload)
        except RuntimeError:  # the pool is shut down (interpreter exit)
            _slots.release()
            return
        with _pending_lock:
            _pending.add(future)
        future.add_done_callback(_forget)
    except Exception:
        logger.exception("routing event not submitted")


def _forget(future: Future[None]) -> None:
    with _pending_lock:
        _pending.discard(future)


def report(
    conversation_id: str | None,
    question: str | None,
    routing: Routing | None,
    *,
    outcome: str,
    shown: Sequence[Service] = (),
    topic: str | None = None,
    language: str = "fi",
    source: str | None = None,
) -> None:
    """Record what the resident got for ``question``; nothing is sent without a typed question."""
    if not question:
        return
    try:
        payload = event_payload(conversation_id, question, routing, outcome=outcome, shown=shown,
                                topic=topic, language=language, source=source)
    except Exception:
        logger.exception("routing event not built")
        return
    submit(payload)


def flush(timeout: float = 5.0) -> bool:
    """Wait for the events sent so far (tests, shutdown); True when all finished in time."""
    with _pending_lock:
        pending = set(_pending)
    _done, not_done = wait(pending, timeout=timeout)
    return not not_done
