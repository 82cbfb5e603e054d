"""The catalogue editing service layer on a copy of the real catalogue and a real database (SQLite and
PostgreSQL): version tokens, validation of the whole catalogue, history and undo, drafts, scheduling, the
translation-review marks, and files that stay readable."""

from __future__ import annotations

import copy
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.catalogue_editing import CatalogueEditing, EditConflict, EntryInvalid, review_marks
from bot.db import configure_database, new_session, run_migrations
from bot.models import AuditLog
from bot.settings import PROJECT_ROOT
from service_catalogue.loader import CatalogueStore, load_catalogue

ENTRY = "kela_omakela"


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(
        PROJECT_ROOT / "service_catalogue",
        target,
        ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"),
    )
    return target


@pytest.fixture
def editing(catalogue_dir: Path, database_url: str) -> CatalogueEditing:
    configure_database(database_url)
    run_migrations(database_url)
    return CatalogueEditing(catalogue_dir)


def _changed_phone(data: dict, phone: str) -> dict:
    changed = copy.deepcopy(data)
    changed["channels"].append({"type": "phone", "phone": phone})
    return changed


def test_publish_changes_only_the_entry_and_keeps_the_file_readable(editing: CatalogueEditing) -> None:
    path = editing.directory / "services" / "kela.yaml"
    before_text = path.read_text(encoding="utf-8")
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        data = copy.deepcopy(snap.data)
        data["summary"]["fi"] = data["summary"]["fi"] + " Testimuutos."
        new = editing.publish(session, ENTRY, data, version=snap.version, author="toimittaja")
    after_text = path.read_text(encoding="utf-8")
    assert new.version != snap.version
    assert after_text.startswith("# Kela. (Peruspäiväraha")  # the file's comments survive
    assert "name: {fi: OmaKela-asiointi, sv: MittFPA, en: OmaKela e-service}" in after_text  # flow style kept
    before_entries, after_entries = before_text.split("\n- id: "), after_text.split("\n- id: ")
    changed = [b for b, a in zip(before_entries, after_entries, strict=True) if a != b]
    assert [text.split("\n", 1)[0] for text in changed] == [ENTRY]  # every other entry byte for byte
    assert load_catalogue(editing.directory).get(ENTRY).summary.fi.endswith("Testimuutos.")


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(editing: CatalogueEditing) -> None:
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        first = editing.publish(
            session, ENTRY, _changed_phone(snap.data, "029 634 1000"), version=snap.version, author="a"
        )
        with pytest.raises(EditConflict) as raised:
            editing.publish(
                session, ENTRY, _changed_phone(snap.data, "020 000 0000"), version=snap.version, author="b"
            )
    assert raised.value.current is not None and raised.value.current.version == first.version
    live = load_catalogue(editing.directory).get(ENTRY)
    assert [c.phone for c in live.channels if c.phone] == ["029 634 1000"]


def test_invalid_fields_are_named_and_nothing_is_written(editing: CatalogueEditing) -> None:
    path = editing.directory / "services" / "kela.yaml"
    before = path.read_text(encoding="utf-8")
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        bad = _changed_phone(snap.data, "soita meille")
        bad["related"] = ["no_such_service"]
        with pytest.raises(EntryInvalid) as raised:
            editing.publish(session, ENTRY, bad, version=snap.version, author="a")
        assert [e.field for e in raised.value.errors] == ["channels.1.phone"]
        bad["channels"].pop()
        with pytest.raises(EntryInvalid) as raised:  # a cross-reference only the whole catalogue can check
            editing.publish(session, ENTRY, bad, version=snap.version, author="a")
        assert [e.field for e in raised.value.errors] == ["related"]
    assert path.read_text(encoding="utf-8") == before


def test_history_and_undo_restore_the_earlier_content_as_a_new_change(editing: CatalogueEditing) -> None:
    with new_session() as session:
        original = editing.get(session, ENTRY)
        changed = editing.publish(
            session,
            ENTRY,
            _changed_phone(original.data, "029 634 1000"),
            version=original.version,
            author="toimittaja",
            minor=True,
        )
        change = editing.history(session, ENTRY)[0]
        assert (change.author, change.action, change.minor) == ("toimittaja", "update", True)
        editing.undo(session, change.id, version=changed.version, author="toinen")
        history = editing.history(session, ENTRY)
        assert [c.action for c in history] == ["undo", "update"]
        assert history[0].undo_of == change.id
        assert editing.get(session, ENTRY).version == original.version
        actions = [a.action for a in session.query(AuditLog).order_by(AuditLog.id)]
    assert actions == ["catalogue_update", "catalogue_undo"]


def test_retire_and_undo_the_retirement(editing: CatalogueEditing) -> None:
    with new_session() as session:
        target = next(
            sid
            for sid, e in editing.entries().items()
            if not any(sid in (o.data.get("related") or []) for o in editing.entries().values())
            and not e.data.get("risk_categories")
        )
        snap = editing.get(session, target)
        change = editing.retire(session, target, version=snap.version, author="toimittaja")
        assert target not in load_catalogue(editing.directory).services
        editing.undo(session, change.id, version=None, author="toimittaja")
    assert target in load_catalogue(editing.directory).services


