"""Catalogue content and loader: validity, coverage, references, hot reload, cards, county times."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from service_catalogue.cards import crisis_card, service_card, service_card_text
from service_catalogue.loader import (
    Catalogue,
    CatalogueError,
    CatalogueStore,
    catalogue_files,
    load_catalogue,
)
from service_catalogue.models import RISK_CATEGORIES, LocalizedText
from service_catalogue.search import crisis_services, find_services
from service_catalogue.topics import TOPICS
from service_catalogue.validate import main as validate_main

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "service_catalogue"
FACTS = Path(__file__).resolve().parents[1] / "docs" / "sources" / "service_facts.md"
PHONE_SOURCES = CATALOGUE_DIR / "phone_sources.yaml"
HELSINKI = ZoneInfo("Europe/Helsinki")
CONTRACT_KEYS = {"type", "service_id", "provider_type", "name", "summary", "url", "phone", "hours"}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)


@pytest.fixture
def tmp_catalogue(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    target.mkdir()
    for path in catalogue_files(CATALOGUE_DIR):
        destination = target / path.relative_to(CATALOGUE_DIR)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, destination)
    return target


def _append_service(directory: Path, filename: str, service: dict) -> Path:
    path = directory / "services" / filename
    path.write_text(yaml.safe_dump([service], allow_unicode=True), encoding="utf-8")
    return path


def _valid_service(**overrides: object) -> dict:
    service = {
        "id": "test_palvelu",
        "provider_type": "jarjesto",
        "provider": "Testi ry",
        "name": "Testipalvelu",
        "summary": "Tiivistelmä.",
        "channels": [{"type": "web", "url": "https://example.org"}],
        "topics": ["loneliness"],
        "area": "national",
        "segments": [1],
        "source_urls": ["https://example.org/lahde"],
        "last_reviewed": "2026-01-01",
    }
    service.update(overrides)
    return service


# --- content -----------------------------------------------------------------------------------


def test_every_file_is_valid_and_validate_cli_says_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_main([str(CATALOGUE_DIR)]) == 0
    assert capsys.readouterr().out.startswith("OK ")


def test_at_least_sixty_services(catalogue: Catalogue) -> None:
    assert len(catalogue.services) >= 60


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_has_a_segment_one_service(catalogue: Catalogue, topic: str) -> None:
    assert find_services(catalogue, topic, segment=1), topic
    assert find_services(catalogue, topic, municipality="Vantaa", segment=1)
    assert find_services(catalogue, topic, municipality="Kerava", segment=1)


@pytest.mark.parametrize("category", RISK_CATEGORIES)
def test_every_risk_category_has_contacts(catalogue: Catalogue, category: str) -> None:
    assert catalogue.crisis_contacts[category]
    services = crisis_services(catalogue, category)
    assert services
    flags = [s.available_24_7 for s in services]
    assert flags == sorted(flags, reverse=True), "24/7 services come first"


def test_internal_references_resolve(catalogue: Catalogue) -> None:
    for service in catalogue.services.values():
        for related in service.related:
            assert related in catalogue.services
    for ids in catalogue.crisis_contacts.values():
        for service_id in ids:
            assert catalogue.get(service_id)


def test_every_service_has_a_source_and_review_date(catalogue: Catalogue) -> None:
    for service in catalogue.services.values():
        assert service.source_urls and service.last_reviewed


# --- search ------------------------------------------------------------------------------------


def test_find_services_excludes_other_municipalities(catalogue: Catalogue) -> None:
    in_kerava = find_services(catalogue, "unemployment", municipality="Kerava", limit=50)
    assert "vantaan_tyollisyyspalvelut" not in {s.id for s in in_kerava}
    in_vantaa = find_services(catalogue, "unemployment", municipality="Vantaa", limit=50)
    assert "vantaan_tyollisyyspalvelut" in {s.id for s in in_vantaa}
    elsewhere = find_services(catalogue, "health_centre", municipality="Oulu", limit=50)
    assert all(s.area == "national" for s in elsewhere)


def test_find_services_is_deterministic_and_boosts_target_group(catalogue: Catalogue) -> None:
    first = [s.id for s in find_services(catalogue, "loneliness", limit=10)]
    assert first == [s.id for s in find_services(catalogue, "loneliness", limit=10)]
    boosted = find_services(catalogue, "loneliness", target_group="young_people", limit=1)
    assert "young_people" in boosted[0].target_groups
    assert len(find_services(catalogue, "mental_health", limit=2)) == 2


# --- cards -------------------------------------------------------------------------------------


def test_service_cards_have_contract_keys(catalogue: Catalogue) -> None:
    for service in catalogue.services.values():
        for lang in ("fi", "sv", "en"):
            card = service_card(service, lang)
            assert CONTRACT_KEYS <= set(card) <= CONTRACT_KEYS | {"steps"}
            assert card["type"] == "service_card" and card["name"] and card["summary"]
            assert card["url"] or card["phone"], service.id
            assert service.name.get("fi") in service_card_text(service) or lang != "fi"


def test_language_falls_back_to_finnish(catalogue: Catalogue) -> None:
    real = catalogue.get("vake_sosiaaliohjaus")
    # an entry an editor has written in Finnish only
    service = real.copy(update={"summary": LocalizedText(fi=real.summary.fi)})
    assert service.summary.sv is None
    assert service_card(service, "sv")["summary"] == service.summary.fi
    assert service_card(service, "xx")["name"] == service.name.fi


def test_crisis_card_for_suicide_lists_112_first(catalogue: Catalogue) -> None:
    card = crisis_card(catalogue, "suicide_self_harm")
    payload = card["payload"]
    assert payload["type"] == "crisis" and payload["category"] == "suicide_self_harm"
    assert payload["contacts"][0]["phone"] == "112"
    assert all(set(c) == {"name", "phone", "hours"} for c in payload["contacts"])
    assert "112" in card["text"].splitlines()[1]
    assert "09 2525 0111" in card["text"]


@pytest.mark.parametrize("category", RISK_CATEGORIES)
def test_crisis_card_for_every_category(catalogue: Catalogue, category: str) -> None:
    card = crisis_card(catalogue, category, "en")
    assert card["payload"]["contacts"] and card["text"]


# --- county ------------------------------------------------------------------------------------


def test_county_profile(catalogue: Catalogue) -> None:
    county = catalogue.county
    assert county.municipalities == ["Vantaa", "Kerava"]
    assert county.municipality_known("vantaa") and not county.municipality_known("Espoo")
    text = county.direct_help_text()
    for number in ("112", "116117", "09 2525 0111"):
        assert number in text


def test_contact_time_text_differs_in_and_out_of_service_hours(catalogue: Catalogue) -> None:
    county = catalogue.county
    tuesday_morning = datetime(2026, 11, 24, 10, 0, tzinfo=HELSINKI)
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=HELSINKI)
    tuesday_evening = datetime(2026, 11, 24, 20, 0, tzinfo=HELSINKI)
    assert county.is_service_time(tuesday_morning)
    assert not county.is_service_time(friday_evening)
    assert county.contact_time_text(tuesday_morning) == "tänään virka-aikana"
    assert county.contact_time_text(friday_evening).startswith("seuraavana arkipäivänä (ma–pe klo 8–16)")
    assert county.contact_time_text(tuesday_evening).startswith("huomenna")
    # An aware UTC time is converted: 06:30 UTC is 08:30 in Helsinki in November.
    assert county.is_service_time(datetime(2026, 11, 24, 6, 30, tzinfo=ZoneInfo("UTC")))


# --- invalid edits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "field"),
    [
        (_valid_service(websiet="https://example.org"), "websiet"),
        (_valid_service(topics=["no_such_topic"]), "topics"),
        (_valid_service(source_urls=[]), "source_urls"),
        ({k: v for k, v in _valid_service().items() if k != "source_urls"}, "source_urls"),
        (_valid_service(segments=[5]), "segments"),
        (_valid_service(channels=[{"type": "phone", "phone": "abc"}]), "phone"),
    ],
)
def test_bad_service_raises_error_naming_file_and_field(
    tmp_catalogue: Path, service: dict, field: str
) -> None:
    path = _append_service(tmp_catalogue, "zz_rikki.yaml", service)
    with pytest.raises(CatalogueError) as excinfo:
        load_catalogue(tmp_catalogue)
    assert str(path) in str(excinfo.value)
    assert field in str(excinfo.value)


def test_duplicate_id_is_rejected(tmp_catalogue: Path) -> None:
    path = _append_service(tmp_catalogue, "zz_tupla.yaml", _valid_service(id="hatanumero_112"))
    with pytest.raises(CatalogueError, match="duplicate id") as excinfo:
        load_catalogue(tmp_catalogue)
    assert excinfo.value.path == str(path)


def test_duplicate_yaml_key_is_rejected(tmp_catalogue: Path) -> None:
    path = tmp_catalogue / "services" / "zz_avain.yaml"
    path.write_text("- id: a\n  id: b\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="duplicate key"):
        load_catalogue(tmp_catalogue)


def test_broken_internal_reference_is_rejected(tmp_catalogue: Path) -> None:
    _append_service(tmp_catalogue, "zz_viite.yaml", _valid_service(related=["ei_ole"]))
    with pytest.raises(CatalogueError, match="ei_ole"):
        load_catalogue(tmp_catalogue)


def test_crisis_contact_must_exist_and_be_tagged(tmp_catalogue: Path) -> None:
    crisis = tmp_catalogue / "crisis_contacts.yaml"
    data = yaml.safe_load(crisis.read_text(encoding="utf-8"))
    data["medical_emergency"] = ["hatanumero_112", "kela_lapsilisa"]
    crisis.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"crisis_contacts\.yaml"):
        load_catalogue(tmp_catalogue)


def test_bad_county_file_names_the_field(tmp_catalogue: Path) -> None:
    county = tmp_catalogue / "county.yaml"
    data = yaml.safe_load(county.read_text(encoding="utf-8"))
    data["municipalitees"] = data.pop("municipalities")
    county.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"county\.yaml.*municipalit"):
        load_catalogue(tmp_catalogue)


# --- hot reload --------------------------------------------------------------------------------


def test_store_reloads_after_edit_and_keeps_last_good_on_broken_edit(tmp_catalogue: Path) -> None:
    store = CatalogueStore(tmp_catalogue, check_interval=0)
    first = store.get()
    assert "test_palvelu" not in first.services

    _append_service(tmp_catalogue, "zz_uusi.yaml", _valid_service())
    second = store.get()
    assert "test_palvelu" in second.services

    _append_service(tmp_catalogue, "zz_uusi.yaml", _valid_service(topics=["typo_topic"]))
    third = store.get()
    assert third is second, "a broken edit keeps the last good catalogue"
    assert store.last_error is not None and "zz_uusi.yaml" in str(store.last_error)

    _append_service(tmp_catalogue, "zz_uusi.yaml", _valid_service(name="Korjattu nimi"))
    assert store.get().get("test_palvelu").name.fi == "Korjattu nimi"


def test_store_checks_files_at_most_once_per_interval(tmp_catalogue: Path) -> None:
    store = CatalogueStore(tmp_catalogue, check_interval=3600)
    first = store.get()
    _append_service(tmp_catalogue, "zz_uusi.yaml", _valid_service())
    assert store.get() is first


def test_store_raises_when_there_never_was_a_good_catalogue(tmp_catalogue: Path) -> None:
    (tmp_catalogue / "county.yaml").write_text("name: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"county\.yaml"):
        CatalogueStore(tmp_catalogue, check_interval=0).get()


# --- phone numbers must be sourced -------------------------------------------------------------


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_every_phone_number_is_sourced(catalogue: Catalogue) -> None:
    if not FACTS.exists():
        pytest.skip(f"research notes not available at {FACTS}; cannot cross-check phone numbers")
    facts_digits = _digits(FACTS.read_text(encoding="utf-8"))
    allowed = yaml.safe_load(PHONE_SOURCES.read_text(encoding="utf-8")) or {}
    for number, source in allowed.items():
        assert str(source).startswith("http"), f"{number} in phone_sources.yaml needs a source URL"
    allowed_digits = {_digits(str(number)) for number in allowed}

    phones = {c.phone for s in catalogue.services.values() for c in s.channels if c.phone}
    phones |= {p.phone for p in catalogue.county.phone_numbers}
    phones.add(catalogue.county.emergency_number)
    unsourced = sorted(
        p for p in phones if _digits(p) not in facts_digits and _digits(p) not in allowed_digits
    )
    assert not unsourced, f"phone numbers without a source: {unsourced}"
