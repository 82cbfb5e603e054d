import pytest

from finnish_nlu.entity_normaliser import find_municipality, normalise_municipality, normalise_person
from finnish_nlu.voikko_analyser import voikko_available

needs_voikko = pytest.mark.skipif(
    not voikko_available(), reason="Voikko (Debian libvoikko1 + voikko-fi) missing"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Vantaa", "Vantaa"),
        ("vantaalla", "Vantaa"),
        ("Keravalta", "Kerava"),
        ("keravan", "Kerava"),
        ("Järvenpäähän", "Järvenpää"),
        ("Helsingissä", "Helsinki"),
    ],
)
def test_municipality_base_form(value, expected):
    assert normalise_municipality(value) == expected


@needs_voikko
def test_municipality_outside_the_list_uses_voikko_place_names():
    assert normalise_municipality("Kuhmoisissa") == "Kuhmoinen"


def test_not_a_municipality():
    assert normalise_municipality("kotona") is None
    assert normalise_municipality("  ") is None


@needs_voikko
def test_finds_a_municipality_the_nlu_missed():
    assert find_municipality("koska terveysasema on auki oulussa")[0] == "Oulu"
    assert find_municipality("mist saa apua") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mun äidille", "parent"),
        ("lapselle", "child"),
        ("mummolle", "grandparent"),
        ("vaimolle", "partner"),
        ("itelle", "self"),
        ("child", "child"),
        ("naapuri", None),
    ],
)
def test_person_roles(value, expected):
    assert normalise_person(value) == expected