def test_a_crisis_contact_cannot_be_retired(editing: CatalogueEditing) -> None:
    catalogue = load_catalogue(editing.directory)
    crisis_line = catalogue.crisis_contacts["suicide_self_harm"][0]
    with new_session() as session:
        snap = editing.get(session, crisis_line)
        with pytest.raises(EntryInvalid):
            editing.retire(session, crisis_line, version=snap.version, author="toimittaja")
    assert crisis_line in load_catalogue(editing.directory).services


def test_a_draft_leaves_the_live_entry_until_published(editing: CatalogueEditing) -> None:
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        editing.save_draft(
            session,
            ENTRY,
            _changed_phone(snap.data, "029 634 1000"),
            version=snap.version,
            author="toimittaja",
        )
        assert editing.get(session, ENTRY).version == snap.version  # live unchanged
        assert not any(c.phone for c in load_catalogue(editing.directory).get(ENTRY).channels)
        editing.publish_draft(session, ENTRY, author="toimittaja")
        assert editing.get(session, ENTRY).draft is None
    assert [c.phone for c in load_catalogue(editing.directory).get(ENTRY).channels if c.phone] == [
        "029 634 1000"
    ]


def test_a_draft_made_from_an_old_version_does_not_overwrite_a_newer_change(
    editing: CatalogueEditing,
) -> None:
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        editing.save_draft(
            session, ENTRY, _changed_phone(snap.data, "029 634 1000"), version=snap.version, author="a"
        )
        editing.publish(
            session, ENTRY, _changed_phone(snap.data, "029 634 2000"), version=snap.version, author="b"
        )
        with pytest.raises(EditConflict):
            editing.publish_draft(session, ENTRY, author="a")


def test_a_scheduled_draft_goes_live_on_time(editing: CatalogueEditing) -> None:
    now = datetime.now(timezone.utc)
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        editing.save_draft(
            session,
            ENTRY,
            _changed_phone(snap.data, "029 634 1000"),
            version=snap.version,
            author="a",
            publish_at=(now + timedelta(minutes=5)).astimezone(ZoneInfo("Europe/Helsinki")),  # as typed
        )
        assert editing.publish_due(session, now + timedelta(minutes=4)) == []
        assert editing.publish_due(session, now + timedelta(minutes=6)) == [ENTRY]
        assert editing.history(session, ENTRY)[0].author == "a"


def test_a_validity_period_is_applied_by_the_store_on_time(editing: CatalogueEditing) -> None:
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        data = copy.deepcopy(snap.data)
        data["valid_from"] = start.isoformat()
        editing.publish(session, ENTRY, data, version=snap.version, author="a")
    now = [start - timedelta(seconds=1)]
    store = CatalogueStore(editing.directory, check_interval=0, clock=lambda: now[0])
    assert ENTRY not in store.get().services  # prepared in advance, not offered yet
    assert ENTRY in store.get_all().services
    now[0] = start
    assert ENTRY in store.get().services  # offered from the first second, without any file change


def test_a_changed_finnish_text_marks_its_translations_unless_minor() -> None:
    before = {"name": {"fi": "Vanha", "sv": "Gammal", "en": "Old"}, "summary": {"fi": "S", "sv": "S"}}
    after = copy.deepcopy(before)
    after["name"]["fi"] = "Uusi"
    assert review_marks(before, after, minor=False) == ["name.en", "name.sv"]
    assert review_marks(before, after, minor=True) == []
    after["name"]["sv"] = "Ny"  # the translator changed Swedish in the same save
    assert review_marks(before, after, minor=False) == ["name.en"]
    after["translation_review"] = ["name.en"]
    after["name"]["en"] = "New"
    assert review_marks(after | {"name": {"fi": "Uusi", "sv": "Ny", "en": "Old"}}, after, minor=False) == []


def test_marks_are_stored_in_the_entry(editing: CatalogueEditing) -> None:
    with new_session() as session:
        snap = editing.get(session, ENTRY)
        data = copy.deepcopy(snap.data)
        data["summary"]["fi"] = "Uusi tiivistelmä OmaKelasta."
        editing.publish(session, ENTRY, data, version=snap.version, author="a")
    stored = yaml.safe_load((editing.directory / "services" / "kela.yaml").read_text(encoding="utf-8"))
    entry = next(e for e in stored if e["id"] == ENTRY)
    assert entry["translation_review"] == ["summary.en", "summary.sv"]


def test_a_new_entry_is_added_and_its_id_must_be_new(editing: CatalogueEditing) -> None:
    from tests.catalogue_copy import NEW_ENTRY

    with new_session() as session:
        snap = editing.add(session, dict(NEW_ENTRY), author="toimittaja")
        assert snap.file == "hyvinvointialue_lisapalvelut.yaml"
        with pytest.raises(EntryInvalid) as raised:
            editing.add(session, dict(NEW_ENTRY), author="toimittaja")
        assert raised.value.errors[0].field == "id"
    assert NEW_ENTRY["id"] in load_catalogue(editing.directory).services
