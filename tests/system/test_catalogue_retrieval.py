"""Catalogue retrieval in the running system: an editor's new entry answers residents within seconds,
without retraining or a restart, and the answer speaks the resident's language."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import yaml

from tests.catalogue_copy import NEW_ENTRY
from tests.system.running_system import RunningSystem

pytestmark = pytest.mark.system

RELOAD_DEADLINE_S = 30


def _card_ids(replies: list[dict]) -> list[str]:
    return [r["custom"]["service_id"] for r in replies
            if isinstance(r.get("custom"), dict) and r["custom"].get("type") == "service_card"]


def test_a_new_service_file_is_the_first_answer_to_its_questions_within_seconds(
    running_system: RunningSystem,
) -> None:
    services_dir = Path(running_system.env["CATALOGUE_DIR"]) / "services"
    path = services_dir / "testi_uusi.yaml"
    question, other_question = NEW_ENTRY["example_questions"]["fi"]
    assert NEW_ENTRY["id"] not in _card_ids(running_system.chat(f"cat-{uuid.uuid4().hex}", question))
    path.write_text(yaml.safe_dump([NEW_ENTRY], allow_unicode=True), encoding="utf-8")
    try:
        started = time.monotonic()
        while True:
            cards = _card_ids(running_system.chat(f"cat-{uuid.uuid4().hex}", question))
            if cards[:1] == [NEW_ENTRY["id"]]:
                break
            assert time.monotonic() - started < RELOAD_DEADLINE_S, f"still {cards} after {RELOAD_DEADLINE_S}s"
            time.sleep(1)
        other = _card_ids(running_system.chat(f"cat-{uuid.uuid4().hex}", other_question))
        assert other[:1] == [NEW_ENTRY["id"]]
    finally:
        path.unlink()


def test_a_service_no_intent_names_gets_its_card_with_the_lead_in_swedish(
    running_system: RunningSystem,
) -> None:
    question = "Min man dog, kan jag få familjepension från FPA?"
    replies = running_system.chat(f"cat-{uuid.uuid4().hex}", question, lang="sv")
    assert "kela_perhe_elake" in _card_ids(replies), replies
    assert replies[0]["text"] == "Här kan du själv komma igång:"
