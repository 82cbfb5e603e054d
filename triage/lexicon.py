"""Surface-form patterns for risk screening, loaded from ``triage/risk_categories/<id>/patterns.yaml``.

The patterns are content: each category's folder holds them next to its labels, cues and direct question,
and ``shared_patterns.yaml`` holds the fragments several categories use and the figures of speech. This
module only loads and compiles them, so a loading error names the file and the item.

How to write a pattern (the rules the screening in ``triage.patterns`` relies on):

* Why regex on surface forms instead of a lemmatiser: residents write spoken Finnish ("mä haluun kuolla",
  "tapan itteni"), typos and mixed languages that Voikko does not analyse, and the screening must behave
  the same on every machine.
* Patterns match *normalised* text (lower case, ä→a, ö→o, å→a, see ``triage.text.normalise``), so "häätö",
  "haato" and "hääto" are one spelling; stems end in ``\\w*`` so inflection and compounds
  ("itsemurha-ajatuksia", "itsetuhoisia") match.
* Every pattern is matched inside one clause (split at punctuation and "mutta"), so negation and past-tense
  checks look at the right words. ``requires`` must also occur in the message (a second cue that makes an
  ambiguous word a risk: "lapsi" + "nälkäinen"); ``exclude`` vetoes a match when it occurs in the same
  clause (idioms, medicine names, harmless compounds).
* ``match``, ``requires`` and ``exclude`` are one regex or a list of alternatives (joined with ``|``).
  ``{{NAME}}`` inserts a shared fragment, ``{{gap:n}}`` up to n words in between.
* A pattern's key is ``<category>#<position in its file>``: the learned screen's confirmation thresholds
  are keyed by it, so append new patterns at the end rather than in the middle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from triage.categories import CATEGORIES, CATEGORY_DIR, Severity

SHARED_FILE = CATEGORY_DIR / "shared_patterns.yaml"
PATTERN_FILE = "patterns.yaml"
_PLACEHOLDER = re.compile(r"\{\{(\w+)(?::(\d+))?\}\}")
_FLAGS = ("negatable", "inner_negation", "requires_negatable")
_FIELDS = {"match", "severity", "requires", "exclude", *_FLAGS}


@dataclass(frozen=True)
class Pattern:
    category: str
    regex: re.Pattern[str]
    key: str
    severity: Severity | None = None  # None: the category's default
    requires: re.Pattern[str] | None = None  # must also occur somewhere in the message
    exclude: re.Pattern[str] | None = None  # vetoes the match when found in the same clause
    negatable: bool = True  # False when the pattern itself contains the negation ("en halua elää")
    inner_negation: bool = False  # a negation *inside* the match vetoes it ("mies ei ole koskaan lyönyt")
    # ``requires`` counts only where it is not negated ("äiti ei ole muistisairas"): for cues that name a
    # problem state; not for cues that are the object of a negation-meaning pattern ("ei oo mitään syötävää")
    requires_negatable: bool = False


class PatternError(ValueError):
    """A patterns file has an unknown field, a missing fragment or an invalid regex."""


def gap(n: int) -> str:
    """Up to ``n`` words in between (inside one clause)."""
    return rf"(?:[\w'-]+\s+){{0,{n}}}"


def _joined(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return "|".join(value)
    raise PatternError(f"{where}: a regex must be a string or a list of strings")


class _Expander:
    """Replaces ``{{NAME}}`` and ``{{gap:n}}``; fragments may use fragments (a cycle is an error)."""

    def __init__(self, fragments: dict[str, str]) -> None:
        self._raw = fragments
        self._done: dict[str, str] = {}

    def __call__(self, text: str, where: str, _stack: tuple[str, ...] = ()) -> str:
        def replace(match: re.Match[str]) -> str:
            name, number = match.group(1), match.group(2)
            if name == "gap" and number is not None:
                return gap(int(number))
            if name not in self._raw:
                raise PatternError(f"{where}: unknown fragment {{{{{name}}}}} (see {SHARED_FILE.name})")
            if name in _stack:
                raise PatternError(f"{where}: fragment {name} refers to itself")
            if name not in self._done:
                self._done[name] = self(self._raw[name], f"{SHARED_FILE.name}: {name}", (*_stack, name))
            return self._done[name]

        return _PLACEHOLDER.sub(replace, text)


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as error:
        raise PatternError(f"{where}: not a valid regular expression: {error}") from error


def _pattern(category: str, position: int, item: Any, expand: _Expander, where: str) -> Pattern:
    if not isinstance(item, dict) or "match" not in item:
        raise PatternError(f"{where}: each pattern needs `match`")
    unknown = set(item) - _FIELDS
    if unknown:
        raise PatternError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for flag in _FLAGS:
        if flag in item and not isinstance(item[flag], bool):
            raise PatternError(f"{where}: {flag} must be true or false")
    severity = None
    if "severity" in item:
        try:
            severity = Severity[str(item["severity"]).upper()]
        except KeyError as error:
            raise PatternError(f"{where}: severity must be one of acute, urgent, concern") from error

    def regex(field: str) -> re.Pattern[str] | None:
        if field not in item:
            return None
        at = f"{where}.{field}"
        return _compile(expand(_joined(item[field], at), at), at)

    return Pattern(
        category=category,
        regex=regex("match"),  # type: ignore[arg-type]  # present, checked above
        key=f"{category}#{position}",
        severity=severity,
        requires=regex("requires"),
        exclude=regex("exclude"),
        negatable=item.get("negatable", True),
        inner_negation=item.get("inner_negation", False),
        requires_negatable=item.get("requires_negatable", False),
    )


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise PatternError(f"{path.name}: expected a mapping at the top")
    return data


def load_patterns(directory: Path = CATEGORY_DIR) -> tuple[list[Pattern], re.Pattern[str]]:
    """All categories' patterns in the categories' order, and the figures-of-speech regex."""
    shared = _read(directory / SHARED_FILE.name)
    fragments = shared.get("fragments") or {}
    expand = _Expander({name: _joined(value, f"{SHARED_FILE.name}: {name}")
                        for name, value in fragments.items()})
    patterns: list[Pattern] = []
    for category in CATEGORIES:
        path = directory / category / PATTERN_FILE
        if not path.exists():
            continue
        items = _read(path).get("patterns") or []
        for position, item in enumerate(items):
            where = f"{category}/{PATTERN_FILE}: pattern {position}"
            patterns.append(_pattern(category, position, item, expand, where))
    where = f"{SHARED_FILE.name}: figures_of_speech"
    figures = _compile(expand(_joined(shared.get("figures_of_speech"), where), where), where)
    return patterns, figures


def pattern_files(directory: Path = CATEGORY_DIR) -> list[Path]:
    """The files the patterns come from (for the learned model's fingerprint)."""
    return [directory / SHARED_FILE.name, *sorted(directory.glob(f"*/{PATTERN_FILE}"))]


PATTERNS, FIGURES_OF_SPEECH = load_patterns()
