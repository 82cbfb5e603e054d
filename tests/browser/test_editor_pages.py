"""The catalogue editor in Debian's Chromium against the real running system (its own copy of the catalogue):
a changed phone number reaches the widget's answer within seconds, shows in the history and is undone; an
error sits by its field; two editors on one entry get the conflict view; a scheduled change goes live on
time; axe-core finds no violations on any editor page."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.test_widget import assert_no_axe_violations, open_widget, send

ENTRY = "kela_yleinen_asumistuki"
LIVE_PHONE = "020 692 201"
TEST_PHONE = "020 692 209"  # test-only, in the running system's temporary copy of the catalogue; undone below
PASSWORD = "toimittaja-salasana-1234"


def _sign_in(page: Page, running_system, username: str) -> None:  # type: ignore[no-untyped-def]
    running_system.create_worker(username, PASSWORD, role="editor")
    page.goto("/editor/login")
    assert_no_axe_violations(page, "the editor's sign-in page")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu").click()
    expect(page).to_have_url(re.compile(r"/editor/?(\?.*)?$"))


def _phone_input(page: Page, phone: str):  # type: ignore[no-untyped-def]
    return page.locator(f"input[name$='.phone'][value='{phone}']").first


def _widget_cards(page: Page, question: str) -> str:
    """The text of every service card in the conversation so far (all asked after the change)."""
    send(page, question)
    expect(page.locator(".vkw-msg--service_card .vkw-card").first).to_be_visible()
    return "\n".join(page.locator(".vkw-msg--service_card .vkw-card").all_inner_texts())


def test_change_a_phone_number_see_it_in_the_widget_and_undo_it(page: Page, context, running_system) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, running_system, "toimittaja-a")
    assert_no_axe_violations(page, "the editor's entry list")
    page.goto(f"/editor/entries/{ENTRY}")
    assert_no_axe_violations(page, "the entry form")
    _phone_input(page, LIVE_PHONE).fill(TEST_PHONE)
    page.locator("#_minor").check()
    page.locator("#_note").fill("numero vaihtui")
    page.get_by_role("button", name="Julkaise", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Muutos julkaistu")
    published = time.monotonic()

    widget = context.new_page()
    open_widget(widget)
    text = _widget_cards(widget, "mist mä voin hakee asumistukee")
    while TEST_PHONE not in text and time.monotonic() - published < 10:
        time.sleep(1)
        text = _widget_cards(widget, "miten haen yleistä asumistukea")
    assert TEST_PHONE in text, "the widget's answer shows the published number within seconds"

    page.goto(f"/editor/entries/{ENTRY}/history")
    expect(page.locator("main")).to_contain_text(TEST_PHONE)
    expect(page.locator("main")).to_contain_text("toimittaja-a")
    assert_no_axe_violations(page, "the history page")
    page.get_by_role("button", name=re.compile("Peru tämä muutos")).first.click()
    expect(page.get_by_role("status").first).to_contain_text("Muutos peruttu")
    page.goto(f"/editor/entries/{ENTRY}")
    expect(_phone_input(page, LIVE_PHONE)).to_be_visible()


def test_a_wrong_phone_number_is_shown_by_its_field(page: Page, console, running_system) -> None:  # type: ignore[no-untyped-def]
    console.allowed = ("status of 422",)  # the form comes back with 422 Unprocessable Entity, as it should
    _sign_in(page, running_system, "toimittaja-b")
    page.goto(f"/editor/entries/{ENTRY}")
    field = _phone_input(page, LIVE_PHONE)
    name = field.get_attribute("name")
    field.fill("020 PUHELIN")
    page.get_by_role("button", name="Julkaise", exact=True).click()
    error = page.locator(f"[id='error-{name}']")
    expect(error).to_be_visible()
    expect(page.locator(f"[name='{name}']")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "the entry form with an error")
    page.get_by_role("button", name="Esikatsele").click()  # the preview refuses the same error
    expect(page.locator(f"[id='error-{name}']")).to_be_visible()


def test_two_editors_on_one_entry_get_the_conflict_view(browser, base_url: str, running_system) -> None:  # type: ignore[no-untyped-def]
    first, second = (browser.new_context(base_url=base_url, locale="fi-FI") for _ in range(2))
    try:
        pages = [first.new_page(), second.new_page()]
        for page, name in zip(pages, ("toimittaja-c", "toimittaja-d"), strict=True):
            _sign_in(page, running_system, name)
            page.goto(f"/editor/entries/{ENTRY}")
        pages[0].locator("[name='summary.fi']").fill("Ensimmäisen toimittajan teksti.")
        pages[0].get_by_role("button", name="Julkaise", exact=True).click()
        expect(pages[0].get_by_role("status").first).to_contain_text("Muutos julkaistu")
        pages[1].locator("[name='summary.fi']").fill("Toisen toimittajan teksti.")
        pages[1].get_by_role("button", name="Julkaise", exact=True).click()
        expect(pages[1].locator("h1")).to_contain_text("Joku muu muutti palvelua")
        table = pages[1].locator("table.conflict")
        expect(table).to_contain_text("Toisen toimittajan teksti.")
        expect(table).to_contain_text("Ensimmäisen toimittajan teksti.")
        assert_no_axe_violations(pages[1], "the conflict view")
        pages[1].get_by_role("button", name="Jatka omasta versiostani").click()
        expect(pages[1].locator("[name='summary.fi']")).to_have_value("Toisen toimittajan teksti.")
        pages[1].get_by_role("button", name="Julkaise", exact=True).click()
        expect(pages[1].get_by_role("status").first).to_contain_text("Muutos julkaistu")
    finally:
        first.close()
        second.close()


def test_a_scheduled_change_goes_live_on_time(page: Page, running_system) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, running_system, "toimittaja-e")
    page.goto(f"/editor/entries/{ENTRY}")
    page.locator("[name='summary.fi']").fill("Ajastettu uudistus alkaa.")
    moment = datetime.now(ZoneInfo("Europe/Helsinki")) + timedelta(seconds=8)
    page.locator("#_publish_at").fill(moment.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Tallenna luonnoksena").click()
    expect(page.get_by_role("status").first).to_contain_text("ajastettu")
    page.goto(f"/editor/entries/{ENTRY}")
    expect(page.locator("[name='summary.fi']")).not_to_have_value(
        "Ajastettu uudistus alkaa."
    )  # still a draft
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        page.goto(f"/editor/entries/{ENTRY}")
        if page.locator("[name='summary.fi']").input_value() == "Ajastettu uudistus alkaa.":
            break
        time.sleep(2)
    expect(page.locator("[name='summary.fi']")).to_have_value("Ajastettu uudistus alkaa.")
    page.goto("/editor/changes")
    assert_no_axe_violations(page, "the list of recent changes")
    page.goto("/editor/report")
    assert_no_axe_violations(page, "the content report")
    page.goto("/editor/gaps")
    assert_no_axe_violations(page, "the gaps report")
    page.goto("/editor/import")
    assert_no_axe_violations(page, "the PTV import page")
    page.goto(f"/editor/entries/{ENTRY}/history")
    assert_no_axe_violations(page, "the history after a scheduled change")
    page.goto("/editor/entries/new?example=mist%C3%A4+saa+kasvimaapalstan")
    expect(page.locator("[name='example_questions.fi']")).to_have_value("mistä saa kasvimaapalstan")
    assert_no_axe_violations(page, "the new-entry form")
