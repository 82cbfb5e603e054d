"""Risk screening: phrasings per category, negation, idioms, reported speech, context and cumulation."""

from __future__ import annotations

import pytest

from tests.triage.dev_examples import NEGATIVES, POSITIVES
from triage.categories import CATEGORIES, Severity
from triage.handled import mark_handled, unhandled_signals
from triage.screening import (
    MAX_QUOTE,
    RiskAssessment,
    pattern_assessment,
    screen_conversation,
    screen_message,
)

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


# --- round-5 development rules (general families; phrasings here are our own, not from tests/risk_eval) ---


@pytest.mark.parametrize(
    "text",
    [
        "en oo ikinä miettiny itsemurhaa, haluun vaan jutella stressistä",  # spoken participle bridges
        "Opiskelen sairaanhoitajaksi, miten sydänkohtauksen tunnistaa?",  # learner's knowledge question
        "Olen kotihoidon työntekijä, mihin ohjaan asiakkaan, jota kumppani pahoinpitelee?",  # professional
        "sarjan uusimmassa jaksossa hahmo yrittää tappaa itsensä, oli vaikuttava",  # fiction
        "pelihahmo puukottaa vartijan ja kenttä alkaa alusta, mikä on vinkki",  # game
        "Olen sosionomiopiskelija. Mitä tarkoittaa lähisuhdeväkivalta?",
        "olin aikaisemmin kodittomana, nyt mulla on oma asunto ja kysyn kotivakuutuksesta",
        "nuorena viiltelin, mutta nykyään voin hyvin; saako tatuoinnin arpien päälle",  # resolved past
        "isällä ei ole muistisairautta ja hän pärjää itse, tarvitseeko hän kotihoidon arvion",  # negated cue
        "kolmevuotias kiljui että tapan sut kun sammutin telkkarin",  # small child's tantrum
        "meinasin saada sydänkohtauksen kun kuulin vuokrankorotuksesta",  # near-miss hyperbole
        "en ole rahaton, etsin vain halvinta ruokakauppaa",  # negated privative adjective
        "kysyn vain yleisesti, missä on lähin turvakoti",  # just asking about a service by name
    ],
)
def test_round5_rule_families_raise_nothing(text: str) -> None:
    assert pattern_assessment(text).signals == ()


# Kept out of the dev split (backstop_data/dev_examples.yml) on purpose: as backstop training data these
# shifted borderline backstop scores (a held-out "yksin koulumatkalla" alarm, three round-5 catches lost),
# so the new rule families are tested here, on the patterns, and the backstop is trained as before.
def test_round5_negation_forms_raise_nothing() -> None:
    assert screen_message("en oo ikinä suunnitellu tappavani itteäni, kysyn unilääkkeistä").signals == ()


def test_a_denied_memory_problem_is_no_pattern_signal_and_nothing_acute() -> None:
    # Known false alarm of the learned screen: it still reads "isä ... pärjää ... kotihoidon arvio" as an
    # older relative not managing (urgent: an offer of a person, with consent). Never acute.
    text = "isällä ei ole muistisairautta ja hän pärjää itse, tarvitseeko hän silti kotihoidon arvion"
    assert pattern_assessment(text).signals == ()
    assert screen_message(text).severity is not Severity.ACUTE


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("en aio olla olemassa enää ensi viikolla", "suicide_self_harm"),
        ("en meinaa elää enää kauan, kaikki on sanottu", "suicide_self_harm"),
        ("saunassa pelti jäi kiinni ja kaikilla on huimausta ja pahoinvointia", "overdose_poisoning"),
        ("join viinaa ja otin koko levyn tramalia", "overdose_poisoning"),
        ("yskin verta aamulla ja hengästyn", "medical_emergency"),
        ("olen oksentanut verta kaksi kertaa", "medical_emergency"),
        ("astmapiippu ei auta ja henki ei kulje kunnolla", "medical_emergency"),
        ("pojalla korkea kuume ja niska on jäykkä", "medical_emergency"),
        ("mehiläinen pisti ja kasvot turpoavat nopeasti", "medical_emergency"),
        ("exä huusi ovella että tappaa minut", "domestic_violence"),
        ("lapset jätettiin yksin autoon helteeseen", "child_at_risk"),
    ],
)
def test_round5_acute_families_raise_their_category(text: str, category: str) -> None:
    assessment = pattern_assessment(text)
    assert category in assessment.categories
    assert assessment.severity is Severity.ACUTE


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # the writer in the frame is still at risk
        ("olen opiskelija ja olen ajatellut itsemurhaa, miten toimitaan?", "suicide_self_harm"),
        ("katsoin elokuvan jossa joku tappoi itsensä ja mietin samaa", "suicide_self_harm"),
        ("Opiskelen lähihoitajaksi ja mulla on kova rintakipu, miten toimitaan?", "medical_emergency"),
        # "just asking" lets a service name go, not a need or an acute topic
        ("kysyn vaan, meillä ei ole ruokaa ja rahat loppu", "no_money_food_medicine"),
        ("kysyn kaverin puolesta, se puhuu itsemurhasta", "suicide_self_harm"),
        # a past without a resolution, or with a return, is not resolved
        ("aiemmin olin asunnoton ja nyt taas nukun rappukäytävässä", "eviction_homelessness"),
        ("äiti on muistisairas ja unohtaa syödä", "older_relative_not_managing"),
        ("15-vuotias huusi että mä tapan sut", "threat_to_others"),
    ],
)
def test_round5_rule_families_keep_real_risk(text: str, category: str) -> None:
    assessment = screen_message(text)
    # Raised, or, where the learned screen finds a pattern hit implausible (a student "asking how to act"),
    # asked about directly: never silent.
    assert category in assessment.categories or category in [p.category for p in assessment.possible]
    assert category in pattern_assessment(text).categories


def test_resolved_past_with_a_return_still_raises() -> None:
    text = "vuosia sitten yritin itsemurhaa, nyt voin hyvin mutta ajatukset tuli taas"
    assert pattern_assessment(text).severity is Severity.CONCERN


@pytest.mark.parametrize(
    "text",
    [
        "mitä teen jos joku on ottanut liikaa lääkkeitä",
        "mitä pitää tehdä jos joku ei hengitä",
        "miten toimia jos ihminen saa sydänkohtauksen",
    ],
)
def test_what_to_do_if_someone_is_asked_in_an_emergency_too(text: str) -> None:
    """"What do I do if someone ..." is how people ask while it is happening: crisis contacts, or the direct
    question that carries 112 ("is this an emergency right now?"), never a mere offer of a person."""
    assessment = screen_message(text)
    asked = any(p.severity is Severity.ACUTE for p in assessment.possible)
    assert assessment.severity is Severity.ACUTE or asked
