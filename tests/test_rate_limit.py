from bot.rate_limit import SlidingWindowLimiter


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
