"""Learned backstop (triage.backstop): catches some unseen indirect wordings, keeps idioms and ordinary
questions quiet, and is deterministic. Sentences here are in neither the training YAML nor the eval sets."""

from __future__ import annotations

import pytest

from triage import backstop
from triage.screening import pattern_assessment, screen_message


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("kaikki ois varmaan helpompaa jos mä vaan katoaisin pysyvästi", "suicide_self_harm"),
        ("mun mies tönii ja lyö mua aina kun se on vihainen", "domestic_violence"),
        ("nielin äsken kaikki unitabletit", "overdose_poisoning"),
        ("äiti ei pysty puhumaan ja suu vääntyy oudosti", "medical_emergency"),
        ("en jaksa tätä enää, mietin miten pääsisin täältä lopullisesti pois", "suicide_self_harm"),
        ("ei oo mitään syytä herätä enää huomenna, kaikki on turhaa", "suicide_self_harm"),
        ("mun kumppani kuristi mua eilen illalla ja nyt pelottaa", "domestic_violence"),
    ],
)
def test_unseen_indirect_wordings_are_caught(text: str, category: str) -> None:
    assert category in screen_message(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "tapan aikaa odotushuoneessa",
        "kuolen tylsyyteen tässä puhelinjonossa",
        "en ole itsetuhoinen, kysyn vain terapiasta",
        "miten haen asumistukea kelasta",
        "mihin aikaan hammashoitola aukeaa",
        "tarvitsen neuvola-ajan toiselle lapselle",
        "jäin työttömäksi, miten haen päivärahaa",
    ],
)
def test_idioms_negations_and_ordinary_questions_are_quiet(text: str) -> None:
    assert backstop.backstop_signals(text, 0) == () or not screen_message(text).signals
    assert not screen_message(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "en ole itsetuhoinen",
        "en ole itsetuhoinen enkä ole koskaan ollutkaan, kysyn vain vertaistuesta",
        "tapan aikaa",
        "tapan aikaa selaamalla puhelinta kun odotan vuoroa",
        "tämä lomake tappaa minut",
        "tämä lomake tappaa minut, en ymmärrä kohtaa kolme",
        "ei mulla oo itsemurha-ajatuksia",
        "ei mulla oo itsemurha-ajatuksia, haluan vaan puhua jollekin unettomuudesta",
        "meidän vanha kissa kuoli eilen, mistä saa tuhkauksen",
    ],
)
def test_brief_must_not_fire_phrasings_are_quiet(text: str) -> None:
    assert not screen_message(text).signals


def test_negated_and_figurative_words_are_masked_for_the_backstop() -> None:
    from triage.lexicon import normalise
    from triage.screening import _harmless_mask

    masked = _harmless_mask(normalise("mies ei lyö minua, hän on ihana"), "domestic_violence")
    assert "lyo" not in masked and "minua" not in masked
    assert "elaa" in _harmless_mask(normalise("en halua elää"), "suicide_self_harm")
    assert "tapan" not in _harmless_mask(normalise("tapan aikaa lukemalla"), "threat_to_others")


def test_denied_clause_is_not_scored_for_acute_categories() -> None:
    assert backstop._denied("en ole koskaan ajatellut tappaa itseäni")
    assert not backstop._denied("en näe mitään syytä jatkaa")


def test_backstop_keeps_pattern_findings_and_adds_only_missing_categories() -> None:
    text = "haluan kuolla"
    patterns = pattern_assessment(text)
    combined = screen_message(text)
    for signal in patterns.signals:
        assert signal in combined.signals


def test_deterministic() -> None:
    """Retraining gives the same probabilities (no random state). Speed is a benchmark's job
    (benchmarks/risk_benchmark.py --compare), not a timed test's."""
    backstop.warm_up()
    text = "en oikein tiedä miten jaksaa, kaikki tuntuu turhalta"
    first = backstop.probabilities(text)
    backstop._model.cache_clear()
    backstop.warm_up()
    assert backstop.probabilities(text) == first


def test_training_data_excludes_eval_sets() -> None:
    texts, labels = backstop.training_data()
    assert len(texts) == len(labels)
    assert set(texts).isdisjoint(backstop._eval_texts())
    for category in backstop.BACKSTOP_CATEGORIES:
        assert labels.count(category) >= 12
