"""The gaps report: what residents ask that the catalogue does not answer, from real routing events.

A question is a gap when routing asked which service was meant (``clarified``), found none (``nothing``),
answered and the resident said "Sainko apua?" = no (``not_helpful``), or answered on a weak match
(``weak``: the search was unsure and the NLU topic's cards were shown instead). A low score alone does not
make an answer weak: on the 518 blind routing questions (tests/routing_eval) the answers' cards held the
right service 94-100 % of the time in every score band from 0.15 up. Questions are stored redacted; the
report adds no personal data.

Grouping: a question that was shown the search's own services (a clarifying question, an answer that
did not help) is grouped by the nearest service, where an editor adds the residents' words or sees that
the service is not what they meant. A question shown no service of the search's own (nothing found, the
topic fallback) is grouped by its words: content lemmas (``triage.text.normalise`` after the base form;
nouns only where Voikko knows the word; no question words, pronouns, municipality or person names),
joining the group of its lemma that the most such questions share (ties: the longer, more specific lemma,
then the earlier). So "onko teillä koiraparkkia" and "koiraparkki Keravalla" meet under "koiraparkki".
The grouping does not depend on the order of the events, and an editor can see why a question is where it
is. Measured on the same blind questions (93 clarified, 27 nothing found; purity of the groups of two or
more against the labelled service): this hybrid 53 %, the first service shown alone 36 % (every "nothing"
in one lump), the most shared word alone 31 %. Few questions: take the figures as an order, not a score.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import ROUTING_OUTCOMES, RoutingEvent, as_utc
from finnish_nlu.lemmatizer import lemma
from finnish_nlu.municipalities import MUNICIPALITIES
from finnish_nlu.voikko_analyser import analyse
from triage.text import TOKEN, normalise

MAX_EXAMPLES = 5
MAX_SHOWN = 5
MAX_GROUPS = 50
DAILY_UP_TO_DAYS = 31  # a longer period is counted by week (Monday to Sunday)
REASONS = ("clarified", "nothing", "not_helpful", "weak")
NO_TERMS = "(no content words)"

# Base forms (folded) that say nothing about what is asked: question words, auxiliaries, pronouns,
# particles and "help"-words in Finnish (standard and spoken, as Voikko gives them), Swedish and English.
_STOP = frozenset(
    """
    mika mita mista missa mihin miten kuinka kuka ketka milloin miksi minkalainen mones onko voiko saako
    olla voida saada hakea tarvita haluta pitaa taytya tehda tietaa osata auttaa apu neuvo kysya kertoa
    mina sina han me te he se tama tuo ne joku jokin mikaan kukaan kaikki oma itse mun sun meidan teidan
    etta ja tai vai kun jos niin myos nyt ei kylla ihan vaan vain sitten siis jo viela tosi aika paljon
    vahan kanssa jalkeen ennen kautta yli alle mukaan hei moi terve kiitos kiva okei ok no joo juu
    hur var vad vem nar varfor jag du hon vi ni de det den en ett och eller att om for med till pa av kan
    ska vill far ar har hjalp fa nagon min mitt mina som inte
    what where how when who why which can could would should i me my you your we they it is are am be do
    does get got help need want with for to of the a an and or in on at about from there any some this
    that please hi hello have has had been was were dont don't i'm it's our here just like know think
    really also very much many man finns kan inte ocksa bara mycket hade vara blir gora kommer skulle hans
    hennes oss var nar sedan efter innan
    """.split()  # noqa: SIM905 - a word list reads better as words
)
_MUNICIPALITIES = frozenset(normalise(name) for name in MUNICIPALITIES)
# Voikko's word classes that name a thing; first names, surnames and places are left out on purpose.
_NOUN_CLASSES = frozenset({"nimisana", "nimisana_laatusana", "erisnimi", "lyhenne"})
_PERSON_NAME_CLASSES = frozenset({"etunimi", "sukunimi"})
_PLACEHOLDER = re.compile(r"\[[^\]]{1,40}\]")  # what the redaction left: [puhelinnumero], [nimi], ...


@dataclass(frozen=True)
class ShownService:
    service_id: str
    name: str | None
    count: int


@dataclass(frozen=True)
class GapGroup:
    key: str  # "service:<id>" (grouped by the nearest service) or a content lemma
    label: str  # for a heading: the service's name, else the group's words
    terms: list[str]  # the group's most frequent content lemmas, the key first
    count: int
    conversations: int  # distinct conversations (by hash); a resident asking twice counts once here
    outcomes: dict[str, int]
    reasons: dict[str, int]
    examples: list[str]  # redacted, newest first, no repeats
    shown: list[ShownService]
    topics: dict[str, int]
    mean_best_score: float | None
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class SeriesPoint:
    start: date
    answered: int = 0
    clarified: int = 0
    nothing: int = 0
    not_helpful: int = 0


@dataclass(frozen=True)
class GapsReport:
    since: datetime
    until: datetime
    bucket: str  # "day" or "week"
    totals: dict[str, int]
    groups: list[GapGroup]
    series: list[SeriesPoint]
    grouping: str = field(default="nearest service shown, else the most shared content lemma")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return _jsonable(data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _is_content_word(word: str, base: str) -> bool:
    """A noun where Voikko knows the word (or its base form: spoken forms); unknown words (Swedish,
    English, typos) count when they are long enough to mean something."""
    # Capitalised as a last try, so that a first name typed in lower case ("matti") is known as one.
    readings = analyse(word) or analyse(base) or analyse(word.capitalize())
    classes = {reading.get("CLASS") for reading in readings}
    if classes & _PERSON_NAME_CLASSES:  # "matti" is also a noun; a name never heads a group
        return False
    if readings:
        return bool(classes & _NOUN_CLASSES)
    return len(word) >= 4


def content_terms(question: str) -> list[str]:
    """The question's content lemmas, folded, in order, without repeats."""
    text = _PLACEHOLDER.sub(" ", question)
    terms: list[str] = []
    for word in TOKEN.findall(text.lower()):
        word = word.strip("'")
        if len(word) < 3 or word.isdigit() or normalise(word) in _STOP:
            continue
        base = lemma(word)
        folded = normalise(base)
        if len(folded) < 3 or folded in _STOP or folded in _MUNICIPALITIES:
            continue
        if _is_content_word(word, base):
            terms.append(folded)
    return list(dict.fromkeys(terms))


