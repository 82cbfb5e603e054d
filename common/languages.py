"""The languages residents are served in; Finnish first (the one every text must have)."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
