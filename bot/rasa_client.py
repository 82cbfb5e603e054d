"""Forwarding resident messages to the Rasa server's REST channel.

A short timeout and a circuit breaker (``pybreaker``): a hung Rasa must not hold a gateway thread for long,
and while Rasa keeps failing the gateway answers at once from its own screening (``bot.outage``) instead of
making every resident wait for the timeout. After ``reset_timeout_s`` one message tries Rasa again.
"""

from __future__ import annotations

from typing import Any

import httpx
import pybreaker


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
    def __init__(self, base_url: str, timeout_s: float = 10.0, token: str = "",
                 failures_to_open: int = 3, reset_timeout_s: float = 30.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s
        # Rasa's only channel (bot.rasa_channel.GatewayInput) refuses a request without this token.
        self._headers = {"Authorization": f"Bearer {token}"}
        self._breaker = pybreaker.CircuitBreaker(fail_max=failures_to_open, reset_timeout=reset_timeout_s)

    @property
    def circuit_open(self) -> bool:
        return self._breaker.current_state == pybreaker.STATE_OPEN

    def send(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            return self._breaker.call(self._send, sender, message, metadata)
        except pybreaker.CircuitBreakerError as error:
            raise RasaUnavailable("Rasa is failing; the circuit is open") from error

    def _send(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            response = httpx.post(
                f"{self._base_url}/webhooks/gateway/webhook",
                json={"sender": sender, "message": message, "metadata": metadata},
                headers=self._headers,
                timeout=self._timeout_s,
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error
        if not isinstance(replies, list):
            raise RasaUnavailable(f"unexpected reply from Rasa: {type(replies).__name__}")
        return join_text_and_custom(replies)

    def is_ready(self) -> bool:
        try:
            url = f"{self._base_url}/webhooks/gateway/ready"
            response = httpx.get(url, headers=self._headers, timeout=3.0)
            return response.is_success and bool(response.json().get("ready"))
        except (httpx.HTTPError, ValueError):
            return False
