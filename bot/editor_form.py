"""The entry form of the editor pages, generated from the catalogue's own schema (``Service``).

Every field of the pydantic model becomes a form field by its type (a text in fi/sv/en, a list of lines, a
choice from a vocabulary, a repeated group such as the channels), so a field added to the schema appears in
the form without a template change. Labels and hints are content: ``bot/editor_fields.yaml``.
Form names are the paths the validation errors use (``channels.0.phone``), so each error sits by its field.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import SHAPE_LIST, ModelField

from bot.settings import PROJECT_ROOT
from service_catalogue.models import (
    LANGUAGES,
    RISK_CATEGORIES,
    TARGET_GROUPS,
    LocalizedPhrases,
    LocalizedText,
    Service,
)
from service_catalogue.topics import TOPICS

LABELS_FILE = PROJECT_ROOT / "bot" / "editor_fields.yaml"
# List fields whose items come from a fixed vocabulary: shown as check boxes.
VOCABULARIES: dict[str, tuple[Any, ...]] = {
    "topics": tuple(TOPICS),
    "risk_categories": RISK_CATEGORIES,
    "target_groups": TARGET_GROUPS,
    "segments": (1, 2, 3, 4),
}
HIDDEN = ("translation_review",)  # managed by the service layer, shown as review marks instead
REMOVE = "_remove"  # the "remove this row" check box of a repeated group


@dataclass
class FormField:
    path: str  # the dotted path, with "*" for a list index in a template
    name: str
    kind: str  # text, number, checkbox, date, moment, select, choices, lines, localized, phrases, group
    label: str
    hint: str = ""
    required: bool = False
    options: tuple[Any, ...] = ()
    children: list[FormField] = field(default_factory=list)  # a group's fields
    item_is_text: bool = False  # a group whose items are bare texts (self-service steps): one child "text"

    def at(self, prefix: str) -> str:
        return f"{prefix}{self.name}"


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8")) or {}


def _describe(path: str, name: str) -> tuple[str, str]:
    entry = _labels().get(path) or {}
    return entry.get("label", name.replace("_", " ")), entry.get("hint", "")


def _kind(model_field: ModelField) -> tuple[str, tuple[Any, ...], type[BaseModel] | None]:
    """The form kind for a pydantic v1 field, its options, and the model of a repeated group."""
    inner = model_field.type_
    # For a union pydantic v1 keeps one sub-field per member (area: "national" | a list of municipalities).
    union = (
        tuple(sub.outer_type_ for sub in model_field.sub_fields or ())
        if model_field.shape != SHAPE_LIST
        else ()
    )
    if model_field.shape == SHAPE_LIST:
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "group", (), inner
        return (
            ("choices", VOCABULARIES[model_field.name], None)
            if model_field.name in VOCABULARIES
            else ("lines", (), None)
        )
    members = union or (inner,)
    if LocalizedText in members:
        return "localized", (), None
    if inner is LocalizedPhrases:
        return "phrases", (), None
    if any(typing.get_origin(m) is list for m in members):  # "national" or a list of places
        return "lines", (), None
    if datetime in members:
        return "moment", (), None
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return "select", tuple(item.value for item in inner), None
    if inner is date:
        return "date", (), None
    if inner is bool:
        return "checkbox", (), None
    if inner is int:
        return "number", (), None
    return "text", (), None


def _fields(model: type[BaseModel], prefix: str) -> list[FormField]:
    fields = []
    for name, model_field in model.__fields__.items():
        if name in HIDDEN:
            continue
        path = f"{prefix}{name}"
        kind, options, group_model = _kind(model_field)
        label, hint = _describe(path, name)
        form_field = FormField(path, name, kind, label, hint, bool(model_field.required), options)
        if group_model is LocalizedText:  # a list of texts (self-service steps): a group of one text
            form_field.children = [FormField(f"{path}.*.text", "text", "localized", label, "", True)]
            form_field.item_is_text = True
        elif group_model is not None:
            form_field.children = _fields(group_model, f"{path}.*.")
        fields.append(form_field)
    return fields


@lru_cache(maxsize=1)
def entry_form() -> list[FormField]:
    return _fields(Service, "")


# --- from an entry to form values, and back -----------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_values(
    data: Mapping[str, Any] | None, fields: list[FormField] | None = None, prefix: str = ""
) -> dict[str, Any]:
    """Flat form values (``{"channels.0.phone": "…", "topics": ["kela"]}``) for an entry."""
    values: dict[str, Any] = {}
    data = data or {}
    for form_field in fields if fields is not None else entry_form():
        value = data.get(form_field.name)
        name = form_field.at(prefix)
        if form_field.kind == "localized":
            texts = value if isinstance(value, Mapping) else {"fi": value} if value else {}
            for lang in LANGUAGES:
                values[f"{name}.{lang}"] = _text(texts.get(lang))
        elif form_field.kind == "phrases":
            for lang in LANGUAGES:
                values[f"{name}.{lang}"] = "\n".join((value or {}).get(lang) or [])
        elif form_field.kind == "group":
            for index, item in enumerate(value or []):
                item_data = {"text": item} if form_field.item_is_text else item
                values.update(form_values(item_data, form_field.children, f"{name}.{index}."))
        elif form_field.kind == "choices":
            values[name] = [str(item) for item in value or []]
        elif form_field.kind == "lines":
            values[name] = value if isinstance(value, str) else "\n".join(str(v) for v in value or [])
        elif form_field.kind == "checkbox":
            values[name] = bool(value)
        else:
            values[name] = _text(value)
    return values


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _indices(form: Mapping[str, list[str]], name: str) -> list[int]:
    found = set()
    for key in form:
        if key.startswith(f"{name}."):
            head = key[len(name) + 1 :].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def _first(form: Mapping[str, list[str]], key: str) -> str:
    values = form.get(key) or [""]
    return values[-1].strip()


def parse_form(
    form: Mapping[str, list[str]], fields: list[FormField] | None = None, prefix: str = ""
) -> dict[str, Any]:
    """The entry from submitted form values (every key to its list of values). Empty fields are left out, so
    the schema's defaults and its "required" messages apply; values are not converted beyond lists and
    numbers: the schema validates them."""
    entry: dict[str, Any] = {}
    for form_field in fields if fields is not None else entry_form():
        name = form_field.at(prefix)
        if form_field.kind in ("localized", "phrases"):
            texts: dict[str, Any] = {}
            for lang in LANGUAGES:
                raw = (
                    _first(form, f"{name}.{lang}")
                    if form_field.kind == "localized"
                    else "\n".join(form.get(f"{name}.{lang}") or [])
                )
                value: Any = raw if form_field.kind == "localized" else _lines(raw)
                if value:
                    texts[lang] = value
            if texts:
                entry[form_field.name] = texts
        elif form_field.kind == "group":
            items = []
            for index in _indices(form, name):
                row_prefix = f"{name}.{index}."
                if _first(form, f"{row_prefix}{REMOVE}"):
                    continue
                row = parse_form(form, form_field.children, row_prefix)
                if row:
                    items.append(row.get("text") if form_field.item_is_text else row)
            if items:
                entry[form_field.name] = items
        elif form_field.kind == "choices":
            chosen = [v for v in form.get(name) or [] if v]
            if chosen:
                entry[form_field.name] = [int(v) if v.isdigit() else v for v in chosen]
        elif form_field.kind == "lines":
            lines = _lines("\n".join(form.get(name) or []))
            if lines:
                national = lines == ["national"] and form_field.name == "area"
                entry[form_field.name] = "national" if national else lines
        elif form_field.kind == "checkbox":
            if _first(form, name):
                entry[form_field.name] = True
        else:
            value = _first(form, name)
            if value:
                entry[form_field.name] = (
                    int(value) if form_field.kind == "number" and _is_int(value) else value
                )
    return entry


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()
