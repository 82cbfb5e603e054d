"""The screening patterns are data (``triage/risk_categories/*/patterns.yaml``): loading and its errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from triage.categories import CATEGORIES, CATEGORY_DIR
from triage.lexicon import PATTERNS, PatternError, gap, load_patterns


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "risk_categories"
    shutil.copytree(CATEGORY_DIR, target)
    return target


def test_every_category_has_patterns_and_keys_are_unique() -> None:
    assert {p.category for p in PATTERNS} == set(CATEGORIES)
    keys = [p.key for p in PATTERNS]
    assert len(keys) == len(set(keys))


def test_fragments_and_gaps_are_expanded() -> None:
    # "tapan itteni": SELF fragment after a gap of up to two words
    pattern = next(p for p in PATTERNS if p.key == "suicide_self_harm#2")
    assert "{{" not in pattern.regex.pattern
    assert gap(2) in pattern.regex.pattern
    assert pattern.regex.search("tapan ihan oikeasti itteni")


def test_a_list_of_alternatives_is_one_regex(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "suicide_self_harm" / "patterns.yaml").write_text(
        "patterns:\n  - match: ['\\bfoo\\b', '\\bbar\\b']\n    negatable: false\n", encoding="utf-8"
    )
    patterns, _ = load_patterns(root)
    own = [p for p in patterns if p.category == "suicide_self_harm"]
    assert [p.regex.pattern for p in own] == [r"\bfoo\b|\bbar\b"]
    assert own[0].negatable is False and own[0].key == "suicide_self_harm#0"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("  - match: '(unclosed'\n", "suicide_self_harm/patterns.yaml: pattern 0.match: not a valid regular"),
        ("  - match: '{{NO_SUCH}}'\n", "unknown fragment {{NO_SUCH}}"),
        ("  - match: 'x'\n    exlude: 'y'\n", "unknown field(s) exlude"),
        ("  - match: 'x'\n    severity: high\n", "severity must be one of"),
        ("  - match: 'x'\n    negatable: 'no'\n", "negatable must be true or false"),
        ("  - requires: 'x'\n", "each pattern needs `match`"),
    ],
)
def test_a_broken_pattern_names_its_file_and_item(tmp_path: Path, item: str, message: str) -> None:
    root = _copy(tmp_path)
    (root / "suicide_self_harm" / "patterns.yaml").write_text("patterns:\n" + item, encoding="utf-8")
    with pytest.raises(PatternError, match=re.escape(message)):
        load_patterns(root)


def test_a_fragment_that_refers_to_itself_is_an_error(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    shared = root / "shared_patterns.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(
        "fragments:\n", "fragments:\n  LOOP: 'a{{LOOP}}'\n", 1), encoding="utf-8")
    (root / "suicide_self_harm" / "patterns.yaml").write_text("patterns:\n  - match: '{{LOOP}}'\n")
    with pytest.raises(PatternError, match="refers to itself"):
        load_patterns(root)
