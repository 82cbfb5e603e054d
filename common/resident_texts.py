"""Resident-facing texts of the gateway and the action server (``common/resident_texts.yaml``), fi, sv, en."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from common.languages import LANGUAGES

TEXTS_FILE = Path(__file__).with_name("resident_texts.yaml")


class ResidentTextError(Exception):
    """The texts file is missing a key or a language."""


@functools.lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8")) or {}
    for key, by_lang in data.items():
        missing = [lang for lang in LANGUAGES if not (by_lang or {}).get(lang)]
        if missing:
            raise ResidentTextError(f"{TEXTS_FILE.name}: {key!r} has no text in {', '.join(missing)}")
    return data


def resident_text(key: str, lang: str = "fi", **values: object) -> str:
    """The text ``key`` in ``lang`` (Finnish for an unknown language), ``{name}`` filled from ``values``."""
    try:
        by_lang = _texts()[key]
    except KeyError as error:
        raise ResidentTextError(f"{TEXTS_FILE.name} has no text {key!r}") from error
    text = by_lang.get(lang) or by_lang["fi"]
    return text.format(**values) if values else text
