"""Sliding-window rate limits for the chat endpoint (per conversation and per client address).

Two stores behind one ``allow(key)``: in memory (``SlidingWindowLimiter``) for the single gateway process
of the embedded default, and Redis (``RedisSlidingWindowLimiter``) when ``REDIS_URL`` is set, so several
gateway workers or replicas share one limit per resident instead of each granting its own. Why not the
``limits`` library: every release of it needs packaging>=21, and
Rasa 3.6, in the same environment, pins packaging<21. Memory stays bounded: a key whose window has passed
is forgotten, and at most ``max_keys`` keys are kept (the oldest dropped first), so rotating conversation
ids or spoofed addresses cannot grow the process without limit.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from typing import Protocol

import redis

logger = logging.getLogger(__name__)

DEFAULT_MAX_KEYS = 100_000


class Limiter(Protocol):
    def allow(self, key: str) -> bool: ...


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self._limit = limit
        self._window_s = window_s
        self._max_keys = max_keys
        # Least recently hit first: the keys to forget are at the front.
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._hits)

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget_idle(now)
            hits = self._hits.pop(key, None) or deque()
            self._hits[key] = hits
            while hits and now - hits[0] >= self._window_s:
                hits.popleft()
            if len(hits) >= self._limit:
                return False
            hits.append(now)
            while len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
            return True

    def _forget_idle(self, now: float) -> None:
        while self._hits:
            oldest_key, oldest = next(iter(self._hits.items()))
            if oldest and now - oldest[-1] < self._window_s:
                return
            del self._hits[oldest_key]


# One atomic step in Redis: forget hits older than the window, refuse at the limit, else record the hit.
# Redis's own clock, so gateway hosts with drifting clocks still share one window.
_SLIDING_WINDOW = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window_ms = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now_ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window_ms)
return 1
"""


class RedisSlidingWindowLimiter:
    """The same sliding window, kept in Redis: one sorted set of hit times per key, expiring with the window.

    Keys are hashed: a client address is personal data and has no business in a cache in clear. If Redis
    cannot be reached the message is let through (logged): a rate limit must never be the reason a resident
    in crisis gets no answer, and Redis being down is an operations alarm, not the resident's problem.
    """

    def __init__(self, client: redis.Redis, name: str, limit: int, window_s: float = 60.0,
                 prefix: str = "gateway") -> None:
        self._client = client
        self._name = f"{prefix}:rate:{name}"
        self._limit = limit
        self._window_ms = int(window_s * 1000)
        self._script = client.register_script(_SLIDING_WINDOW)

    def _redis_key(self, key: str) -> str:
        return f"{self._name}:{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}"

    def allow(self, key: str) -> bool:
        try:
            hit = f"{secrets.token_hex(8)}"
            return bool(self._script(keys=[self._redis_key(key)], args=[self._window_ms, self._limit, hit]))
        except redis.RedisError as error:
            logger.error("rate limit store unavailable, message let through: %s", error)
            return True


def make_limiter(name: str, limit: int, redis_url: str, prefix: str) -> Limiter:
    """Redis when a URL is configured (several gateway workers), else this process's memory."""
    if not redis_url:
        return SlidingWindowLimiter(limit)
    client = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
    return RedisSlidingWindowLimiter(client, name, limit, prefix=prefix)
