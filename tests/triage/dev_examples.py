"""DEV split for risk screening: the examples patterns are tuned against.

Single source: ``triage/corpus/legacy_dev_examples.yml`` (also backstop training data). Kept apart from the
held-out test set in ``tests/risk_eval/risk_testset.yml`` (which is only measured, never tuned on). Each
positive must raise its category; each negative must raise nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_PATH = Path(__file__).resolve().parents[2] / "triage" / "corpus" / "legacy_dev_examples.yml"
_DATA = yaml.safe_load(_PATH.read_text(encoding="utf-8"))

POSITIVES: dict[str, list[str]] = {category: list(texts) for category, texts in _DATA["positives"].items()}
NEGATIVES: list[str] = list(_DATA["negatives"])
