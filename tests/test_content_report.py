"""The editors' content report on the real catalogue and on a copy with known problems."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from service_catalogue.content_report import build_report, main, render
from service_catalogue.loader import load_catalogue

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "service_catalogue"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def test_the_real_catalogue_has_no_stale_entries_and_every_topic_a_service() -> None:
    catalogue = load_catalogue(CATALOGUE_DIR)
    report = build_report(catalogue, CATALOGUE_DIR, date(2026, 12, 2))
    assert report.stale == [] and report.topics_without_service == []
    # every phone number is listed with where it was checked
    assert {number for number, _sid, _where in report.phones} == {
        c.phone for s in catalogue.services.values() for c in s.channels if c.phone}


def test_known_problems_are_reported(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "services" / "kela_etuudet.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries[0]["last_reviewed"] = date(2024, 1, 1)
    entries[0]["example_questions"] = {"fi": ["yksi kysymys"]}
    entries[0]["summary"] = {"fi": "Vain suomeksi."}
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    first = entries[0]["id"]

    report = build_report(load_catalogue(directory), directory, date(2026, 12, 2))
    assert (first, date(2024, 1, 1)) in report.stale
    assert (first, ["sv", "en"]) in report.missing_translations
    assert any(sid == first and "Finnish example questions" in gap for sid, gap in report.few_phrasings)
    text = render(report, 158)
    assert "## Not reviewed in 12 months (1)" in text and f"{first}: last reviewed 2024-01-01" in text


def test_an_invalid_catalogue_is_an_error_not_a_report(tmp_path: Path, capsys) -> None:
    directory = _copy(tmp_path)
    (directory / "county.yaml").write_text("name: [\n", encoding="utf-8")
    assert main([str(directory)]) == 1
    assert capsys.readouterr().out.startswith("ERROR")
