"""From retrieval scores to what the assistant does: answer with cards, ask which service, or neither.

The thresholds are calibrated on the catalogue's own example questions, each held out in turn
(``benchmarks/routing_benchmark.py --calibrate``, 1,630 questions of 159 services), maximising right answers
minus four times the wrong ones: a resident who is asked loses one click, one who gets the wrong card may
give up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from service_catalogue.loader import Catalogue
from service_catalogue.models import Service
from service_catalogue.retrieval import Match, index_for

MAX_CARDS = 3
CLARIFY_CHOICES = 3


@dataclass(frozen=True)
class Thresholds:
    """The cards are the best service and those within ``window`` of it (at most MAX_CARDS). Answer with
    them when the best scores at least ``answer_min`` and the first service left out is ``margin`` behind
    it, or the best scores ``sure``; otherwise ask when the best scores at least ``clarify_min``."""

    answer_min: float = 0.15
    window: float = 0.15
    margin: float = 0.06
    sure: float = 0.60
    clarify_min: float = 0.12


THRESHOLDS = Thresholds()
# The resident's target group and the intent classifier's topic nudge the ranking; they never decide alone.
TARGET_GROUP_BOOST = 0.02
TOPIC_BOOST = 0.05


class Decision(str, enum.Enum):
    answer = "answer"
    clarify = "clarify"
    none = "none"


@dataclass(frozen=True)
class Routing:
    decision: Decision
    services: list[Service]  # the cards (answer) or the buttons (clarify)
    matches: list[Match] = field(default_factory=list)  # the ranking it was decided on, for logs and reports

    @property
    def best_score(self) -> float:
        return self.matches[0].score if self.matches else 0.0


def route(
    catalogue: Catalogue,
    text: str,
    *,
    municipality: str | None = None,
    target_group: str | None = None,
    topic: str | None = None,
    topic_confidence: float = 0.0,
) -> Routing:
    """What to answer ``text`` with. ``municipality`` drops local services of other areas; ``topic`` is the
    intent classifier's topic (with its confidence), a hint for services of that topic."""
    index = index_for(catalogue)
    # A clarifying button sends the service's name: that choice is the answer, whatever the scores.
    chosen = index.named(text)
    if chosen is not None and (not municipality or chosen.serves(municipality)):
        return Routing(Decision.answer, [chosen])
    services = catalogue.services.values()
    allowed = {s.id for s in services if not municipality or s.serves(municipality)}
    boost: dict[str, float] = {}
    for service in services:
        extra = 0.0
        if target_group and target_group in service.target_groups:
            extra += TARGET_GROUP_BOOST
        if topic and topic in service.topics:
            extra += TOPIC_BOOST * max(0.0, min(topic_confidence, 1.0))
        if extra:
            boost[service.id] = extra
    limit = max(MAX_CARDS, CLARIFY_CHOICES) + 1
    matches = index.rank(text, allowed=allowed, boost=boost, limit=limit)
    return decide(matches)


def decide(matches: list[Match], thresholds: Thresholds = THRESHOLDS) -> Routing:
    if not matches or matches[0].score < thresholds.clarify_min:
        return Routing(Decision.none, [], matches)
    best = matches[0].score
    cards = [m for m in matches[:MAX_CARDS] if best - m.score <= thresholds.window]
    following = matches[len(cards)].score if len(matches) > len(cards) else 0.0
    if best >= thresholds.sure or (best >= thresholds.answer_min and best - following >= thresholds.margin):
        return Routing(Decision.answer, [m.service for m in cards], matches)
    return Routing(Decision.clarify, [m.service for m in matches[:CLARIFY_CHOICES]], matches)
