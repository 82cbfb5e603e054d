"""The held-out benchmark's targets hold (acute recall 100 %, ordinary false alarms at most 3 %)."""

from __future__ import annotations

from benchmarks.risk_benchmark import DEFAULT_TESTSET, load, main, run


def test_testset_size_and_targets() -> None:
    items = load(DEFAULT_TESTSET)
    assert len(items) >= 300
    result = run(items)
    assert result["acute_recall"] == 1.0, result["misses"]
    assert result["ordinary_fa"] <= 0.03, result["alarms"]["ordinary"]
    assert main(["--check"]) == 0
