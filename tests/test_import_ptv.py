"""The PTV v11 import: mapping of each documented gotcha, the three-way plan, and writing through the editing
service layer, on a temporary copy of the catalogue and a temporary SQLite database (never the real ones).
The fixtures under tests/fixtures/ptv are fictional."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.catalogue_editing import CatalogueEditing
from bot.db import configure_database, dispose_database, new_session, run_migrations
from bot.models import AuditLog
from bot.settings import PROJECT_ROOT
from service_catalogue import import_ptv
from service_catalogue.loader import load_catalogue
from service_catalogue.ptv import snapshots
from service_catalogue.ptv.mapping import format_phone, map_service, record_url
from service_catalogue.ptv.plan import AddDefaults, classify, plan_import
from service_catalogue.ptv.reading import PtvFormatError, read_files, read_payloads
from service_catalogue.ptv.shapes import Phone

FIXTURES = Path(__file__).parent / "fixtures" / "ptv"
FILES = ("service_single.json", "channels_page.json", "services_page.json")
TODAY = date(2026, 12, 1)
FAMILY = "00000000-0000-4000-8000-000000000101"
SUPPORT = "00000000-0000-4000-8000-000000000102"
PHONE_CHANNEL = "00000000-0000-4000-8000-000000000201"
WEB_CHANNEL = "00000000-0000-4000-8000-000000000202"
LOCATION_CHANNEL = "00000000-0000-4000-8000-000000000203"
ECHANNEL = "00000000-0000-4000-8000-000000000204"
ENTRY = "kuvitteellinen_perheneuvola"
ADD_OPTIONS = ["--provider-type", "hyvinvointialue", "--topic", "contacts", "--segment", "1", "2"]
DEFAULTS = AddDefaults(provider_type="hyvinvointialue", topics=["contacts"], segments=[1, 2])


FAMILY_FILES = FILES[:2]  # the family counselling service and its channels


def _payloads(tweak: Any = None, names: tuple[str, ...] = FAMILY_FILES) -> dict[str, Any]:
    data = {name: json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in names}
    if tweak is not None:
        tweak(data)
    return data


def _write(tmp_path: Path, data: dict[str, Any], folder: str = "ptv") -> list[str]:
    target = tmp_path / folder
    target.mkdir(exist_ok=True)
    paths = []
    for name, payload in data.items():
        (target / name).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        paths.append(str(target / name))
    return paths


def _channel(data: dict[str, Any], channel_id: str) -> dict[str, Any]:
    return next(c for c in data["channels_page.json"]["itemList"] if c["id"] == channel_id)


@pytest.fixture(scope="module")
def county():  # type: ignore[no-untyped-def]
    return load_catalogue(PROJECT_ROOT / "service_catalogue").county


@pytest.fixture(scope="module")
def mapped(county):  # type: ignore[no-untyped-def]
    batch = read_files(FIXTURES / name for name in FILES)
    return {
        sid: map_service(service, batch.channels, county, TODAY) for sid, service in batch.services.items()
    }


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
def database_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'db' / 'assistant.sqlite3'}"
    configure_database(url)
    run_migrations(url)
    yield url
    dispose_database()


@pytest.fixture(scope="module")
def imported_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue copy and a database after importing the family counselling service once (made once:
    every save through the service layer re-reads the whole catalogue, seconds each)."""
    root = tmp_path_factory.mktemp("imported")
    shutil.copytree(
        PROJECT_ROOT / "service_catalogue",
        root / "catalogue",
        ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"),
    )
    url = f"sqlite:///{root / 'db' / 'assistant.sqlite3'}"
    configure_database(url)
    run_migrations(url)
    try:
        assert _run(root / "catalogue", url, _write(root, _payloads()), "--apply", *ADD_OPTIONS) == 0
    finally:
        dispose_database()
    return root


