"""Risk categories the screening can raise, loaded from ``triage/risk_categories/<id>/category.yaml``.

The ids are a contract: the dialogue, the service catalogue (crisis cards) and the gateway all key on
them. Each category's folder holds what is content, not code: its labels in fi/sv/en, its default
severity, and for acute categories the direct question asked when the screening is unsure, with the cues
that make it ask. Its screening patterns are in the same folder (``patterns.yaml``, loaded by
``triage.lexicon``). The crisis card's contacts are catalogue content
(``service_catalogue/crisis_contacts.yaml``), edited with the services they point to.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from common.languages import LANGUAGES

CATEGORY_DIR = Path(__file__).resolve().parent / "risk_categories"


class Severity(enum.IntEnum):
    """How fast a human must act. IntEnum so severities compare and ``max()`` works."""

    CONCERN = 1  # offer a human
    URGENT = 2  # a case the same day, with consent
    ACUTE = 3  # crisis contacts now and a case at once


@dataclass(frozen=True)
class Category:
    id: str
    label: str  # Finnish, what the worker reads
    severity: Severity
    labels: dict[str, str] = field(default_factory=dict)  # per language, what the resident reads
    question: dict[str, str] = field(default_factory=dict)  # the direct question, per language (acute only)
    cues: tuple[re.Pattern[str], ...] = ()  # on normalised text: make the assistant ask, never decide
    order: int = 0  # where the category stands in lists (summaries, benchmark tables)


class CategoryError(ValueError):
    """A category file is missing a field or has a wrong value."""


def _load(path: Path) -> Category:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    where = f"{path.parent.name}/{path.name}"
    if data.get("id") != path.parent.name:
        raise CategoryError(f"{where}: id must be the folder's name ({path.parent.name})")
    try:
        severity = Severity[str(data["severity"]).upper()]
    except KeyError as error:
        raise CategoryError(f"{where}: severity must be one of acute, urgent, concern") from error
    labels = data.get("label") or {}
    question = data.get("question") or {}
    for name, texts in (("label", labels), ("question", question)):
        missing = [lang for lang in LANGUAGES if texts and not str(texts.get(lang) or "").strip()]
        if missing:
            raise CategoryError(f"{where}: {name} needs a text in {', '.join(missing)}")
    if not labels:
        raise CategoryError(f"{where}: label is required")
    if severity is Severity.ACUTE and not question:
        raise CategoryError(f"{where}: an acute category needs the direct question")
    try:
        cues = tuple(re.compile(cue) for cue in data.get("cues") or [])
    except re.error as error:
        raise CategoryError(f"{where}: a cue is not a valid regular expression: {error}") from error
    if not isinstance(data.get("order"), int):
        raise CategoryError(f"{where}: order must be a whole number")
    return Category(data["id"], labels["fi"], severity, dict(labels), dict(question), cues, data["order"])


def load_categories(directory: Path = CATEGORY_DIR) -> dict[str, Category]:
    """All categories in their files' ``order``."""
    loaded = [_load(path) for path in directory.glob("*/category.yaml")]
    return {c.id: c for c in sorted(loaded, key=lambda c: c.order)}


CATEGORIES: dict[str, Category] = load_categories()

# Case urgency in the gateway contract.
URGENCY_BY_SEVERITY: dict[Severity, str] = {
    Severity.ACUTE: "acute",
    Severity.URGENT: "urgent",
    Severity.CONCERN: "normal",
}
