"""Catalogue retrieval and the routing decision, on the real catalogue (no training, no Rasa)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service_catalogue.loader import Catalogue, load_catalogue
from service_catalogue.models import Service
from service_catalogue.retrieval import _EMBEDDINGS, ServiceIndex, index_for, service_phrases
from service_catalogue.routing import Decision, route
from tests.catalogue_copy import NEW_ENTRY

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real() -> Catalogue:
    return load_catalogue(ROOT / "service_catalogue")


def _new_service() -> Service:
    return Service(**NEW_ENTRY)


def _with(catalogue: Catalogue, service: Service) -> Catalogue:
    services = {**catalogue.services, service.id: service}
    return Catalogue(services=services, crisis_contacts=catalogue.crisis_contacts, county=catalogue.county)


def test_every_entry_says_what_residents_ask_in_finnish(real: Catalogue) -> None:
    thin = [s.id for s in real.services.values()
            if s.example_questions is None or len(s.example_questions.fi) < 2]
    assert not thin, f"entries without two Finnish example questions (retrieval cannot find them): {thin}"


def test_a_new_entry_is_the_first_answer_to_its_example_questions_without_training(real: Catalogue) -> None:
    index_for(real)  # the catalogue as it was, indexed
    before = len(_EMBEDDINGS._vectors)
    extended = _with(real, _new_service())
    for question in ("mistä saa oman kasvimaapalstan", "voiko kaupungilta vuokrata viljelypalstan"):
        routing = route(extended, question)
        assert routing.decision is Decision.answer
        assert routing.services[0].id == NEW_ENTRY["id"]
    # only the new entry's phrases were embedded; the rest came from the cache
    assert len(_EMBEDDINGS._vectors) - before <= len(service_phrases(_new_service()))
    # and without the entry, the same question does not find it
    without = route(real, "mistä saa oman kasvimaapalstan")
    assert NEW_ENTRY["id"] not in [s.id for s in without.services]


def test_a_clarifying_buttons_name_is_answered_with_that_service(real: Catalogue) -> None:
    routing = route(real, real.get("kela_taksi").name.fi)
    assert routing.decision is Decision.answer and [s.id for s in routing.services] == ["kela_taksi"]


def test_a_municipality_outside_the_area_drops_local_services(real: Catalogue) -> None:
    extended = _with(real, _new_service())
    routing = route(extended, "voiko kaupungilta vuokrata viljelypalstan", municipality="Oulu")
    assert NEW_ENTRY["id"] not in [m.service.id for m in routing.matches]


@pytest.mark.parametrize("text", ["qwxz vbnm", "haluan tilata pizzan", "kiitos", "moi"])
def test_no_service_question_gets_no_card(real: Catalogue, text: str) -> None:
    assert route(real, text).decision is not Decision.answer


@pytest.mark.parametrize(("text", "expected"), [
    ("mies kuoli, saako leski eläkettä", "kela_perhe_elake"),
    ("Hur får jag ett FPA-kort?", "kela_kortti"),
    ("how do I get a Kela card", "kela_kortti"),
    ("omakelsasa en näe päätöstä", "kela_omakela"),
])
def test_everyday_questions_in_three_languages_and_with_typos(
    real: Catalogue, text: str, expected: str
) -> None:
    routing = route(real, text)
    assert expected in [m.service.id for m in routing.matches[:3]]


def test_lexical_retrieval_works_without_the_encoder(real: Catalogue) -> None:
    index = ServiceIndex(real.services.values(), dense=False)
    assert not index.dense
    assert index.rank("kelataksi lääkäriin")[0].service.id == "kela_taksi"


def test_the_index_is_rebuilt_only_when_the_services_change(real: Catalogue) -> None:
    first = index_for(real)
    same_content = Catalogue(
        services=dict(real.services), crisis_contacts=real.crisis_contacts, county=real.county)
    assert index_for(same_content) is first
    assert index_for(_with(real, _new_service())) is not first
