"""Text that arrives in a request body, made storable: lone UTF-16 surrogates become U+FFFD.

JSON may escape a lone surrogate (``"\\ud83d"``, half of a broken emoji); Python decodes it into a ``str``
that no database driver or log can encode, and the message would be lost with a 500. Replacing it keeps
every other character, so a crisis word next to a broken emoji is still stored and screened.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, root_validator

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    return _LONE_SURROGATE.sub(REPLACEMENT, value)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def _schema_fixes(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Pydantic 1 leaves ``None`` out of a field's JSON schema even where the model accepts and returns it
    (``str | None``); the OpenAPI document must say ``null`` is a value, or every client and the fuzz job
    reads a documented ``null`` as a contract violation. A model without a docstring of its own is not
    described by this base class's docstring either."""
    if model.__doc__ is None:
        schema.pop("description", None)
    for field in model.__fields__.values():
        prop = schema.get("properties", {}).get(field.alias)
        if not field.allow_none or prop is None or {"type": "null"} in prop.get("anyOf", []):
            continue
        outer = {key: prop.pop(key) for key in ("title", "description", "default") if key in prop}
        schema["properties"][field.alias] = {**outer, "anyOf": [prop, {"type": "null"}]}


class CleanTextModel(BaseModel):
    """Base of every request and response body: its strings are cleaned before any other validation, and
    its schema says which fields may be ``null``."""

    class Config:
        schema_extra = staticmethod(_schema_fixes)

    @root_validator(pre=True)
    def _clean_strings(cls, values: dict[str, Any]) -> dict[str, Any]:
        return _clean(values)