def gap_reason(event: RoutingEvent) -> str | None:
    """Why the event is a gap (one reason, the strongest first), or None when it was answered well."""
    if event.outcome in ("clarified", "nothing"):
        return event.outcome
    if event.helpful is False:
        return "not_helpful"
    if event.source == "topic":
        return "weak"
    return None


def _by_service(event: RoutingEvent) -> bool:
    """Grouped by the nearest service: the search's own cards or buttons were shown."""
    return bool(event.services) and event.source != "topic"


def _bucket_start(moment: datetime, bucket: str) -> date:
    day = as_utc(moment).date()
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


def _series(
    events: Iterable[RoutingEvent], since: datetime, until: datetime, bucket: str
) -> list[SeriesPoint]:
    counts: dict[date, Counter[str]] = {}
    start = _bucket_start(since, bucket)
    step = timedelta(days=7 if bucket == "week" else 1)
    last = _bucket_start(until - timedelta(microseconds=1), bucket)
    while start <= last:  # every bucket, empty ones too, so a chart's axis is even
        counts[start] = Counter()
        start += step
    for event in events:
        counter = counts.setdefault(_bucket_start(event.at, bucket), Counter())
        counter[event.outcome] += 1
        if event.helpful is False:
            counter["not_helpful"] += 1
    return [SeriesPoint(day, **{k: c[k] for k in (*ROUTING_OUTCOMES, "not_helpful")})
            for day, c in sorted(counts.items())]


def _group_keys(gaps: list[tuple[RoutingEvent, list[str]]]) -> list[str]:
    shared = Counter(term for event, terms in gaps if not _by_service(event) for term in terms)
    keys = []
    for event, terms in gaps:
        if _by_service(event):
            keys.append(f"service:{event.services[0]}")
        elif terms:
            # Ties: the longer lemma (a Finnish compound is the more specific), then the earlier one.
            keys.append(max(terms, key=lambda t: (shared[t], len(t), -terms.index(t))))
        else:
            keys.append(NO_TERMS)
    return keys


def _group(
    key: str, members: list[tuple[RoutingEvent, list[str]]], names: Mapping[str, str]
) -> GapGroup:
    members.sort(key=lambda item: (as_utc(item[0].at), item[0].id), reverse=True)
    events = [event for event, _terms in members]
    term_counts = Counter(term for _event, terms in members for term in terms)
    terms = [key] if not key.startswith(("service:", "(")) else []
    terms += [t for t, _ in term_counts.most_common(4) if t != key][: 3 - len(terms)]
    shown = Counter(service for event in events for service in event.services)
    scores = [event.best_score for event in events if event.best_score is not None]
    examples = list(dict.fromkeys(event.question for event in events if event.question))[:MAX_EXAMPLES]
    service_id = key.removeprefix("service:") if key.startswith("service:") else None
    label = (names.get(service_id) or service_id) if service_id else (" / ".join(terms) or key)
    return GapGroup(
        key=key,
        label=label,
        terms=terms,
        count=len(events),
        conversations=len({e.conversation_hash or f"event:{e.id}" for e in events}),
        outcomes={outcome: sum(e.outcome == outcome for e in events) for outcome in ROUTING_OUTCOMES},
        reasons={reason: sum(gap_reason(e) == reason for e in events) for reason in REASONS},
        examples=examples,
        shown=[ShownService(sid, names.get(sid), n) for sid, n in shown.most_common(MAX_SHOWN)],
        topics=dict(Counter(e.topic for e in events if e.topic).most_common()),
        mean_best_score=round(sum(scores) / len(scores), 3) if scores else None,
        first_seen=as_utc(events[-1].at),
        last_seen=as_utc(events[0].at),
    )


