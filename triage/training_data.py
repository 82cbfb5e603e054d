"""The learned screen's training data: the risk corpus by writer, plus the NLU examples as ordinary negatives.

Sources, each a *writer group* for cross-validation (a writer's sentences never in both train and test):

* ``triage/corpus/<writer>.yml``: ``{writer, items: [{text | turns, label, lang, clarity | type}]}``, each
  written by an independent writer with their own brief who saw neither the patterns nor the other
  writers' text nor any evaluation set; a multi-turn item is one conversation text (turns joined as the
  screen joins them, ``conversation_text``), labelled at its last turn;
* ``triage/corpus/legacy_*.yml``: the earlier exemplar, look-alike and dev files (``positives`` per category,
  ``negatives``), written by earlier sessions, one group per file;
* ``data/nlu/*.yml``: the assistant's own intent examples, ordinary negatives (group ``nlu:<intent>``), minus
  lines the patterns flag (risk wordings that sit in an intent, "mulla on itsetuhoisia ajatuksia").

Nothing here reads ``tests/``: the evaluation sets are kept apart by a test (``test_training_data.py``), not
filtered at run time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from triage.categories import CATEGORIES, CATEGORY_DIR
from triage.lexicon import pattern_files
from triage.patterns import pattern_assessment

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
NLU_DIR = ROOT / "data" / "nlu"

NONE = "none"
TURN_SEPARATOR = " \n "  # between the turns of one conversation text; a clause break for the patterns
WINDOW = 3  # turns the screen reads together: a signal spread over turns adds up

_NLU_LINE = re.compile(r"^\s*-\s+(.+?)\s*$")
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)")


@dataclass(frozen=True)
class Example:
    text: str  # as written (the char features normalise it, the encoder wants it as written)
    label: str  # a category id or NONE
    writer: str  # cross-validation group
    kind: str  # positive | hard_negative | ordinary
    clarity: str = "clear"  # positives: clear | unclear (a careful worker would ask)


def conversation_text(turns: Sequence[str]) -> str:
    """The last ``WINDOW`` turns as one text, the way the screen reads a conversation."""
    return TURN_SEPARATOR.join(t.strip() for t in list(turns)[-WINDOW:] if t and t.strip())


class CorpusError(ValueError):
    """A corpus file has an item without text, or a label that is no category."""


def _check_label(path: Path, label: str) -> str:
    if label != NONE and label not in CATEGORIES:
        raise CorpusError(f"{path.name}: {label!r} is not a category")
    return label


def _writer_items(path: Path, data: dict) -> Iterable[Example]:
    writer = str(data.get("writer") or path.stem)
    for item in data.get("items") or []:
        turns = item.get("turns")
        text = conversation_text([str(t) for t in turns]) if turns else str(item.get("text") or "")
        if not text.strip():
            raise CorpusError(f"{path.name}: an item without text or turns")
        label = _check_label(path, str(item.get("label") or ""))
        if label == NONE:
            kind = "hard_negative" if item.get("type") == "hard_negative" else "ordinary"
            yield Example(text, NONE, writer, kind)
        else:
            yield Example(text, label, writer, "positive", str(item.get("clarity") or "clear"))


def _legacy_items(path: Path, data: dict) -> Iterable[Example]:
    writer = path.stem
    for category, sentences in (data.get("positives") or {}).items():
        _check_label(path, category)
        for text in sentences or []:
            yield Example(str(text), category, writer, "positive")
    for text in data.get("negatives") or []:
        yield Example(str(text), NONE, writer, "hard_negative")


def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.yml"))


_NLU_INTENT = re.compile(r"^\s*-\s+intent:\s*(\S+)")


def nlu_lines() -> list[tuple[str, str]]:
    """(example, intent) of every NLU example line, entity annotations removed."""
    lines: list[tuple[str, str]] = []
    intent = "?"
    for path in sorted(NLU_DIR.glob("*.yml")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            heading = _NLU_INTENT.match(raw)
            if heading:
                intent = heading.group(1)
                continue
            match = _NLU_LINE.match(raw)
            if match and ":" not in match.group(1)[:12]:
                lines.append((_ENTITY.sub(r"\1", match.group(1)), intent))
    return lines


def load_examples() -> list[Example]:
    """Every training example, deterministic order, duplicates (same text and label) once."""
    examples: list[Example] = []
    for path in corpus_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        examples += list(_writer_items(path, data) if "items" in data else _legacy_items(path, data))
    examples += [  # one group per intent: leaving an intent out is like meeting a new kind of question
        Example(line, NONE, f"nlu:{intent}", "ordinary")
        for line, intent in nlu_lines() if not pattern_assessment(line).signals
    ]
    seen: set[tuple[str, str]] = set()
    unique = []
    for example in examples:
        key = (" ".join(example.text.split()).lower(), example.label)
        if key not in seen:
            seen.add(key)
            unique.append(example)
    return unique


def source_fingerprint(extra: Iterable[str] = ()) -> str:
    """Hash of everything the learned model is trained from (corpus, NLU data, the pattern filter, the
    model's own code and ``extra``, e.g. the encoder's id): a changed file means a new model."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = [*corpus_files(), *sorted(NLU_DIR.glob("*.yml")), *pattern_files(),
             *sorted(CATEGORY_DIR.glob("*/category.yaml")),  # cues: their confirmation thresholds
             here / "lexicon.py", here / "patterns.py", here / "training_data.py", here / "learned.py"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:20]
