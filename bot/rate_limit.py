"""Sliding-window rate limits for the chat endpoint (per conversation and per client address).

In memory: right for the single gateway process of the embedded default. Several gateway replicas would
need a shared store (Redis). Why not the ``limits`` library: every release of it needs packaging>=21, and
Rasa 3.6, in the same environment, pins packaging<21. Memory stays bounded: a key whose window has passed
is forgotten, and at most ``max_keys`` keys are kept (the oldest dropped first), so rotating conversation
ids or spoofed addresses cannot grow the process without limit.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

DEFAULT_MAX_KEYS = 100_000


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
