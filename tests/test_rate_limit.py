import os
import secrets

import pytest
import redis

from bot.rate_limit import RedisSlidingWindowLimiter, SlidingWindowLimiter

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def test_limit_is_per_key_and_window_slides() -> None:
    limiter = SlidingWindowLimiter(limit=2, window_s=60)
    assert limiter.allow("a", now=0)
    assert limiter.allow("a", now=1)
    assert not limiter.allow("a", now=2)
    assert limiter.allow("b", now=2)
    assert limiter.allow("a", now=61)


def test_idle_keys_are_forgotten_and_the_number_of_keys_is_bounded() -> None:
    limiter = SlidingWindowLimiter(limit=1, window_s=60, max_keys=100)
    for number in range(1000):  # rotating ids: each key is new
        assert limiter.allow(f"rotating-{number}", now=number / 100)
    assert len(limiter) == 100
    assert not limiter.allow("rotating-999", now=10)  # a recent key is still limited
    assert limiter.allow("fresh", now=200)
    assert len(limiter) == 1  # everything older than the window is gone


# --- shared in Redis (several gateway workers) -------------------------------------------------------

def _redis_client() -> redis.Redis:
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {TEST_REDIS_URL}: {error}")
    return client


def test_two_workers_share_one_limit_in_redis() -> None:
    client = _redis_client()
    prefix = f"test{secrets.token_hex(4)}"
    first, second = (RedisSlidingWindowLimiter(client, "conversation", 3, prefix=prefix) for _ in range(2))
    assert [first.allow("c1"), second.allow("c1"), first.allow("c1")] == [True, True, True]
    assert not second.allow("c1")  # the other worker sees the same three hits
    assert first.allow("c2")
    keys = client.keys(f"{prefix}:*")
    assert keys and all(client.pttl(key) > 0 for key in keys)  # forgotten with the window
    assert not any(b"c1" in key for key in keys)  # the key (an address, an id) is hashed
    client.delete(*keys)


def test_an_unreachable_redis_lets_the_message_through() -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    assert RedisSlidingWindowLimiter(unreachable, "conversation", limit=1).allow("c1")
