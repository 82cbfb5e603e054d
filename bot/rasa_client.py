"""Forwarding resident messages to the Rasa server's REST channel."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa could not be reached or answered with an error."""


def join_text_and_custom(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put a card back together with its text fallback.

    Rasa's REST channel sends a message that has both ``text`` and ``custom`` as two items, the text
    first. The contract has one item per message, so that a crisis card really is the first item of
    the reply and a client without card support still has the text next to it.
    """
    joined: list[dict[str, Any]] = []
    for reply in replies:
        previous = joined[-1] if joined else None
        is_bare_custom = set(reply) <= {"recipient_id", "custom"} and "custom" in reply
        if is_bare_custom and previous is not None and set(previous) == {"recipient_id", "text"}:
            joined[-1] = {**previous, "custom": reply["custom"]}
        else:
            joined.append(reply)
    return joined


class RasaClient:
    def __init__(self, base_url: str, timeout_s: float = 30.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s

    def send(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            response = httpx.post(
                f"{self._base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message, "metadata": metadata},
                timeout=self._timeout_s,
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        replies = response.json()
        if not isinstance(replies, list):
            raise RasaUnavailable(f"unexpected reply from Rasa: {type(replies).__name__}")
        return join_text_and_custom(replies)

    def is_ready(self) -> bool:
        try:
            response = httpx.get(f"{self._base_url}/status", timeout=3.0)
            return response.is_success and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False
