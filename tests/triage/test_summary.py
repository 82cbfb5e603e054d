from __future__ import annotations

from triage.screening import screen_conversation
from triage.segment import SelfAssessment, suggest_segment
from triage.summary import MAX_CHARS, build_triage_summary

HEADINGS = ["TILANNE", "TAUSTA", "ARVIO", "TOIMENPIDESUOSITUS"]


def _summary(messages: list[str], **overrides: object) -> str:
    assessment = screen_conversation(messages)
    kwargs: dict = {
        "resident_messages": messages,
        "assessment": assessment,
        "segment": suggest_segment(assessment, SelfAssessment()),
        "consent": True,
        "contact": {"method": "callback", "phone": "0401234567"},
        "advised": ["MIELI Kriisipuhelin"],
        "municipality": "Kerava",
    }
    kwargs.update(overrides)
    return build_triage_summary(**kwargs)


def test_headings_in_order() -> None:
    text = _summary(["mä en jaksa enää, haluun tappaa itteni"])
    lines = text.splitlines()
    positions = [lines.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)


def test_acute_content() -> None:
    text = _summary(["mä en jaksa enää, haluun tappaa itteni", "mun nimi on [nimi], asun yksin"])
    assert "Anonyymi" in text and "soittopyyntö" in text and "Kerava" in text
    assert "haluun tappaa itteni" in text  # quote in the resident's own words
    assert "[nimi]" in text  # redaction kept
    assert "0401234567" not in text  # the call-back number stays out of the summary
    assert "itsetuhoisuus (akuutti)" in text
    assert "Kiireellisyys: välitön (acute)" in text
    assert "huolenpitoasiakkuus" in text and "päättää" in text
    assert "HETI" in text
    assert "MIELI Kriisipuhelin" in text
    assert "asuu yksin" in text


def test_urgent_and_open_questions() -> None:
    text = _summary(["vuokranantaja uhkaa häädöllä ensi kuussa"], advised=[], consent=True, municipality=None)
    assert "Kiireellisyys: kiireellinen, sama päivä (urgent)" in text
    assert "samana päivänä" in text
    assert "kunta: ei tiedossa" in text
    assert "ei ohjauksia" in text
    assert "arjessa pärjääminen" in text  # open question


def test_no_signals() -> None:
    text = _summary(["miten haen asumistukea"], advised=[])
    assert "Ei riskisignaaleja" in text and "Kiireellisyys: tavallinen (normal)" in text


def test_acute_without_consent_says_why_it_was_passed_on() -> None:
    text = _summary(["mä haluun kuolla"], consent=False, contact={"method": "unknown"})
    assert "ilman suostumusta" in text


def test_short_and_deterministic() -> None:
    long_messages = ["tosi pitkä viesti " * 40, "en jaksa enää mitään " * 20, "häätö tulossa " * 10,
                     "ei oo rahaa ruokaan", "mies lyö mua", "juon liikaa joka päivä"]
    first = _summary(long_messages)
    assert len(first) <= MAX_CHARS
    assert first == _summary(long_messages)
