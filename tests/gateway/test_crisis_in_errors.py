"""Crisis contacts never depend on a successful request: every error of the resident's chat carries them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.gateway.conftest import Conversations, build_app, make_settings

URL = "/webhooks/rest/webhook"


def _assert_crisis_contacts(body: dict) -> None:
    crisis = body["crisis"]
    phones = [c["phone"] for c in crisis["contacts"]]
    assert phones[0] == "112"
    assert len(phones) == 2 and phones[1] in crisis["text"]  # the 24/7 line, from the catalogue
    assert "112" in crisis["text"]


def test_refused_and_failed_chat_requests_still_give_112_and_the_crisis_line(tmp_path, database_url) -> None:
    settings = make_settings(tmp_path, database_url, rate_limit_per_conversation=1,
                             rasa_url="http://127.0.0.1:9")  # nothing listens there: Rasa is down
    with TestClient(build_app(settings)) as client:
        ids = Conversations(client)
        too_long = client.post(URL, json={"sender": ids["c1"], "message": "a" * 5000})
        assert too_long.status_code == 413
        _assert_crisis_contacts(too_long.json())

        unavailable = client.post(URL, json={"sender": ids["c2"], "message": "milloin neuvola on auki"})
        assert unavailable.status_code == 503
        _assert_crisis_contacts(unavailable.json())

        limited = client.post(URL, json={"sender": ids["c2"], "message": "toinen viesti"})
        assert limited.status_code == 429
        _assert_crisis_contacts(limited.json())

        bad = client.post(URL, json={"sender": ids["c3"]})
        assert bad.status_code == 422
        _assert_crisis_contacts(bad.json())

        swedish = client.post(URL, json={"sender": ids["c4"]}, headers={"Accept-Language": "sv-FI"})
        assert "ring 112" in swedish.json()["crisis"]["text"]


def test_worker_errors_carry_no_resident_notice(tmp_path, database_url) -> None:
    with TestClient(build_app(make_settings(tmp_path, database_url))) as client:
        assert "crisis" not in client.get("/api/handoffs").json()


def test_an_acute_message_that_is_refused_still_gets_its_crisis_card(tmp_path, database_url) -> None:
    settings = make_settings(tmp_path, database_url, rate_limit_per_conversation=1,
                             rasa_url="http://127.0.0.1:9")
    with TestClient(build_app(settings)) as client:
        ids = Conversations(client)
        client.post(URL, json={"sender": ids["r1"], "message": "milloin neuvola on auki"})
        limited = client.post(URL, json={"sender": ids["r1"], "message": "otin koko purkin unilääkkeitä"})
        assert limited.status_code == 429
        cards = limited.json()["crisis_cards"]
        assert cards[0]["custom"]["type"] == "crisis"
        assert cards[0]["custom"]["category"] == "overdose_poisoning"
        _assert_crisis_contacts(limited.json())

        crisis_and_more = "haluan tappaa itseni. " + "a" * 5000
        too_long = client.post(URL, json={"sender": ids["r2"], "message": crisis_and_more})
        assert too_long.status_code == 413
        assert too_long.json()["crisis_cards"][0]["custom"]["category"] == "suicide_self_harm"

        ordinary = client.post(URL, json={"sender": ids["r1"], "message": "missä on lähin apteekki"})
        assert ordinary.status_code == 429 and "crisis_cards" not in ordinary.json()

        # An id the gateway did not issue is refused, and an acute signal in the message still gets its card.
        made_up = client.post(URL, json={"sender": "42", "message": "haluan tappaa itseni"})
        assert made_up.status_code == 403
        assert made_up.json()["crisis_cards"][0]["custom"]["category"] == "suicide_self_harm"
        _assert_crisis_contacts(made_up.json())
