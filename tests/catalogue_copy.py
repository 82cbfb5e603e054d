"""A copy of the real service catalogue with other county service hours, for tests of the live chat
(which is offered only inside service hours) that must pass whatever the hour they run at."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from bot.settings import PROJECT_ROOT

ALWAYS_OPEN = {
    "timezone": "Europe/Helsinki",
    "weekdays": [0, 1, 2, 3, 4, 5, 6],
    "open": "00:00",
    "close": "23:59:59.999999",
    "closed_dates": [],
}


# A test-only entry an editor might add (never written into the real catalogue): its two example questions
# must become the first answer to themselves without training (tests/test_retrieval.py, and in the running
# system tests/system/test_catalogue_retrieval.py).
NEW_ENTRY: dict[str, Any] = {
    "id": "testi_kaupunkiviljely",
    "provider_type": "hyvinvointialue",
    "provider": "Testi",
    "name": {"fi": "Kaupunkiviljelyn palstat"},
    "summary": {"fi": "Vuokrattavat viljelypalstat asukkaille."},
    "channels": [{"type": "web", "url": "https://vakehyva.fi"}],
    "topics": ["contacts"],
    "area": ["Vantaa", "Kerava"],
    "segments": [1],
    "source_urls": ["https://vakehyva.fi"],
    "last_reviewed": "2026-12-02",
    "example_questions": {
        "fi": ["mistä saa oman kasvimaapalstan", "voiko kaupungilta vuokrata viljelypalstan"],
    },
}


def catalogue_copy(tmp_path: Path, service_hours: dict[str, Any]) -> Path:
    """The real catalogue with other service hours, as a county editor would set them."""
    target = tmp_path / "catalogue"
    shutil.copytree(
        PROJECT_ROOT / "service_catalogue", target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    county = yaml.safe_load((target / "county.yaml").read_text(encoding="utf-8"))
    county["service_hours"] = service_hours
    (target / "county.yaml").write_text(yaml.safe_dump(county, allow_unicode=True), encoding="utf-8")
    return target
