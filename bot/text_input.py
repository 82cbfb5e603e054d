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


class CleanTextModel(BaseModel):
    """Base of every request body: its strings are cleaned before any other validation."""

    @root_validator(pre=True)
    def _clean_strings(cls, values: dict[str, Any]) -> dict[str, Any]:
        return _clean(values)