@pytest.fixture
def imported(imported_template: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A fresh copy of the template: (catalogue directory, database URL)."""
    shutil.copytree(imported_template / "catalogue", tmp_path / "catalogue")
    shutil.copytree(imported_template / "db", tmp_path / "db")
    url = f"sqlite:///{tmp_path / 'db' / 'assistant.sqlite3'}"
    configure_database(url)
    yield tmp_path / "catalogue", url
    dispose_database()


def _run(catalogue_dir: Path, database_url: str, files: list[str], *extra: str) -> int:
    return import_ptv.main(
        [*files, "--catalogue", str(catalogue_dir), "--database-url", database_url, *extra]
    )


def _live(catalogue_dir: Path, entry_id: str = ENTRY) -> dict[str, Any]:
    return CatalogueEditing(catalogue_dir).entries()[entry_id].data


def _live_channel(entry: dict[str, Any], ptv_id: str) -> dict[str, Any]:
    return next(c for c in entry["channels"] if c.get("ptv_id") == ptv_id)


def _tree_digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# --- mapping: the gotchas of ptv_v11.md -------------------------------------------------------------


def test_hours_on_the_connection_replace_the_channels_weekly_hours_and_exceptions_come_from_both(
    mapped,
) -> None:
    channel = _live_channel(mapped[FAMILY].content, PHONE_CHANNEL)
    # Connection: Mon–Thu 09:00:00–12:30:00 (on both sides of the connection, shown once); channel: Mon–Fri
    # 8–16 and a Christmas closing; last year's midsummer closing is over and left out.
    assert channel["hours"] == {
        "fi": "ma–to klo 9–12.30. Poikkeusaukiolot: 24.12.2026–26.12.2026 suljettu (Joulu)",
        "sv": "mån–tor kl. 9–12.30. Avvikande öppettider: 24.12.2026–26.12.2026 stängt (Jul)",
        "en": "Mon–Thu 9–12:30. Exceptions: 24.12.2026–26.12.2026 closed",
    }
    assert any("own weekly hours" in d for d in mapped[FAMILY].dropped)


def test_an_empty_day_to_and_seconds_in_times(mapped) -> None:
    location = _live_channel(mapped[FAMILY].content, LOCATION_CHANNEL)
    assert location["hours"]["fi"] == "ma–pe klo 8–15.45, la klo 10–14"
    assert location["hours"]["en"] == "Mon–Fri 8–15:45, Sat 10–14"


def test_support_emails_and_emails_are_both_read(mapped) -> None:
    assert _live_channel(mapped[FAMILY].content, PHONE_CHANNEL)["email"] == "perheneuvola@example.org"
    assert _live_channel(mapped[FAMILY].content, LOCATION_CHANNEL)["email"] == "toimipiste@example.org"


def test_phone_numbers_with_prefix_and_charge(mapped) -> None:
    phone = _live_channel(mapped[FAMILY].content, PHONE_CHANNEL)
    assert phone["type"] == "phone"
    assert phone["phone"] == "+44 2079460123"  # the Finnish-language number first
    assert phone["charge"] == {
        "fi": "Maksullinen puhelu: pvm/mpm",
        "sv": "Avgiftsbelagt samtal",
        "en": "Charged call",
    }
    location = _live_channel(mapped[FAMILY].content, LOCATION_CHANNEL)
    assert location["phone"] == "01632 960123"  # a service number: no prefix
    assert location["charge"]["fi"] == "Maksuton puhelu"
    dropped = " | ".join(mapped[FAMILY].dropped)
    assert "+44 2079460124 (sv): one number per channel" in dropped
    assert "fax number +44 2079460199" in dropped


def test_format_phone_drops_the_national_zero_after_a_prefix() -> None:
    assert format_phone(Phone(prefixNumber="+44", number="07700 900123")) == "+44 7700 900123"
    assert format_phone(Phone(prefixNumber="44", number="(0)7700-900123")) == "+44 7700900123"
    assert format_phone(Phone(prefixNumber=None, number="")) is None


def test_languages_fi_sv_en_and_missing_translations(mapped) -> None:
    content = mapped[FAMILY].content
    assert content["name"] == {
        "fi": "Kuvitteellinen perheneuvola",
        "sv": "Fiktiv familjerådgivning",
        "en": "Fictional family counselling",
    }
    assert content["summary"] == {
        "fi": "Keskusteluapua lapsiperheille arjen huoliin.",
        "sv": "Samtalsstöd för barnfamiljer.",
    }  # no English summary in PTV
    web = _live_channel(content, WEB_CHANNEL)
    assert web == {
        "type": "web",
        "name": {"fi": "Perheneuvolan verkkosivu"},
        "url": "https://example.org/fi/perheneuvola",
        "ptv_id": WEB_CHANNEL,
    }
    assert mapped[SUPPORT].content["summary"] == {"fi": "Kuvitteellinen etuus, jota haetaan verkossa."}


def test_areas_target_groups_ids_and_source(mapped) -> None:
    family, support = mapped[FAMILY], mapped[SUPPORT]
    assert family.content["area"] == ["Vantaa", "Kerava"]
    assert "area: Helsinki (091) is not a municipality of the county" in family.dropped
    assert family.content["target_groups"] == ["families_with_children"]
    assert any("KR1.4" in d for d in family.dropped)
    assert support.content["area"] == "national"
    assert support.content["target_groups"] == ["everyone"]
    assert family.content["ptv_id"] == FAMILY
    assert family.content["source_urls"] == [record_url(FAMILY)]
    assert record_url(FAMILY).startswith("https://api.palvelutietovaranto.suomi.fi/api/v11/Service/")
    assert family.content["provider"] == "Kuvitteellinen hyvinvointialue"
    assert any("not in the imported files" in d for d in family.dropped)  # channel ...299


def test_a_channel_that_names_the_service_is_connected_from_its_side(mapped) -> None:
    channels = mapped[SUPPORT].content["channels"]
    assert [c["ptv_id"] for c in channels] == [ECHANNEL]
    assert channels[0]["type"] == "eservice" and channels[0]["hours"]["fi"] == "ympäri vuorokauden"


def test_over_midnight_hours() -> None:
    from service_catalogue.ptv.hours import hours_text
    from service_catalogue.ptv.shapes import ServiceHour

    hour = ServiceHour.parse_obj(
        {
            "serviceHourType": "OverMidnight",
            "openingHour": [{"dayFrom": "Friday", "dayTo": "Saturday", "from": "22:00:00", "to": "06:00:00"}],
        }
    )
    assert hours_text([hour], [], TODAY) == {
        "fi": "pe klo 22–la 6",
        "sv": "fre kl. 22–lör 6",
        "en": "Fri 22–Sat 6",
    }


# --- reading ----------------------------------------------------------------------------------------


def test_a_paged_list_and_single_objects_are_read() -> None:
    batch = read_files(FIXTURES / name for name in FILES)
    assert set(batch.services) == {
        FAMILY,
        SUPPORT,
        "00000000-0000-4000-8000-000000000103",
        "00000000-0000-4000-8000-000000000104",
    }
    assert len(batch.channels) == 5


@pytest.mark.parametrize(
    "name, problem",
    [
        ("broken.json", "not valid JSON"),
        ("wrong_shape.json", "serviceNames: value is not a valid list"),
    ],
)
def test_a_file_that_is_not_ptv_json_is_named_with_its_problem(name: str, problem: str) -> None:
    with pytest.raises(PtvFormatError) as raised:
        read_files([FIXTURES / name])
    assert raised.value.source.endswith(name)
    assert problem in raised.value.problem


def test_an_object_of_another_kind_is_refused() -> None:
    with pytest.raises(PtvFormatError, match="neither a PTV service"):
        read_payloads([("upload.json", {"pageNumber": 1, "items": []})])


# --- the plan ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "had_record, base, live, incoming, expected",
    [
        (True, "a", "a", "a", ("unchanged", False)),
        (True, "a", "a", "b", ("change", False)),  # PTV changed, editor did not
        (True, "a", "x", "a", ("unchanged", True)),  # editor changed, PTV did not
        (True, "a", "x", "b", ("conflict", False)),  # both changed
        (True, "a", "b", "b", ("unchanged", False)),  # both made the same change
        (False, None, None, "b", ("change", False)),  # a gap in a hand-written entry is filled
        (False, None, "x", "b", ("conflict", False)),  # first import onto a hand-written entry
    ],
)
def test_classify(had_record: bool, base: Any, live: Any, incoming: Any, expected: tuple[str, bool]) -> None:
    assert classify(had_record, base, live, incoming) == expected


def test_a_new_service_is_an_add_and_needs_the_editors_choices(catalogue_dir: Path) -> None:
    plan = plan_import(catalogue_dir, _payloads(names=FILES), today=TODAY)
    actions = {e.entry_id: e.action for e in plan.entries}
    assert actions == {
        ENTRY: "blocked",
        "kuvitteellinen_tuki": "blocked",
        "kuvitteellinen_poistettu_palvelu": "skipped",
        "kuvitteellinen_palvelu_toisessa_kunnassa": "blocked",
    }
    family = next(e for e in plan.entries if e.entry_id == ENTRY)
    assert any("--topic" in p for p in family.problems)
    plan = plan_import(catalogue_dir, _payloads(names=FILES), defaults=DEFAULTS, today=TODAY)
    family = next(e for e in plan.entries if e.entry_id == ENTRY)
    assert family.action == "add" and family.file == "hyvinvointialue_lisapalvelut.yaml"
    assert {f.kind for f in family.fields} == {"add"}
    assert family.entry["last_reviewed"] == "2026-10-01"  # PTV's modified date: nobody has reviewed it yet
    other = next(e for e in plan.entries if e.entry_id == "kuvitteellinen_palvelu_toisessa_kunnassa")
    assert other.action == "blocked" and other.problems == [
        "none of the service's areas is a municipality of the county",
        "PTV names no organisation: give --provider",
    ]
    assert "warning: channel 00000000-0000-4000-8000-000000000205" in plan.render()
    json.dumps(plan.to_dict())  # the editor UI's form


def test_a_dry_run_changes_no_file_and_creates_no_database(
    catalogue_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree_digest(catalogue_dir)
    database = tmp_path / "never" / "db.sqlite3"
    code = import_ptv.main(
        [
            *_write(tmp_path, _payloads()),
            "--catalogue",
            str(catalogue_dir),
            "--database-url",
            f"sqlite:///{database}",
            *ADD_OPTIONS,
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert f"+ ADD {ENTRY}" in out and "dry run: nothing was changed" in out
    assert _tree_digest(catalogue_dir) == before
    assert not database.parent.exists()


def test_apply_writes_adds_through_the_service_layer_with_history(
    catalogue_dir: Path, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _write(tmp_path, _payloads(names=FILES))
    assert (
        _run(catalogue_dir, database_url, files, "--apply", "--author", "sisallontuottaja", *ADD_OPTIONS) == 0
    )
    out = capsys.readouterr().out
    assert f"written: added {ENTRY}" in out and "written: added kuvitteellinen_tuki" in out
    catalogue = load_catalogue(catalogue_dir)  # the whole catalogue still loads
    service = catalogue.get(ENTRY)
    assert service.ptv_id == FAMILY and service.area == ["Vantaa", "Kerava"]
    assert service.channels[0].charge.fi == "Maksullinen puhelu: pvm/mpm"
    assert "kuvitteellinen_poistettu_palvelu" not in catalogue.services
    editing = CatalogueEditing(catalogue_dir)
    with new_session() as session:
        history = editing.history(session, ENTRY)
        assert [(c.action, c.author) for c in history] == [("create", "sisallontuottaja")]
        assert FAMILY in history[0].note
        actions = [a.action for a in session.scalars(select(AuditLog))]
    assert actions.count("catalogue_create") == 2
    record = snapshots.load(catalogue_dir, FAMILY)
    assert record is not None and record.entry_id == ENTRY
    assert record.fields["summary.fi"] == "Keskusteluapua lapsiperheille arjen huoliin."
    # Importing the same data again: nothing to do.
    plan = plan_import(catalogue_dir, _payloads(names=FILES), defaults=DEFAULTS)
    assert {e.entry_id: e.action for e in plan.entries if e.action != "blocked"} == {
        ENTRY: "unchanged",
        "kuvitteellinen_tuki": "unchanged",
        "kuvitteellinen_poistettu_palvelu": "skipped",
    }


def _ptv_changes(data: dict[str, Any]) -> None:
    service = data["service_single.json"]
    service["serviceDescriptions"][0]["value"] = "Keskusteluapua lapsiperheille (PTV:n uusi teksti)."
    service["serviceNames"][1]["value"] = "Fiktiv familjerådgivning (ny)"
    _channel(data, PHONE_CHANNEL)["phoneNumbers"][0]["number"] = "2079460155"
    _channel(data, WEB_CHANNEL)["serviceChannelNames"][0]["value"] = "Perheneuvolan sivut"
    _channel(data, PHONE_CHANNEL)["serviceChannelNames"][0]["value"] = "Perheneuvolan ajanvaraus ja neuvonta"


def test_changes_conflicts_and_local_edits(
    imported: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue_dir, database_url = imported
    editing = CatalogueEditing(catalogue_dir)
    with new_session() as session:  # an editor edits the summary and the English name
        snapshot = editing.get(session, ENTRY)
        edited = copy.deepcopy(snapshot.data)
        edited["summary"]["fi"] = "Toimittajan oma tiivistelmä."
        edited["name"]["en"] = "Family counselling (fictional)"
        editing.publish(session, ENTRY, edited, version=snapshot.version, author="toimittaja")
    capsys.readouterr()

    plan = plan_import(catalogue_dir, _payloads(_ptv_changes), defaults=DEFAULTS)
    family = next(e for e in plan.entries if e.entry_id == ENTRY)
    kinds = {f.path: f.kind for f in family.fields if f.kind != "unchanged"}
    assert kinds == {
        "summary.fi": "conflict",
        "name.sv": "change",
        f"channels.{PHONE_CHANNEL}.phone": "change",
        f"channels.{WEB_CHANNEL}.name.fi": "change",
        f"channels.{PHONE_CHANNEL}.name.fi": "change",
    }
    local = next(f for f in family.fields if f.path == "name.en")
    assert local.kind == "unchanged" and local.local_edit
    text = plan.render()
    assert f'change    channels.{PHONE_CHANNEL}.phone: "+44 2079460123" -> "+44 2079460155"' in text
    assert f"--accept {ENTRY}.summary.fi" in text

    files = _write(tmp_path, _payloads(_ptv_changes), "ptv2")
    assert _run(catalogue_dir, database_url, files, "--apply") == 0
    out = capsys.readouterr().out
    assert f"kept local (conflict): {ENTRY}.summary.fi" in out
    live = _live(catalogue_dir)
    assert live["summary"]["fi"] == "Toimittajan oma tiivistelmä."  # not overwritten
    assert live["name"] == {
        "fi": "Kuvitteellinen perheneuvola",
        "sv": "Fiktiv familjerådgivning (ny)",
        "en": "Family counselling (fictional)",
    }
    assert _live_channel(live, PHONE_CHANNEL)["phone"] == "+44 2079460155"
    # The phone channel's Finnish name changed and its Swedish one did not: the Swedish is marked for a
    # translator (summary.sv since the editor's own edit), and the catalogue still loads with the nested mark.
    assert live["translation_review"] == ["channels.0.name.sv", "summary.sv"]
    load_catalogue(catalogue_dir)
    with new_session() as session:
        history = editing.history(session, ENTRY)
    assert [(c.action, c.author) for c in history] == [
        ("update", "ptv-import"),
        ("update", "toimittaja"),
        ("create", "ptv-import"),
    ]

    # The conflict is reported again until it is decided ...
    again = plan_import(catalogue_dir, _payloads(_ptv_changes))
    family = next(e for e in again.entries if e.entry_id == ENTRY)
    assert [f.path for f in family.of_kind("conflict")] == ["summary.fi"] and not family.of_kind("change")
    # ... and taken from PTV only when accepted.
    assert _run(catalogue_dir, database_url, files, "--apply", "--accept", f"{ENTRY}.summary.fi") == 0
    assert _live(catalogue_dir)["summary"]["fi"] == "Keskusteluapua lapsiperheille (PTV:n uusi teksti)."
    assert _live(catalogue_dir)["summary"]["sv"] == "Samtalsstöd för barnfamiljer."
    assert "summary.sv" in _live(catalogue_dir)["translation_review"]
    final = plan_import(catalogue_dir, _payloads(_ptv_changes))
    assert next(e for e in final.entries if e.entry_id == ENTRY).action == "unchanged"


def test_keep_ends_a_conflict_and_keeps_the_local_value(
    imported: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue_dir, database_url = imported
    editing = CatalogueEditing(catalogue_dir)
    with new_session() as session:
        snapshot = editing.get(session, ENTRY)
        edited = copy.deepcopy(snapshot.data)
        _live_channel(edited, PHONE_CHANNEL)["phone"] = "+44 2079460177"
        editing.publish(session, ENTRY, edited, version=snapshot.version, author="toimittaja")
    files = _write(tmp_path, _payloads(_ptv_changes), "ptv2")
    assert (
        _run(catalogue_dir, database_url, files, "--apply", "--keep", f"{ENTRY}.channels.{PHONE_CHANNEL}")
        == 0
    )
    assert _live_channel(_live(catalogue_dir), PHONE_CHANNEL)["phone"] == "+44 2079460177"
    plan = plan_import(catalogue_dir, _payloads(_ptv_changes))
    family = next(e for e in plan.entries if e.entry_id == ENTRY)
    assert not family.of_kind("conflict") and family.action == "unchanged"


def test_a_channel_removed_in_ptv_goes_and_an_editors_own_channel_stays(
    imported: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue_dir, database_url = imported
    editing = CatalogueEditing(catalogue_dir)
    with new_session() as session:
        snapshot = editing.get(session, ENTRY)
        edited = copy.deepcopy(snapshot.data)
        edited["channels"].append({"type": "web", "url": "https://vakehyva.fi"})  # no ptv_id: the editor's
        editing.publish(session, ENTRY, edited, version=snapshot.version, author="toimittaja")

    def without_web(data: dict[str, Any]) -> None:
        links = data["service_single.json"]["serviceChannels"]
        data["service_single.json"]["serviceChannels"] = [
            link for link in links if link["serviceChannel"]["id"] != WEB_CHANNEL
        ]

    assert _run(catalogue_dir, database_url, _write(tmp_path, _payloads(without_web), "ptv2"), "--apply") == 0
    channels = _live(catalogue_dir)["channels"]
    assert [c.get("ptv_id") for c in channels] == [PHONE_CHANNEL, LOCATION_CHANNEL, None]
    assert channels[-1] == {"type": "web", "url": "https://vakehyva.fi"}


def test_a_hand_written_entry_with_the_same_id_is_linked_and_differences_are_conflicts(
    catalogue_dir: Path, database_url: str
) -> None:
    editing = CatalogueEditing(catalogue_dir)
    hand_written = {
        "id": ENTRY,
        "provider_type": "hyvinvointialue",
        "provider": "Kuvitteellinen hyvinvointialue",
        "name": {"fi": "Kuvitteellinen perheneuvola"},
        "summary": {"fi": "Käsin kirjoitettu tiivistelmä."},
        "channels": [{"type": "web", "url": "https://vakehyva.fi"}],
        "topics": ["contacts"],
        "area": ["Vantaa"],
        "segments": [1],
        "source_urls": ["https://vakehyva.fi"],
        "last_reviewed": "2026-11-30",
    }
    with new_session() as session:
        editing.add(session, hand_written, author="toimittaja")
    plan = plan_import(catalogue_dir, _payloads())
    family = next(e for e in plan.entries if e.ptv_id == FAMILY)
    assert (family.entry_id, family.matched_by, family.action) == (ENTRY, "id", "update")
    kinds = {f.path: f.kind for f in family.fields}
    assert kinds["summary.fi"] == "conflict" and kinds["area"] == "conflict"
    assert kinds["ptv_id"] == "change" and kinds["name.sv"] == "change"  # gaps are filled
    assert kinds["name.fi"] == "unchanged"
    assert kinds["source_urls"] == "change"
    sources = next(f for f in family.fields if f.path == "source_urls").incoming
    assert sources == ["https://vakehyva.fi", record_url(FAMILY)]


def test_an_unknown_accept_is_an_error(
    catalogue_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = import_ptv.main(
        [*_write(tmp_path, _payloads()), "--catalogue", str(catalogue_dir), "--accept", f"{ENTRY}.summary.fi"]
    )
    assert code == 2
    assert "no conflict in the plan matches" in capsys.readouterr().err


# --- the command, run for real -------------------------------------------------------------------------


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "service_catalogue.import_ptv", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("name", ["broken.json", "wrong_shape.json"])
def test_the_command_names_a_broken_file_without_a_traceback(catalogue_dir: Path, name: str) -> None:
    result = _command(
        str(FIXTURES / "service_single.json"), str(FIXTURES / name), "--catalogue", str(catalogue_dir)
    )
    assert result.returncode == 2
    assert f"{name} is not valid PTV v11 JSON" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_command_applies_for_real(catalogue_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli' / 'assistant.sqlite3'}"
    files = [str(FIXTURES / name) for name in FILES]
    result = _command(
        *files, "--catalogue", str(catalogue_dir), "--database-url", url, "--apply", *ADD_OPTIONS
    )
    assert result.returncode == 0, result.stderr
    assert f"written: added {ENTRY}" in result.stdout
    assert load_catalogue(catalogue_dir).get(ENTRY).ptv_id == FAMILY
    assert (catalogue_dir / "ptv_imports" / f"{FAMILY}.json").exists()


def test_a_channel_the_editor_removed_and_ptv_changed_is_one_conflict(
    imported: tuple[Path, str], tmp_path: Path
) -> None:
    catalogue_dir, database_url = imported
    editing = CatalogueEditing(catalogue_dir)
    with new_session() as session:
        snapshot = editing.get(session, ENTRY)
        edited = copy.deepcopy(snapshot.data)
        edited["channels"] = [c for c in edited["channels"] if c.get("ptv_id") != PHONE_CHANNEL]
        editing.publish(session, ENTRY, edited, version=snapshot.version, author="toimittaja")
    plan = plan_import(catalogue_dir, _payloads(_ptv_changes))
    family = next(e for e in plan.entries if e.entry_id == ENTRY)
    phone_fields = [f for f in family.fields if f.path.startswith(f"channels.{PHONE_CHANNEL}.")]
    assert {f.kind for f in phone_fields if f.incoming is not None} == {"conflict"}
    files = _write(tmp_path, _payloads(_ptv_changes), "ptv2")
    assert _run(catalogue_dir, database_url, files, "--apply") == 0
    assert PHONE_CHANNEL not in {c.get("ptv_id") for c in _live(catalogue_dir)["channels"]}  # stays removed
    assert (
        _run(catalogue_dir, database_url, files, "--apply", "--accept", f"{ENTRY}.channels.{PHONE_CHANNEL}")
        == 0
    )
    assert _live_channel(_live(catalogue_dir), PHONE_CHANNEL)["phone"] == "+44 2079460155"


def test_a_damaged_last_import_record_is_reported(
    imported: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue_dir, _ = imported
    snapshots.path_for(catalogue_dir, FAMILY).write_text("{", encoding="utf-8")
    assert import_ptv.main([*_write(tmp_path, _payloads()), "--catalogue", str(catalogue_dir)]) == 2
    assert "not a last-import record" in capsys.readouterr().err
