"""The action server's client for the gateway's internal API.

A case must be stored before the resident is told it exists, so calls are retried with backoff and
the caller gets ``None`` (and a logged error) when the gateway stays unreachable; the action then
tells the resident how to reach help directly.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from typing import Any

import httpx

from actions.settings import get_settings

logger = logging.getLogger(__name__)

RETRY_DELAYS_S = (0.5, 1.5, 3.0)
ROUTING_EVENT_TIMEOUT_S = 2.0


@lru_cache(maxsize=8)
def _pooled_http() -> httpx.Client:
    """One connection pool per process: a new client per call built a TLS context and a TCP connection
    each time (about 5 % of the action server's time under load)."""
    return httpx.Client(limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))


class GatewayClient:
    def __init__(self, base_url: str, token: str, retry_delays: tuple[float, ...] = RETRY_DELAYS_S) -> None:
        self._base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._retry_delays = retry_delays
        self._http = _pooled_http()

    def _send(self, method: str, path: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        attempts = len(self._retry_delays) + 1
        for attempt in range(attempts):
            try:
                response = self._http.request(
                    method, f"{self._base_url}{path}", json=payload, headers=self._headers, timeout=5.0
                )
                if response.status_code < 500:
                    if response.is_success:
                        return response.json()
                    # A 4xx will not get better by retrying: our request is wrong.
                    logger.error(
                        "gateway refused %s %s: %s %s",
                        method,
                        path,
                        response.status_code,
                        response.text[:500],
                    )
                    return None
                logger.warning(
                    "gateway %s %s answered %s (attempt %d/%d)",
                    method,
                    path,
                    response.status_code,
                    attempt + 1,
                    attempts,
                )
            except httpx.HTTPError as error:
                logger.warning(
                    "gateway %s %s failed: %s (attempt %d/%d)", method, path, error, attempt + 1, attempts
                )
            if attempt < len(self._retry_delays):
                time.sleep(self._retry_delays[attempt])
        logger.error(
            "gateway %s %s failed after %d attempts; the resident was given direct contacts",
            method,
            path,
            attempts,
        )
        return None

    def create_handoff(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        return self._send("POST", "/api/internal/handoffs", payload)

    def update_handoff(self, handoff_id: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        return self._send("PATCH", f"/api/internal/handoffs/{handoff_id}", payload)

    def record_feedback(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        return self._send("POST", "/api/internal/feedback", payload)

    def record_routing_event(self, payload: dict[str, Any]) -> bool:
        """One quick try, no retries: a lost event costs a line in the editors' report, a retry would hold
        a thread while the gateway is down. Never raises."""
        try:
            response = self._http.post(f"{self._base_url}/api/internal/routing-events", json=payload,
                                  headers=self._headers, timeout=ROUTING_EVENT_TIMEOUT_S)
        except httpx.HTTPError as error:
            logger.warning("routing event not recorded: %s", error)
            return False
        if not response.is_success:
            logger.warning("routing event refused: %s %s", response.status_code, response.text[:200])
        return response.is_success

    def live_chat_available(self) -> bool:
        """Whether "chat now" may be offered. One quick try: when the gateway cannot say, the answer is
        no, and the resident still gets the call-back and self-contact options without waiting."""
        try:
            response = self._http.get(
                f"{self._base_url}/api/internal/live-chat", headers=self._headers, timeout=3.0
            )
            response.raise_for_status()
            return bool(response.json().get("available"))
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("live-chat availability unknown, not offered: %s", error)
            return False


def gateway_client() -> GatewayClient:
    settings = get_settings()
    # RETRY_DELAYS_S is read at call time so tests (and operators) can shorten it.
    return GatewayClient(settings.gateway_internal_url, settings.action_service_token, RETRY_DELAYS_S)


def internal_api_configured() -> bool:
    """Whether the internal API can accept anything: without a token every call would be refused."""
    return bool(get_settings().action_service_token)
