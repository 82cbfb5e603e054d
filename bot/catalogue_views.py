"""What the editor pages and the editor API show about entries: the searchable list, the field-by-field
difference of two versions, and the preview (the widget's cards in fi/sv/en and which service the assistant
would answer example questions with, as if the change were published)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.catalogue_editing import CatalogueEditing, EntryInvalid, FieldError
from bot.models import CatalogueDraft
from service_catalogue.cards import service_card
from service_catalogue.loader import CatalogueError, load_catalogue
from service_catalogue.models import LANGUAGES
from service_catalogue.routing import route

REVIEW_AFTER_DAYS = 365  # the content report's "not reviewed in 12 months"
MAX_PREVIEW_QUESTIONS = 12


@dataclass
class EntryRow:
    service_id: str
    name: str
    provider: str
    provider_type: str
    topics: list[str]
    last_reviewed: str
    review_due: bool
    missing_languages: list[str]
    translation_review: list[str]
    has_draft: bool
    scheduled: bool
    valid_from: str | None
    valid_to: str | None
    version: str | None
    file: str


def _missing_languages(data: dict[str, Any]) -> list[str]:
    missing = []
    for lang in LANGUAGES[1:]:
        for key in ("name", "summary"):
            value = data.get(key)
            if not (isinstance(value, dict) and value.get(lang)):
                missing.append(lang)
                break
    return missing


def _row(
    data: dict[str, Any], version: str | None, file: str, draft: CatalogueDraft | None, today: date
) -> EntryRow:
    name = data.get("name")
    reviewed = str(data.get("last_reviewed") or "")
    try:
        due = (today - date.fromisoformat(reviewed[:10])).days > REVIEW_AFTER_DAYS
    except ValueError:
        due = True
    return EntryRow(
        service_id=str(data.get("id")),
        name=name.get("fi", "") if isinstance(name, dict) else str(name or ""),
        provider=str(data.get("provider") or ""),
        provider_type=str(data.get("provider_type") or ""),
        topics=list(data.get("topics") or []),
        last_reviewed=reviewed,
        review_due=due,
        missing_languages=_missing_languages(data),
        translation_review=list(data.get("translation_review") or []),
        has_draft=draft is not None,
        scheduled=bool(draft and draft.publish_at),
        valid_from=str(data["valid_from"]) if data.get("valid_from") else None,
        valid_to=str(data["valid_to"]) if data.get("valid_to") else None,
        version=version,
        file=file,
    )


def list_entries(
    editing: CatalogueEditing,
    drafts: dict[str, CatalogueDraft],
    today: date,
    *,
    query: str = "",
    provider_type: str = "",
    topic: str = "",
    review_due: bool = False,
    language_gap: str = "",
) -> list[EntryRow]:
    """Every entry (and every draft of a new entry), filtered; sorted by name."""
    rows = [_row(e.data, e.version, e.file, drafts.get(sid), today) for sid, e in editing.entries().items()]
    rows += [
        _row(d.data, None, d.file, d, today) for sid, d in drafts.items() if sid not in editing.entries()
    ]
    needle = query.strip().casefold()

    def keep(row: EntryRow) -> bool:
        if needle and needle not in f"{row.service_id} {row.name} {row.provider}".casefold():
            return False
        if provider_type and row.provider_type != provider_type:
            return False
        if topic and topic not in row.topics:
            return False
        if review_due and not row.review_due:
            return False
        return (
            not language_gap
            or language_gap in row.missing_languages
            or any(mark.endswith(f".{language_gap}") for mark in row.translation_review)
        )

    return sorted((row for row in rows if keep(row)), key=lambda row: row.name.casefold())


# --- differences ------------------------------------------------------------------------------------


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        flat: dict[str, str] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}{key}."))
        return flat
    if isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}{index}."))
        return flat
    if isinstance(value, list):
        return {prefix.rstrip("."): ", ".join(str(item) for item in value)}
    return {prefix.rstrip("."): "" if value is None else str(value)}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


def differences(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """Field by field (``channels.1.phone``), in the order of the fields."""
    old, new = _flatten(before or {}), _flatten(after or {})
    keys = list(old) + [key for key in new if key not in old]
    return [FieldChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]


# --- preview ----------------------------------------------------------------------------------------


@dataclass
class RoutedQuestion:
    question: str
    language: str
    decision: str  # answer, clarify, none
    services: list[tuple[str, str]]  # (id, Finnish name) of the cards or the buttons
    answers_with_this: bool


@dataclass
class Preview:
    cards: dict[str, dict[str, Any]]  # language -> the card as the widget shows it
    questions: list[RoutedQuestion]


def preview(
    editing: CatalogueEditing,
    data: dict[str, Any],
    *,
    replacing: str | None,
    questions: list[str] | None = None,
) -> Preview:
    """The entry as residents would see it if published now; ``EntryInvalid`` when it cannot be."""
    plain = editing.validate(data, replacing=replacing)
    if replacing is not None:
        path, text = editing.files.render_replaced(replacing, plain)
    else:
        path, text = editing.files.render_added(plain, editing.default_file(plain))
    try:
        catalogue = load_catalogue(editing.directory, replaced={path.name: text})
    except CatalogueError as error:  # validate() has run the same check; kept for a file changed meanwhile
        raise EntryInvalid([FieldError("(entry)", str(error))]) from None
    service = catalogue.get(plain["id"])
    cards = {lang: service_card(service, lang) for lang in LANGUAGES}
    asked: list[tuple[str, str]] = [(q.strip(), "fi") for q in questions or [] if q.strip()]
    if service.example_questions is not None:
        asked += [(q, lang) for lang, q in service.example_questions.all()]
    routed = []
    for question, lang in asked[:MAX_PREVIEW_QUESTIONS]:
        routing = route(catalogue, question)
        shown = [(s.id, s.name.get("fi")) for s in routing.services]
        routed.append(
            RoutedQuestion(
                question, lang, routing.decision.value, shown, any(sid == service.id for sid, _ in shown)
            )
        )
    return Preview(cards, routed)
