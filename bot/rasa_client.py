"""Forwarding resident messages to the Rasa servers' gateway channel: one or several Rasa processes.

Several Rasa processes share the tracker store, but Rasa Open Source's Redis lock store does not protect
a conversation against two instances taking its lock at once (RasaHQ/rasa PR #11256, reverted in #11428).
So the gateway, not a load balancer, chooses the process: each conversation goes to a fixed one by
rendezvous hashing of its id (``replicas_for``), which keeps its messages in order on one process. When
that process fails, the conversation goes to the next one in its own order, which reads the same history
from the shared tracker store; when the failed one is back, the conversation returns to it. Rendezvous
hashing moves only the dead process's conversations, and each replica's own circuit breaker
(``pybreaker``) skips a process that keeps failing without making every resident wait for its timeout.
While every process fails, or the home process is too slow (``RasaTimedOut``), the gateway answers from
its own screening (``bot.outage``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pybreaker

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """No Rasa process could be reached or all answered with an error."""


class RasaTimedOut(RasaUnavailable):
    """A Rasa process took the message but did not answer in time: it is busy, not dead. Not sent on to the
    next process: that would put the same message into the conversation twice and, under a peak, double the
    work of an already overloaded system (a retry storm). The gateway answers it from its own screening."""


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


def parse_urls(urls: str | Sequence[str]) -> list[str]:
    """``RASA_URL`` holds one base URL or a comma-separated list (one per Rasa process)."""
    items = urls.split(",") if isinstance(urls, str) else list(urls)
    parsed = [item.strip().rstrip("/") for item in items if item.strip()]
    if not parsed:
        raise ValueError("RASA_URL names no Rasa server")
    if len(set(parsed)) != len(parsed):
        raise ValueError("RASA_URL names the same Rasa server twice")
    return parsed


@dataclass
class RasaReplica:
    url: str
    breaker: pybreaker.CircuitBreaker

    def weight(self, sender: str) -> bytes:
        return hashlib.blake2b(f"{sender}\0{self.url}".encode(), digest_size=8).digest()


class RasaClient:
    def __init__(self, base_urls: str | Sequence[str], timeout_s: float = 10.0, token: str = "",
                 failures_to_open: int = 3, reset_timeout_s: float = 30.0) -> None:
        self._timeout_s = timeout_s
        # Rasa's only channel (bot.rasa_channel.GatewayInput) refuses a request without this token.
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.replicas = [
            RasaReplica(url, pybreaker.CircuitBreaker(fail_max=failures_to_open,
                                                  reset_timeout=reset_timeout_s))
            for url in parse_urls(base_urls)
        ]
        # One pooled client for all threads: no new TCP connection per message.
        self._http = httpx.Client(timeout=timeout_s, headers=self._headers,
                                  limits=httpx.Limits(max_connections=100, max_keepalive_connections=40))

    def close(self) -> None:
        self._http.close()

    @property
    def circuit_open(self) -> bool:
        return all(replica.breaker.current_state == pybreaker.STATE_OPEN for replica in self.replicas)

    def replicas_for(self, sender: str) -> list[RasaReplica]:
        """The conversation's own order of the Rasa processes: its home first, then its fail-overs."""
        return sorted(self.replicas, key=lambda replica: replica.weight(sender), reverse=True)

    def send(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        failures = []
        for replica in self.replicas_for(sender):
            try:
                return replica.breaker.call(self._send, replica.url, sender, message, metadata)
            except pybreaker.CircuitBreakerError:
                failures.append(f"{replica.url}: circuit is open")
            except RasaTimedOut:
                raise
            except RasaUnavailable as error:
                logger.warning("Rasa at %s failed (%s); trying the next process", replica.url, error)
                failures.append(f"{replica.url}: {error}")
        raise RasaUnavailable("; ".join(failures))

    def _send(self, url: str, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            response = self._http.post(f"{url}/webhooks/gateway/webhook",
                                       json={"sender": sender, "message": message, "metadata": metadata})
            response.raise_for_status()
            replies = response.json()
        except httpx.ReadTimeout as error:
            raise RasaTimedOut(f"no answer in {self._timeout_s} s") from error
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error) or type(error).__name__) from error
        if not isinstance(replies, list):
            raise RasaUnavailable(f"unexpected reply from Rasa: {type(replies).__name__}")
        return join_text_and_custom(replies)

    def readiness(self) -> dict[str, bool]:
        """Each process: has it loaded its model and does it answer?"""
        return {replica.url: self._replica_ready(replica.url) for replica in self.replicas}

    def is_ready(self) -> bool:
        """Ready when at least one process can answer (the others' conversations fail over to it)."""
        return any(self.readiness().values())

    def _replica_ready(self, url: str) -> bool:
        try:
            response = self._http.get(f"{url}/webhooks/gateway/ready", timeout=3.0)
            return response.is_success and bool(response.json().get("ready"))
        except (httpx.HTTPError, ValueError):
            return False
