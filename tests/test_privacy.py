from __future__ import annotations

import pytest

from bot.privacy import EMAIL_PLACEHOLDER, HETU_PLACEHOLDER, NAME_PLACEHOLDER, PHONE_PLACEHOLDER, redact


@pytest.mark.parametrize(
    "text, placeholder, secret",
    [
        ("mun hetu on 010190-123A", HETU_PLACEHOLDER, "010190-123A"),
        ("henkilötunnus 131052+308T", HETU_PLACEHOLDER, "131052+308T"),
        ("syntynyt 2000-luvulla: 050505A1234", HETU_PLACEHOLDER, "050505A1234"),
        ("soita 040 123 4567", PHONE_PLACEHOLDER, "040 123 4567"),
        ("numero +358 50 765 4321 kiitos", PHONE_PLACEHOLDER, "+358 50 765 4321"),
        ("puh. 09-123 4567", PHONE_PLACEHOLDER, "09-123 4567"),
        ("laita viestiä matti.meikalainen@example.fi", EMAIL_PLACEHOLDER, "matti.meikalainen@example.fi"),
        ("nimeni on Matti Virtanen", NAME_PLACEHOLDER, "Matti Virtanen"),
        ("mun nimi on liisa", NAME_PLACEHOLDER, "liisa"),
        ("olen Pekka Nieminen ja asun Keravalla", NAME_PLACEHOLDER, "Pekka Nieminen"),
        # variants residents type
        ("hetu 131052 308T", HETU_PLACEHOLDER, "131052 308T"),
        ("tunnus 131052–308T", HETU_PLACEHOLDER, "131052–308T"),
        ("väärä tarkiste 131052 308X", HETU_PLACEHOLDER, "308X"),
        ("soita (040) 765 4321", PHONE_PLACEHOLDER, "765 4321"),
        ("numero 040.765.4321", PHONE_PLACEHOLDER, "040.765.4321"),
        ("ruotsalainen numero +46 70 123 45 67", PHONE_PLACEHOLDER, "123 45 67"),
        ("matti (at) gmail (dot) com", EMAIL_PLACEHOLDER, "gmail"),
        ("liisa[at]posti.fi", EMAIL_PLACEHOLDER, "liisa"),
        ("pekka at kolumbus piste fi", EMAIL_PLACEHOLDER, "kolumbus"),
        ("Terveisin Matti Korpijaakko", NAME_PLACEHOLDER, "Korpijaakko"),
        ("äitini Liisa Korhonen ei pärjää", NAME_PLACEHOLDER, "Korhonen"),
    ],
)
def test_identifiers_are_replaced(text: str, placeholder: str, secret: str) -> None:
    result = redact(text)
    assert placeholder in result.text
    assert secret not in result.text
    assert result.changed


@pytest.mark.parametrize(
    "text",
    [
        "soitin 112 mutta ne käski soittaa 116117",
        "maksoin vuokraa 850 euroa vuonna 2025",
        "olen Vantaalta ja tarviin lääkäriajan",
        "asumistuki on 70 % kohtuullisista asumismenoista",
        "Anna Kela tietää, soitin 116 117 ja 116 111",
        "muutin Vantaalta Keravalle 12.3.2025, maksoin 1500 euroa",
        "asiakasnumero 993456 789A",  # no date, no valid check character: not a henkilötunnus
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert not result.changed


def test_phone_numbers_are_returned_for_callback_only() -> None:
    result = redact("soittakaa numeroon 040 123 4567 tai 050-7654321")
    assert result.phones == ["0401234567", "0507654321"]
    assert result.text.count(PHONE_PLACEHOLDER) == 2
