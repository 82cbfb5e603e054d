"""The direct question ("ask, don't guess") and how the resident's answer is read.

Texts and answer patterns are data (``risk_categories/direct_question.yaml`` and each acute category's
``question``); this module only loads them and decides between a clear no and everything else. Anything
that is not a clear no (a yes, "en tiedä", "ei kai", a question back, a story) is treated as acute, so a
resident who hesitates gets the crisis card and a person.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from triage.categories import CATEGORIES, CATEGORY_DIR, LANGUAGES
from triage.text import normalise

FRAME_FILE = CATEGORY_DIR / "direct_question.yaml"


@dataclass(frozen=True)
class QuestionFrame:
    lead: dict[str, str]
    yes: dict[str, str]
    no: dict[str, str]
    after_no: dict[str, str]
    clear_no: re.Pattern[str]
    hedges: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def frame(path: Path = FRAME_FILE) -> QuestionFrame:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("lead", "after_no"):
        missing = [lang for lang in LANGUAGES if not (data.get(key) or {}).get(lang)]
        if missing:
            raise ValueError(f"{path.name}: {key} needs a text in {', '.join(missing)}")
    return QuestionFrame(
        lead=data["lead"], yes=data["buttons"]["affirm"], no=data["buttons"]["deny"],
        after_no=data["after_no"],
        clear_no=re.compile(data["clear_no"]), hedges=re.compile(data["hedges"]),
    )


def question_text(category: str, lang: str) -> str:
    questions = CATEGORIES[category].question
    return f"{questions.get(lang) or questions['fi']}\n{frame().lead.get(lang) or frame().lead['fi']}"


def buttons(lang: str) -> list[dict[str, str]]:
    current = frame()
    return [{"title": current.yes.get(lang, current.yes["fi"]), "payload": "/affirm"},
            {"title": current.no.get(lang, current.no["fi"]), "payload": "/deny"}]


def is_clear_no(text: str) -> bool:
    """A clear no to the direct question: the No button, or an answer that starts with a no and hedges
    nothing. The caller still screens the answer itself (a no followed by a crisis is no clear no)."""
    if text.strip() == "/deny":
        return True
    if text.startswith("/"):
        return False  # any other button (Yes) or payload
    norm = " ".join(re.sub(r"[^\w'\s]", " ", normalise(text)).split())
    current = frame()
    return bool(current.clear_no.match(norm)) and not current.hedges.search(norm)
