"""What counts as the resident's own words in a conversation."""

from __future__ import annotations

from collections.abc import Iterable


def resident_messages(texts: Iterable[str | None]) -> list[str]:
    """The resident's typed messages, oldest first.

    Button payloads such as ``/affirm`` are not the resident's words, so screening and summaries skip them.
    """
    return [text for text in texts if text and text.strip() and not text.startswith("/")]
