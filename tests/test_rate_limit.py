from bot.rate_limit import SlidingWindowLimiter


def test_limit_is_per_key_and_window_slides() -> None:
    limiter = SlidingWindowLimiter(limit=2, window_s=60)
    assert limiter.allow("a", now=0)
    assert limiter.allow("a", now=1)
    assert not limiter.allow("a", now=2)
    assert limiter.allow("b", now=2)
    assert limiter.allow("a", now=61)
