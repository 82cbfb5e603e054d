"""Routing events and the editors' gaps report: stored through the internal API (redacted, capped, a hashed
conversation id), linked to "Sainko apua?" = no, grouped, shown to editors only, printed by the command
line and purged by the retention job. Every personal detail below is fictional test data."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select

from bot import cli
from bot.db import alembic_config, configure_database, dispose_database, new_session, run_migrations
from bot.gaps_report import NO_TERMS, content_terms, format_report, gap_reason, gaps_report
from bot.models import ROUTING_QUESTION_CHARS, RoutingEvent
from bot.repositories import routing_events as routing_repo
from bot.retention import parse_period, purge, tracker_store_url
from tests.gateway.conftest import SERVICE, add_user, auth, get_token

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
# Fictional: a henkilötunnus with a valid check character, a number and an address of no one.
HETU = "131052-308T"
PHONE = "040 123 4567"
EMAIL = "matti.meikalainen@example.com"


def _event(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "conversation_id": "conv-1",
        "outcome": "clarified",
        "question": "mist mä voin hakee asumistukee",
        "best_score": 0.14,
        "margin": 0.01,
        "services": ["kela_asumistuki", "vake_sosiaaliohjaus"],
        "topic": "housing",
        "language": "fi",
    }
    payload.update(overrides)
    return payload


def _post(client, **overrides: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.post("/api/internal/routing-events", json=_event(**overrides), headers=SERVICE)
    assert response.status_code == 201, response.text
    return response.json()


def _rows() -> list[RoutingEvent]:
    with new_session() as session:
        rows = list(session.scalars(select(RoutingEvent).order_by(RoutingEvent.id)))
        session.expunge_all()
        return rows


def test_routing_events_need_the_service_token(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/internal/routing-events", json=_event()).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert client.post("/api/internal/routing-events", json=_event(), headers=wrong).status_code == 403
    assert _rows() == []
    stored = _post(client)
    assert stored["outcome"] == "clarified" and stored["question"] == "mist mä voin hakee asumistukee"
    row = _rows()[0]
    assert row.services == ["kela_asumistuki", "vake_sosiaaliohjaus"] and row.source == "search"
    assert row.best_score == pytest.approx(0.14) and row.topic == "housing"
    # The raw conversation id is not stored; a keyed hash of it is, the same for the same conversation.
    assert row.conversation_hash and "conv-1" not in row.conversation_hash
    _post(client)
    assert _rows()[1].conversation_hash == row.conversation_hash
    _post(client, conversation_id="conv-2")
    assert _rows()[2].conversation_hash != row.conversation_hash


def test_personal_data_is_redacted_before_it_is_stored(client) -> None:  # type: ignore[no-untyped-def]
    question = f"hetuni on {HETU}, soita {PHONE} tai {EMAIL}, mistä saan asumistukea"
    stored = _post(client, question=question)
    for secret in (HETU, PHONE, EMAIL, "308T", "4567", "example.com"):
        assert secret not in stored["question"]
        assert secret not in _rows()[0].question
    assert "[henkilötunnus]" in stored["question"] and "[puhelinnumero]" in stored["question"]
    assert "[sähköposti]" in stored["question"] and "asumistukea" in stored["question"]
    # Capped after redacting: a number at the very end of a long question is still not kept.
    long_question = "asumistuki " * 180 + PHONE
    stored = _post(client, question=long_question)
    assert len(stored["question"]) <= ROUTING_QUESTION_CHARS and "4567" not in stored["question"]


@pytest.mark.parametrize("bad", [
    {"outcome": "maybe"},
    {"source": "guess"},
    {"question": "x" * 2001},
    {"services": [f"palvelu_{i}" for i in range(11)]},
    {"services": ["ei sallittu tunnus!"]},
    {"conversation_id": "bad id with spaces"},
    {"best_score": 5},
    {"topic": "t" * 65},
    {"language": "de"},
])
def test_sizes_and_values_are_bounded(client, bad: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/internal/routing-events", json=_event(**bad), headers=SERVICE)
    assert response.status_code == 422, response.text


def test_feedback_no_is_linked_to_what_was_shown(client) -> None:  # type: ignore[no-untyped-def]
    _post(client, conversation_id="conv-a", outcome="answered", best_score=0.45, margin=0.2,
          services=["kela_asumistuki"], question="voinko saada asumistukea opiskelijana")
    _post(client, conversation_id="conv-b", outcome="answered", best_score=0.7, margin=0.3,
          services=["vake_neuvola"], question="neuvolan aukioloajat")
    response = client.post("/api/internal/feedback", headers=SERVICE,
                           json={"conversation_id": "conv-a", "helpful": False, "topic": "housing"})
    assert response.status_code == 201
    rated = {row.question: row.helpful for row in _rows()}
    assert rated == {"voinko saada asumistukea opiskelijana": False, "neuvolan aukioloajat": None}
    # A second answer in the same conversation gets its own rating; the first keeps its own.
    _post(client, conversation_id="conv-a", outcome="answered", best_score=0.8, margin=0.3,
          services=["kela_asumistuki"], question="asumistuen hakeminen")
    client.post("/api/internal/feedback", headers=SERVICE,
                json={"conversation_id": "conv-a", "helpful": True})
    rated = {row.question: row.helpful for row in _rows()}
    assert rated["asumistuen hakeminen"] is True and rated["voinko saada asumistukea opiskelijana"] is False

    with new_session() as session:
        report = gaps_report(session, NOW - timedelta(days=3650), datetime.now(timezone.utc) + timedelta(1),
                             names={"kela_asumistuki": "Asumistuki"})
    assert report.totals["not_helpful"] == 1 and report.totals["helpful"] == 1
    group = report.groups[0]
    assert group.key == "service:kela_asumistuki" and group.label == "Asumistuki"
    assert group.reasons["not_helpful"] == 1
    assert group.examples == ["voinko saada asumistukea opiskelijana"]
    assert [(s.service_id, s.name, s.count) for s in group.shown] == [("kela_asumistuki", "Asumistuki", 1)]


def _store(session, question: str, at: datetime, **fields: Any) -> RoutingEvent:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {"conversation_hash": None, "outcome": "clarified", "source": "search",
                              "best_score": 0.13, "margin": 0.01, "services": [], "topic": None,
                              "language": "fi"}
    values.update(fields)
    return routing_repo.record(session, question=question, at=at, **values)


def test_similar_questions_are_grouped(database_url: str) -> None:
    configure_database(database_url)
    run_migrations(database_url)
    with new_session() as session:
        day = NOW - timedelta(days=2)
        # Shown the search's own buttons: grouped by the nearest service.
        _store(session, "mist mä voin hakee asumistukee", day, conversation_hash="h1",
               services=["kela_yleinen_asumistuki", "kela_opiskelijan_asumislisa"])
        _store(session, "saako opiskelija asumistukea", day + timedelta(hours=2), conversation_hash="h2",
               services=["kela_yleinen_asumistuki"])
        # Nothing found, or the topic's cards: grouped by the words.
        _store(session, "asumistuki opiskelijalle?", day + timedelta(hours=1), outcome="answered",
               source="topic", conversation_hash="h2", services=["kela_yleinen_asumistuki"], topic="housing")
        _store(session, "onko teillä koiraparkkia", day, outcome="nothing", conversation_hash="h3")
        _store(session, "koiraparkki Keravalla", NOW - timedelta(days=1), outcome="nothing")
        _store(session, "koiraparkin aukiolo", NOW - timedelta(hours=5), outcome="answered", source="topic",
               best_score=0.1, services=["vake_fysioterapia"])
        _store(session, "no niin mitä nyt", NOW - timedelta(hours=6), outcome="nothing")
        # Not gaps: a sure answer, a button choice.
        _store(session, "neuvolan puhelinnumero", NOW - timedelta(hours=4), outcome="answered",
               best_score=0.82, margin=0.3, services=["vake_neuvola"])
        _store(session, "Neuvola", NOW - timedelta(hours=4), outcome="answered", source="choice",
               best_score=None, margin=None, services=["vake_neuvola"])
        _store(session, "vanha kysymys asumistuesta", NOW - timedelta(days=40))  # outside the period
        session.commit()

        report = gaps_report(session, NOW - timedelta(days=30), NOW,
                             names={"kela_yleinen_asumistuki": "Yleinen asumistuki"})

    assert report.totals == {"events": 9, "answered": 4, "clarified": 2, "nothing": 3, "gaps": 7,
                             "helpful": 0, "not_helpful": 0, "weak": 2, "groups": 4}
    dogs, service, empty, words = report.groups  # one question each: the newer first
    assert dogs.key == "koiraparkki" and dogs.count == 3 and dogs.reasons["weak"] == 1
    assert dogs.outcomes == {"answered": 1, "clarified": 0, "nothing": 2}
    assert dogs.examples[0] == "koiraparkin aukiolo" and dogs.last_seen == NOW - timedelta(hours=5)
    assert service.key == "service:kela_yleinen_asumistuki" and service.label == "Yleinen asumistuki"
    assert service.count == 2 and service.conversations == 2 and service.outcomes["clarified"] == 2
    assert service.examples == ["saako opiskelija asumistukea", "mist mä voin hakee asumistukee"]
    assert [(s.service_id, s.count) for s in service.shown] == [
        ("kela_yleinen_asumistuki", 2), ("kela_opiskelijan_asumislisa", 1)]
    assert words.key == "asumistuki" and words.label == "asumistuki / opiskelija" and words.topics == {
        "housing": 1}
    assert empty.key == NO_TERMS and empty.count == 1
    # A day per bucket for a month, every day present so a chart's axis is even.
    assert report.bucket == "day" and len(report.series) == 31
    by_day = {point.start: point for point in report.series}
    assert by_day[(NOW - timedelta(days=2)).date()].clarified == 2
    assert sum(p.answered for p in report.series) == 4
    text = format_report(report)
    assert "Yleinen asumistuki: 2 questions" in text and '"koiraparkki Keravalla"' in text
    data = json.loads(json.dumps(report.as_dict()))
    assert data["groups"][0]["key"] == "koiraparkki" and data["series"][0]["start"] == "2026-11-02"
    with new_session() as session:
        weekly = gaps_report(session, NOW - timedelta(days=90), NOW)
    assert weekly.bucket == "week" and all(p.start.weekday() == 0 for p in weekly.series)


def test_content_terms_leave_out_question_words_places_names_and_placeholders() -> None:
    assert content_terms("Mistä mä voin hakea asumistukea Keravalla? [puhelinnumero]") == ["asumistuki"]
    assert content_terms("matti kysyy koiraparkista") == ["koiraparkki"]
    assert content_terms("hur ansöker jag om bostadsbidrag") == ["ansoker", "bostadsbidrag"]
    assert content_terms("where can I get help with my rent") == ["rent"]


def test_gap_reason_prefers_the_strongest() -> None:
    answered = RoutingEvent(outcome="answered", source="search", best_score=0.9, helpful=False)
    assert gap_reason(answered) == "not_helpful"
    assert gap_reason(RoutingEvent(outcome="answered", source="topic", best_score=0.9)) == "weak"
    # A low score alone is no gap: answers were right in every score band (see bot.gaps_report).
    assert gap_reason(RoutingEvent(outcome="answered", source="search", best_score=0.16)) is None
    assert gap_reason(RoutingEvent(outcome="answered", source="choice", best_score=None)) is None
    assert gap_reason(RoutingEvent(outcome="nothing", source="search", best_score=0.0)) == "nothing"


def test_the_editor_endpoint_is_for_editors_only(client) -> None:  # type: ignore[no-untyped-def]
    _post(client)
    _post(client, question=f"asumistuki, puhelin {PHONE}", outcome="nothing", services=[])
    assert client.get("/api/editor/gaps").status_code == 401
    add_user("hoitaja1", "worker")
    add_user("toimittaja", "editor")
    add_user("paakayttaja", "admin")
    assert client.get("/api/editor/gaps", headers=auth(get_token(client, "hoitaja1"))).status_code == 403
    response = client.get("/api/editor/gaps?days=7", headers=auth(get_token(client, "toimittaja")))
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["totals"]["events"] == 2 and data["totals"]["gaps"] == 2 and data["bucket"] == "day"
    keys = {group["key"]: group for group in data["groups"]}
    assert keys.keys() == {"service:kela_asumistuki", "asumistuki"}
    assert keys["asumistuki"]["outcomes"]["nothing"] == 1 and keys["asumistuki"]["examples"] == [
        "asumistuki, puhelin [puhelinnumero]"]
    assert "4567" not in response.text and "conv-1" not in response.text
    assert len(data["series"]) in (7, 8)  # today's bucket is counted whatever the hour
    admin = auth(get_token(client, "paakayttaja"))
    assert client.get("/api/editor/gaps", headers=admin).status_code == 200
    assert client.get("/api/editor/gaps?days=0", headers=admin).status_code == 422
    assert client.get("/api/editor/gaps?days=9999", headers=admin).status_code == 422


def test_the_command_line_prints_the_report(client, database_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    _post(client, question="koiraparkki Keravalla", outcome="nothing", services=[])
    assert cli.main(["--database-url", database_url, "gaps-report", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "1 questions routed, 1 gaps in 1 groups" in out and '"koiraparkki Keravalla"' in out
    assert cli.main(["--database-url", database_url, "gaps-report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["groups"][0]["key"] == "koiraparkki" and data["totals"]["nothing"] == 1
    with pytest.raises(SystemExit):
        cli.main(["--database-url", database_url, "gaps-report", "--days", "0"])


def test_purge_deletes_old_routing_events(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    configure_database(database_url)
    run_migrations(database_url)
    with new_session() as session:
        _store(session, "vanha kysymys", NOW - timedelta(days=120))
        _store(session, "uusi kysymys", NOW - timedelta(days=10))
        session.commit()
        tracker = tracker_store_url(database_url, tmp_path)
        result = purge(session, parse_period("90d"), tracker, "cli", now=NOW)
        assert result.routing_events == 1
        assert [row.question for row in session.scalars(select(RoutingEvent))] == ["uusi kysymys"]


def test_the_migration_goes_down_and_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    run_migrations(url)
    dispose_database()
    engine = create_engine(url)
    assert "routing_events" in inspect(engine).get_table_names()
    command.downgrade(alembic_config(url), "0004_catalogue_editing")
    assert "routing_events" not in inspect(engine).get_table_names()
    command.upgrade(alembic_config(url), "head")
    columns = {c["name"] for c in inspect(engine).get_columns("routing_events")}
    assert {"at", "conversation_hash", "outcome", "question", "best_score", "margin", "services", "topic",
            "language", "helpful"} <= columns
    engine.dispose()
