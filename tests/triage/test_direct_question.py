"""Ask, don't guess: the direct question's texts are data, and only a clear no counts as no."""

from __future__ import annotations

import pytest

from triage.categories import CATEGORIES, LANGUAGES, Severity
from triage.direct_question import buttons, is_clear_no, question_text
from triage.patterns import cue_categories
from triage.text import normalise


def test_every_acute_category_asks_in_every_language_and_the_question_carries_112() -> None:
    for category in CATEGORIES.values():
        if category.severity is Severity.ACUTE:
            for lang in LANGUAGES:
                assert "112" in question_text(category.id, lang)
                assert category.question[lang].endswith("?") or "?" in category.question[lang]
        else:
            assert not category.question


@pytest.mark.parametrize("answer", ["ei", "En.", "ei oo", "en ole", "Nej", "no", "No, I'm not", "inte alls",
                                    "/deny", "en todellakaan"])
def test_clear_noes(answer: str) -> None:
    assert is_clear_no(answer)


@pytest.mark.parametrize("answer", ["kyllä", "joo", "/affirm", "en tiedä", "en mä tiiä", "ehkä", "ei kai",
                                    "ei, mutta joskus", "no joo", "vähän", "maybe", "I don't know",
                                    "kanske", "miksi kysyt", "nej men ibland"])
def test_anything_else_is_not_a_clear_no(answer: str) -> None:
    assert not is_clear_no(answer)


def test_buttons_answer_in_the_residents_language() -> None:
    assert [b["payload"] for b in buttons("sv")] == ["/affirm", "/deny"]
    assert buttons("sv")[0]["title"] == "Ja" and buttons("en")[1]["title"] == "No"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("olen vain taakka kaikille", "suicide_self_harm"),
        ("annoin jo kissan pois naapurille", "suicide_self_harm"),
        ("äänet sanoo mulle kaikenlaista", "threat_to_others"),
        ("pelkään mennä kotiin tänään", "domestic_violence"),
        ("the kids are alone at home", "child_at_risk"),
    ],
)
def test_warning_sign_cues_make_the_assistant_ask(text: str, category: str) -> None:
    assert category in [c for c, _ in cue_categories(normalise(text))]


@pytest.mark.parametrize("text", ["en ole taakka kenellekään", "en oo taakka", "kuolen nauruun"])
def test_negated_and_figurative_cues_do_not(text: str) -> None:
    assert cue_categories(normalise(text)) == []
