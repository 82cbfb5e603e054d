"""Risk screening: phrasings per category, negation, idioms, reported speech, context and cumulation."""

from __future__ import annotations

import pytest

from tests.triage.dev_examples import NEGATIVES, POSITIVES
from triage.categories import CATEGORIES, Severity
from triage.handled import mark_handled, unhandled_signals
from triage.screening import MAX_QUOTE, RiskAssessment, screen_conversation, screen_message

POSITIVE_CASES = [(category, text) for category, texts in POSITIVES.items() for text in texts]


def test_dev_examples_cover_every_category() -> None:
    assert set(POSITIVES) == set(CATEGORIES)


@pytest.mark.parametrize(("category", "text"), POSITIVE_CASES)
def test_positive_phrasings_raise_their_category(category: str, text: str) -> None:
    assert category in screen_message(text).categories


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_raise_nothing(text: str) -> None:
    assert screen_message(text).signals == ()


@pytest.mark.parametrize(
    "text",
    [
        "mä haluun kuolla",
        "mä en jaksa enää, haluun tappaa itteni",
        "itsemurha-ajatuksia on ollut",
        "itsemurah",
        "itsetuhonen",
        "itsetuhoisia ajatuksia",
        "ITSEMURHA",
        "självmord",
        "kill myself",
    ],
)
def test_suicide_forms_are_acute(text: str) -> None:
    assessment = screen_message(text)
    assert assessment.severity is Severity.ACUTE
    assert assessment.categories[0] == "suicide_self_harm"


@pytest.mark.parametrize(
    "text",
    [
        "en ole itsetuhoinen",
        "ei ole itsemurha-ajatuksia",
        "en aio tappaa itseäni",
        "minulla ei ole koskaan ollut itsemurha-ajatuksia",
        "en halua kuolla",
        "I'm not suicidal",
        "mies ei ole koskaan lyönyt minua",
    ],
)
def test_negation_suppresses_acute(text: str) -> None:
    assert screen_message(text).severity is not Severity.ACUTE


def test_negation_of_something_else_does_not_hide_the_signal() -> None:
    # "en tiedä" negates knowing, not wanting to die.
    assert "suicide_self_harm" in screen_message("en tiedä miksi mä haluun kuolla").categories
    assert "suicide_self_harm" in screen_message("en ole syönyt ja haluan kuolla").categories


@pytest.mark.parametrize(
    "text",
    [
        "tapan aikaa",
        "tämä lomake tappaa minut",
        "kuolen nauruun",
        "nälkä kuin sudella",
        "räjähdän kohta jos jono ei liiku",
        "en jaksa odottaa että pääsen lomalle",
    ],
)
def test_figures_of_speech_raise_nothing(text: str) -> None:
    assert screen_message(text).signals == ()


def test_reported_speech_about_others() -> None:
    friend = screen_message("kaveri sanoi haluavansa kuolla")
    assert friend.categories == ("suicide_self_harm",)
    assert friend.signals[0].quote == "kaveri sanoi haluavansa kuolla"
    assert screen_message("naapurin lapsi on yksin ja nälkäinen").categories == ("child_at_risk",)
    assert screen_message("äiti eksyi taas eikä muista syödä").categories == ("older_relative_not_managing",)


def test_information_question_is_concern_at_most() -> None:
    assessment = screen_message("mistä saa tietoa itsemurhien ehkäisystä")
    assert assessment.severity is Severity.CONCERN
    # ...but not when a person close to the writer is involved.
    assert screen_message("mun kaveri puhuu itsemurhasta, mistä saa tietoa").severity is Severity.ACUTE
    # Information about non-acute topics raises nothing: the service answer is enough.
    assert screen_message("mistä saa tietoa päihdepalveluista ja huumeista").signals == ()


def test_distant_past_is_concern_but_return_is_acute() -> None:
    assert screen_message("olin itsetuhoinen vuosia sitten").severity is Severity.CONCERN
    later = "olin itsetuhoinen vuosia sitten, nyt haen asumistukea"
    assert screen_message(later).severity is Severity.CONCERN
    back = "olin itsetuhoinen vuosia sitten ja nyt ajatukset tuli taas"
    assert screen_message(back).severity is Severity.ACUTE
    # Past tense without a distant time marker stays acute.
    assert screen_message("yritin eilen tappaa itseni").severity is Severity.ACUTE


def test_default_severities() -> None:
    assert screen_message("vuokranantaja uhkaa häädöllä").severity is Severity.URGENT
    assert screen_message("ei oo rahaa ruokaan").severity is Severity.URGENT
    assert screen_message("en pääse ylös sängystä").severity is Severity.CONCERN
    assert screen_message("en osaa käyttää tietokonetta").severity is Severity.CONCERN


def test_cumulation_of_weak_signals_across_turns() -> None:
    assert screen_conversation(["en jaksa"]).severity is Severity.CONCERN
    escalated = screen_conversation(["en jaksa enää", "mitä kuuluu asumistukeen", "en oo syöny mitään"])
    assert escalated.categories == ("not_coping",)
    assert escalated.severity is Severity.URGENT
    two_categories = screen_conversation(["en osaa käyttää nettiä", "ja masentaa"])
    assert {s.severity for s in two_categories.signals} == {Severity.URGENT}


def test_the_same_weak_signal_repeated_three_times_escalates() -> None:
    assert screen_conversation(["en jaksa", "en jaksa", "en jaksa"]).severity is Severity.URGENT
    assert screen_conversation(["en jaksa", "en jaksa"]).severity is Severity.CONCERN


def test_one_signal_per_category_with_highest_severity_and_order() -> None:
    assessment = screen_conversation(
        ["olin itsetuhoinen vuosia sitten", "häätö tulossa", "nyt haluun tappaa itteni"]
    )
    assert assessment.categories == ("suicide_self_harm", "eviction_homelessness")
    suicide = assessment.signals[0]
    assert suicide.severity is Severity.ACUTE and suicide.message_index == 2
    assert assessment.severity is Severity.ACUTE


def test_quotes_keep_redaction_and_are_short() -> None:
    text = "Mun nimi on [nimi] ja numero [puhelinnumero]. " + "bla " * 80 + "haluun kuolla " + "bla " * 80
    [signal] = screen_message(text, index=4).signals
    assert "haluun kuolla" in signal.quote
    assert len(signal.quote) <= MAX_QUOTE
    assert signal.message_index == 4
    redacted = screen_message("[nimi] sanoi että haluaa kuolla").signals[0]
    assert redacted.quote.startswith("[nimi]")


def test_empty_input() -> None:
    assert screen_message("") == RiskAssessment(())
    assert screen_conversation([]).severity is None
    assert screen_conversation(["", "   "]).categories == ()


def test_works_with_handled_slot() -> None:
    first = screen_conversation(["mä haluun kuolla"])
    handled = mark_handled(first, [])
    assert handled == ["suicide_self_harm:acute"]
    later = screen_conversation(["mä haluun kuolla", "ja mies lyö mua joka päivä"])
    assert [s.category for s in unhandled_signals(later, handled)] == ["domestic_violence"]
