"""What counts as the resident's own words in a conversation."""

from __future__ import annotations

from collections.abc import Iterable

# Slots of the risk dialogue (domain.yml), shared by the screening policy and the action server: what has been
# acted on, the policy's assessment of the latest message, the category the direct question was just asked
# about, and the acute signals the resident confirmed by answering it.
HANDLED_SLOT = "risk_handled"
ASSESSMENT_SLOT = "risk_assessment"
QUESTION_SLOT = "risk_question"
CONFIRMED_SLOT = "risk_confirmed"


def resident_messages(texts: Iterable[str | None]) -> list[str]:
    """The resident's typed messages, oldest first.

    Button payloads such as ``/affirm`` are not the resident's words, so screening and summaries skip them.
    """
    return [text for text in texts if text and text.strip() and not text.startswith("/")]