def gaps_report(
    session: Session,
    since: datetime,
    until: datetime,
    *,
    names: Mapping[str, str] | None = None,
    bucket: str | None = None,
    max_groups: int = MAX_GROUPS,
) -> GapsReport:
    """The gaps between ``since`` (inclusive) and ``until`` (exclusive). ``names``: service id -> name,
    for what was shown; ``bucket``: "day" or "week", by default days up to a month, weeks beyond."""
    since, until = as_utc(since), as_utc(until)
    bucket = bucket or ("day" if until - since <= timedelta(days=DAILY_UP_TO_DAYS) else "week")
    query = select(RoutingEvent).where(RoutingEvent.at >= since, RoutingEvent.at < until)
    events = list(session.scalars(query.order_by(RoutingEvent.id)))
    gaps = [(event, content_terms(event.question)) for event in events if gap_reason(event)]
    grouped: dict[str, list[tuple[RoutingEvent, list[str]]]] = {}
    for key, item in zip(_group_keys(gaps), gaps, strict=True):
        grouped.setdefault(key, []).append(item)
    groups = [_group(key, members, names or {}) for key, members in grouped.items()]
    groups.sort(key=lambda g: (-g.count, -g.last_seen.timestamp(), g.key))
    totals = {
        "events": len(events),
        **{outcome: sum(e.outcome == outcome for e in events) for outcome in ROUTING_OUTCOMES},
        "gaps": len(gaps),
        "helpful": sum(e.helpful is True for e in events),
        "not_helpful": sum(e.helpful is False for e in events),
        "weak": sum(gap_reason(e) == "weak" for e in events),
        "groups": len(groups),
    }
    series = _series(events, since, until, bucket)
    return GapsReport(since, until, bucket, totals, groups[:max_groups], series)


def report_for_days(
    session: Session, days: int, *, names: Mapping[str, str] | None = None, now: datetime | None = None
) -> GapsReport:
    until = now or datetime.now(timezone.utc)
    return gaps_report(session, until - timedelta(days=days), until, names=names)


def format_report(report: GapsReport) -> str:
    """Plain text for the command line."""
    t = report.totals
    lines = [
        f"Gaps {report.since:%Y-%m-%d %H:%M} - {report.until:%Y-%m-%d %H:%M} UTC: {t['events']} questions"
        f" routed, {t['gaps']} gaps in {t['groups']} groups",
        f"  answered {t['answered']}, clarified {t['clarified']}, nothing {t['nothing']}; weak matches"
        f" {t['weak']}; \"Sainko apua?\" yes {t['helpful']}, no {t['not_helpful']}",
        "",
    ]
    if not report.groups:
        lines.append("No gaps in this period.")
    for group in report.groups:
        reasons = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in group.reasons.items() if n)
        lines.append(f"{group.label}: {group.count} questions, {group.conversations} conversations"
                     f" ({reasons}); last {group.last_seen:%Y-%m-%d}")
        if group.shown:
            shown = ", ".join(f"{s.name or s.service_id} x{s.count}" for s in group.shown)
            lines.append(f"    shown: {shown}")
        for example in group.examples:
            lines.append(f"    \"{example}\"")
    lines += ["", f"By {report.bucket}: answered / clarified / nothing / not helpful"]
    for point in report.series:
        lines.append(f"  {point.start}  {point.answered:>5} {point.clarified:>5} {point.nothing:>5}"
                     f" {point.not_helpful:>5}")
    return "\n".join(lines)


def service_names(settings: Any) -> dict[str, str]:
    """Service id -> Finnish name from the gateway's catalogue; empty when it cannot load (ids still show)."""
    from bot.catalogue import gateway_catalogue_or_none

    catalogue = gateway_catalogue_or_none(settings)
    return {sid: service.name.fi for sid, service in catalogue.services.items()} if catalogue else {}
