"""The resident chat widget in Debian's Chromium, against the real running system.

Covers: service card and quick replies, history across a reload, start over, the crisis card first
for an acute message with a handoff notice, a keyboard-only conversation, error messages that keep
the typed text, the language switch, narrow screens and zoom, and an axe-core scan with zero violations.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WEBHOOK = "**/webhooks/rest/webhook"
LOAD_FAILURES = ("Failed to load resource", "net::ERR_FAILED")


# ------------------------------------------------------------------------------------------ helpers


def open_widget(page: Page) -> None:
    page.goto("/")
    launcher = page.locator("#vkw-launcher")
    expect(launcher).to_be_visible()
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    expect(page.locator("#vkw-panel")).to_be_visible()
    expect(page.locator("#vkw-input")).to_be_focused()


def send(page: Page, text: str) -> None:
    page.locator("#vkw-input").fill(text)
    page.locator("#vkw-input").press("Enter")
    wait_for_answer(page)


def wait_for_answer(page: Page) -> None:
    expect(page.locator("#vkw-log")).to_have_attribute("aria-busy", "false", timeout=90_000)
    expect(page.locator("#vkw-typing")).to_be_hidden()


def kinds_after_last_user_message(page: Page) -> list[str]:
    return page.evaluate(
        """() => {
            const kinds = [...document.querySelectorAll('#vkw-log .vkw-msg')].map(m => m.dataset.kind);
            return kinds.slice(kinds.lastIndexOf('user') + 1);
        }"""
    )


def conversation_id(page: Page) -> str:
    return page.evaluate("() => JSON.parse(localStorage.getItem('vkw-chat-v1')).id")


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(url="/test-assets/axe.min.js")
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary).slice(0, 5),
            }));
        }"""
    )


def assert_no_axe_violations(page: Page, where: str) -> None:
    violations = axe_violations(page)
    report = json.dumps(violations, indent=2, ensure_ascii=False)
    assert violations == [], f"axe-core violations on {where}:\n{report}"


# ------------------------------------------------------------------------------------------ tests


def test_demo_page_embeds_the_widget_under_a_strict_csp(page: Page) -> None:
    response = page.goto("/")
    assert response is not None and response.ok
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    expect(page.locator("h1")).to_have_text("Vantaan ja Keravan hyvinvointialue")
    expect(page.locator("script[src='/static/widget/widget.js']")).to_have_count(1)
    expect(page.locator("#vkw-launcher")).to_be_visible()
    # The widget's style sheet came from the same origin as the script and applies (no inline styles).
    expect(page.locator("#vkw-root")).to_have_css("position", "fixed")
    assert page.locator("[style]").count() == 0, "no style attributes anywhere (CSP style-src 'self')"


def test_intro_before_the_first_message(page: Page) -> None:
    open_widget(page)
    intro = page.locator("#vkw-intro")
    expect(intro).to_be_visible()
    expect(intro).to_contain_text("tekoälyavustaja")
    expect(intro).to_contain_text("diagnoos")
    expect(intro).to_contain_text("älä kirjoita henkilötunnusta tai muita henkilötietoja", ignore_case=True)
    expect(intro.locator("a[href='tel:112']")).to_be_visible()
    expect(page.locator("#vkw-panel")).to_have_attribute("lang", "fi")
    expect(page.locator("#vkw-log")).to_have_attribute("role", "log")
    expect(page.locator("#vkw-log")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_label("Kirjoita viestisi")).to_be_visible()


def test_service_question_quick_reply_reload_and_start_over(page: Page) -> None:
    open_widget(page)
    send(page, "mist mä voin hakee asumistukee")
    expect(page.locator("#vkw-input")).to_be_focused()
    expect(page.locator("#vkw-intro")).to_be_hidden()

    card = page.locator(".vkw-msg--service_card .vkw-card").first
    expect(card).to_be_visible()
    expect(card.locator(".vkw-card__title")).to_contain_text("asumistu", ignore_case=True)
    link = card.locator("a.vkw-card__link")
    if link.count():
        expect(link).to_have_attribute("target", "_blank")
        assert "noopener" in (link.get_attribute("rel") or "")
    for tel in card.locator("a[href^='tel:']").all():
        assert tel.get_attribute("href").startswith("tel:")

    quick = page.locator(".vkw-quick__button").first
    expect(quick).to_be_visible()
    title = quick.inner_text()
    quick.click()
    wait_for_answer(page)
    expect(page.locator(".vkw-msg--user").last).to_contain_text(title)
    assert kinds_after_last_user_message(page), "an answer to the quick reply"
    expect(page.locator("#vkw-input")).to_be_focused()

    before = page.locator("#vkw-log .vkw-msg").count()
    first_id = conversation_id(page)
    page.reload()
    expect(page.locator("#vkw-panel")).to_be_visible()
    expect(page.locator("#vkw-log .vkw-msg")).to_have_count(before)
    expect(page.locator(".vkw-msg--service_card").first).to_be_visible()
    expect(page.locator(".vkw-msg--user").last).to_contain_text(title)
    assert conversation_id(page) == first_id

    page.get_by_role("button", name="Aloita alusta").click()
    expect(page.locator("#vkw-log .vkw-msg")).to_have_count(0)
    expect(page.locator("#vkw-intro")).to_be_visible()
    assert conversation_id(page) != first_id
    page.reload()
    expect(page.locator("#vkw-log .vkw-msg")).to_have_count(0)


def test_acute_message_shows_the_crisis_card_first_and_a_handoff(page: Page) -> None:
    open_widget(page)
    send(page, "mä haluun tappaa itteni")
    kinds = kinds_after_last_user_message(page)
    assert kinds and kinds[0] == "crisis", kinds
    assert "handoff" in kinds, kinds

    crisis = page.locator(".vkw-msg--crisis .vkw-card--crisis").first
    expect(crisis).to_be_visible()
    expect(crisis).to_have_attribute("role", "alert")
    expect(crisis.locator("a[href='tel:112']").first).to_be_visible()
    assert crisis.locator("a[href^='tel:']").count() >= 1
    expect(page.locator(".vkw-msg--handoff .vkw-handoff").first).to_be_visible()
    assert_no_axe_violations(page, "the crisis card and handoff notice")


def test_personal_data_is_not_kept_in_the_browser(page: Page) -> None:
    open_widget(page)
    send(page, "mun numero on 040 123 4567 ja hetu 010190-123A")
    stored = page.evaluate("() => localStorage.getItem('vkw-chat-v1')")
    assert "123 4567" not in stored and "010190" not in stored
    assert "[puhelinnumero]" in stored and "[henkilötunnus]" in stored
    expect(page.locator("#vkw-log .vkw-msg--user").last).to_contain_text("[puhelinnumero]")


def test_whole_conversation_with_the_keyboard_only(page: Page) -> None:
    page.goto("/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "vkw-launcher":
            break
    else:
        pytest.fail("the launcher could not be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#vkw-panel")).to_be_visible()
    expect(page.locator("#vkw-input")).to_be_focused()

    page.keyboard.type("mist mä voin hakee asumistukee")
    page.keyboard.press("Enter")
    wait_for_answer(page)
    expect(page.locator(".vkw-msg--service_card").first).to_be_visible()
    expect(page.locator("#vkw-input")).to_be_focused()

    # The latest quick replies are just before the message field in the tab order.
    page.keyboard.press("Shift+Tab")
    focused_class = page.evaluate("() => document.activeElement.className")
    assert "vkw-quick__button" in focused_class, focused_class
    title = page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    wait_for_answer(page)
    expect(page.locator(".vkw-msg--user").last).to_contain_text(title)
    expect(page.locator("#vkw-input")).to_be_focused()

    page.keyboard.press("Escape")
    expect(page.locator("#vkw-panel")).to_be_hidden()
    expect(page.locator("#vkw-launcher")).to_be_focused()
    expect(page.locator("#vkw-launcher")).to_have_attribute("aria-expanded", "false")


def test_network_failure_keeps_the_text_and_retry_sends_it(page: Page, console) -> None:
    console.allowed = LOAD_FAILURES
    open_widget(page)
    page.route(WEBHOOK, lambda route: route.abort())
    page.locator("#vkw-input").fill("mist mä voin hakee asumistukee")
    page.locator("#vkw-input").press("Enter")
    error = page.locator("#vkw-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("yritä uudelleen", ignore_case=True)
    expect(page.locator("#vkw-input")).to_have_value("mist mä voin hakee asumistukee")
    expect(page.locator("#vkw-log .vkw-msg")).to_have_count(0)

    page.unroute(WEBHOOK)
    page.get_by_role("button", name="Yritä uudelleen").click()
    wait_for_answer(page)
    expect(error).to_be_hidden()
    expect(page.locator("#vkw-input")).to_have_value("")
    expect(page.locator(".vkw-msg--service_card").first).to_be_visible()


@pytest.mark.parametrize(
    ("status", "detail", "expected"),
    [
        (413, "message is longer than 2000 characters", "liian pitkä"),
        (429, "too many messages in this conversation; wait a minute", "Odota"),
        (422, [{"field": "message", "error": "message is empty"}], "ei voitu käsitellä"),
        (503, "The assistant is temporarily unavailable.", "ei ole juuri nyt käytettävissä"),
    ],
)
def test_gateway_errors_get_clear_finnish_messages(page: Page, console, status, detail, expected) -> None:
    console.allowed = LOAD_FAILURES
    open_widget(page)
    page.route(WEBHOOK, lambda route: route.fulfill(
        status=status, content_type="application/json", body=json.dumps({"detail": detail})))
    page.locator("#vkw-input").fill("hei")
    page.locator("#vkw-input").press("Enter")
    expect(page.locator("#vkw-error")).to_contain_text(expected)
    expect(page.locator("#vkw-error")).to_contain_text("112")  # no error without the emergency number
    expect(page.locator("#vkw-input")).to_have_value("hei")
    expect(page.locator("#vkw-input")).to_be_focused()
    page.get_by_role("button", name="Sulje ilmoitus").click()
    expect(page.locator("#vkw-error")).to_be_hidden()


def test_an_error_body_shows_the_crisis_line_it_carries(page: Page, console) -> None:
    console.allowed = LOAD_FAILURES
    open_widget(page)
    expect(page.locator(".vkw-header a[href='tel:112']")).to_be_visible()  # always in sight
    crisis = {"text": "Hätätilanteessa soita 112. Keskusteluapua saat ympäri vuorokauden:\nKriisilinja: 09 1",
              "contacts": [{"name": "Hätänumero 112", "phone": "112"},
                           {"name": "Kriisilinja", "phone": "09 1"}]}
    body = json.dumps({"detail": "slow down", "crisis": crisis})
    page.route(WEBHOOK, lambda route: route.fulfill(status=429, content_type="application/json", body=body))
    page.locator("#vkw-input").fill("en jaksa")
    page.locator("#vkw-input").press("Enter")
    expect(page.locator("#vkw-error")).to_contain_text("Kriisilinja: 09 1")


def test_a_refused_acute_message_shows_its_crisis_card(page: Page, console) -> None:
    console.allowed = LOAD_FAILURES
    open_widget(page)
    card = {"type": "crisis", "category": "overdose_poisoning",
            "contacts": [{"name": "Hätänumero 112", "phone": "112"},
                         {"name": "Myrkytystietokeskus", "phone": "0800 147 111"}]}
    body = json.dumps({"detail": "slow down", "crisis_cards": [{"text": "Soita heti", "custom": card}]})
    page.route(WEBHOOK, lambda route: route.fulfill(status=429, content_type="application/json", body=body))
    page.locator("#vkw-input").fill("otin koko purkin")
    page.locator("#vkw-input").press("Enter")
    expect(page.locator("#vkw-error")).to_contain_text("112")
    crisis = page.locator(".vkw-msg--crisis").first
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("Myrkytystietokeskus")
    expect(crisis.locator("a[href='tel:112']")).to_be_visible()


def test_the_direct_question_shows_its_contacts_and_answer_buttons(page: Page, console) -> None:
    open_widget(page)
    question = {"type": "risk_question", "category": "suicide_self_harm",
                "question": "Mietitkö itsesi vahingoittamista?\nJos olet vaarassa nyt, soita heti 112.",
                "contacts": [{"name": "Hätänumero 112", "phone": "112"},
                             {"name": "Kriisipuhelin", "phone": "09 2525 0111"}]}
    reply = [{"recipient_id": "x", "text": "Mietitkö itsesi vahingoittamista?", "custom": question,
              "buttons": [{"title": "Kyllä", "payload": "/affirm"}, {"title": "Ei", "payload": "/deny"}]}]
    page.route(WEBHOOK, lambda route: route.fulfill(status=200, content_type="application/json",
                                                    body=json.dumps(reply)))
    send(page, "olen taakka kaikille")
    card = page.locator(".vkw-msg--risk_question .vkw-card--question").first
    expect(card).to_be_visible()
    expect(card).to_have_attribute("role", "alert")
    expect(card.locator("a[href='tel:112']")).to_be_visible()
    expect(card.locator("a[href^='tel:09']")).to_be_visible()
    expect(page.get_by_role("button", name="Kyllä")).to_be_visible()
    expect(page.get_by_role("button", name="Ei", exact=True)).to_be_visible()
    assert_no_axe_violations(page, "the direct question")


def test_language_switch_sends_the_language(page: Page) -> None:
    open_widget(page)
    page.get_by_label("Kieli").select_option("sv")
    expect(page.locator("#vkw-panel")).to_have_attribute("lang", "sv")
    expect(page.locator("#vkw-intro")).to_contain_text("personbeteckning")
    page.locator("#vkw-input").fill("hej")
    with page.expect_request(WEBHOOK) as request_info:
        page.locator("#vkw-input").press("Enter")
    assert request_info.value.post_data_json["metadata"] == {"lang": "sv"}
    wait_for_answer(page)
    page.get_by_label("Språk").select_option("en")
    expect(page.locator("#vkw-panel")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Start over")).to_be_visible()


def test_axe_scan_of_the_widget_page_has_no_violations(page: Page) -> None:
    page.goto("/")
    assert_no_axe_violations(page, "the demo page with the widget closed")
    open_widget(page)
    assert_no_axe_violations(page, "the open widget with its intro")
    send(page, "mist mä voin hakee asumistukee")
    assert_no_axe_violations(page, "a conversation with a service card")


def test_axe_scan_of_the_inbox_login_page(page: Page, console) -> None:
    response = page.goto("/inbox/login")
    if response is None or response.status == 404:
        console.errors.clear()
        pytest.skip("the worker inbox has no /inbox/login page in this build")
    assert response.ok, response.status
    assert_no_axe_violations(page, "/inbox/login")


def test_axe_scan_of_the_inbox_queue_and_case_pages(page: Page, running_system) -> None:
    # A real case: an acute message through the widget, then a worker signs in and opens it.
    open_widget(page)
    send(page, "mä en jaksa enää, haluun tappaa itteni")
    running_system.create_worker("axe-worker", "axe-salasana-1234")
    page.goto("/inbox/login")
    page.locator("#username").fill("axe-worker")
    page.locator("#password").fill("axe-salasana-1234")
    page.get_by_role("button", name="Kirjaudu").click()
    expect(page).to_have_url(re.compile(r"/inbox/?(\?.*)?$"))
    assert_no_axe_violations(page, "the inbox queue")
    page.locator("main a[href*='/inbox/cases/']").first.click()
    expect(page.get_by_role("button", name="Otan kopin!")).to_be_visible()
    assert_no_axe_violations(page, "a case page")
    page.get_by_role("button", name="Otan kopin!").click()
    assert_no_axe_violations(page, "a claimed case page")


@pytest.mark.parametrize(("width", "height"), [(320, 640), (1280, 900)])
def test_screenshots_and_layout_at_narrow_and_wide_screens(
    browser, base_url: str, console, screenshots: Path, width: int, height: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=base_url, locale="fi-FI")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.on("console", lambda msg: console.errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto("/")
        page.screenshot(path=str(screenshots / f"widget-closed-{width}.png"), full_page=True)
        open_widget(page)
        send(page, "mist mä voin hakee asumistukee")
        expect(page.locator(".vkw-msg--service_card").first).to_be_visible()
        page.screenshot(path=str(screenshots / f"widget-open-{width}.png"))
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "no sideways scrolling"
        for selector in ("#vkw-panel", "#vkw-input", ".vkw-send"):
            box = page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, selector
        assert console.errors == []
    finally:
        context.close()


def test_200_percent_zoom(browser, base_url: str, screenshots: Path) -> None:
    # 1280 x 720 at 200 % zoom is a 640 x 360 CSS-pixel viewport.
    context = browser.new_context(
        viewport={"width": 640, "height": 360}, device_scale_factor=2, base_url=base_url, locale="fi-FI")
    page = context.new_page()
    try:
        open_widget(page)
        # The message field is in view when the panel opens; every other control can be scrolled to.
        expect(page.locator("#vkw-input")).to_be_in_viewport()
        expect(page.locator(".vkw-send")).to_be_in_viewport()
        page.screenshot(path=str(screenshots / "widget-open-zoom200.png"))
        controls = (".vkw-close", "#vkw-lang", ".vkw-restart", "#vkw-intro a[href='tel:112']",
                    ".vkw-footnote")
        for selector in controls:
            page.locator(selector).scroll_into_view_if_needed()
            expect(page.locator(selector)).to_be_in_viewport()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 640
    finally:
        context.close()


def test_live_chat_between_the_widget_and_the_inbox(
    browser, base_url: str, page: Page, running_system, screenshots: Path
) -> None:
    """A resident chooses "chat now"; a worker on duty claims the case in the inbox and both see each
    other's messages appear without reloading; the resident ends the chat."""
    running_system.create_worker("chat-worker", "chat-salasana-1234")
    token = running_system.worker_token("chat-worker", "chat-salasana-1234")
    running_system.set_duty(token, True)
    worker_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    worker_context.set_default_timeout(30_000)
    try:
        # The worker on duty watches the queue; it tells when a resident starts waiting, without a reload.
        worker = worker_context.new_page()
        worker.goto("/inbox/login")
        worker.locator("#username").fill("chat-worker")
        worker.locator("#password").fill("chat-salasana-1234")
        worker.get_by_role("button", name="Kirjaudu").click()
        expect(worker.get_by_role("button", name="Lopeta chat-päivystys")).to_be_visible()

        open_widget(page)
        send(page, "haluun puhua oikean ihmisen kanssa")
        chat_button = page.get_by_role("button", name="Keskustelen nyt ammattilaisen kanssa tässä")
        expect(chat_button).to_be_visible()
        chat_button.click()
        wait_for_answer(page)
        live_bar = page.locator("#vkw-live")
        expect(live_bar).to_be_visible()
        expect(live_bar).to_contain_text("Odotetaan ammattilaista")
        assert_no_axe_violations(page, "the widget waiting for a worker")

        expect(worker.locator("#waiting-chats")).to_contain_text("odottaa chatissa", timeout=25_000)
        expect(worker).to_have_title(re.compile(r"^\(\d+\) "))
        assert_no_axe_violations(worker, "the queue with a resident waiting in a chat")
        conversation = conversation_id(page)
        cases = httpx.get(
            f"{base_url}/api/handoffs",
            params={"conversation_id": conversation},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        worker.goto(f"/inbox/cases/{cases[0]['id']}")
        expect(worker.get_by_text(conversation)).to_be_visible()
        worker.get_by_role("button", name="Otan kopin!").click()

        expect(live_bar).to_contain_text("Keskustelet nyt ammattilaisen kanssa", timeout=15_000)
        expect(page.locator(".vkw-msg--notice").last).to_contain_text("liittyi")
        worker.get_by_label("Viesti asukkaalle").fill("Hei, olen sosiaaliohjaaja. Kerro lisää.")
        worker.get_by_role("button", name="Lähetä viesti").click()
        expect(page.locator(".vkw-msg--worker").last).to_contain_text("Kerro lisää.", timeout=15_000)
        expect(page.locator(".vkw-msg--worker").last).to_contain_text("Ammattilainen:")
        assert_no_axe_violations(page, "the widget in a live chat")

        # The resident's reply appears on the worker's page by itself (polling, no reload).
        page.locator("#vkw-input").fill("kiitos, mulla on vuokrat rästissä")
        page.locator("#vkw-input").press("Enter")
        wait_for_answer(page)
        expect(worker.locator("#transcript")).to_contain_text("vuokrat rästissä", timeout=15_000)
        assert_no_axe_violations(worker, "the inbox case page in a live chat")
        page.screenshot(path=str(screenshots / "widget-live-chat.png"))
        worker.screenshot(path=str(screenshots / "inbox-live-chat.png"), full_page=True)

        # A reload keeps the chat; ending it tells both sides.
        page.reload()
        expect(page.locator(".vkw-msg--worker").last).to_contain_text("Kerro lisää.")
        expect(live_bar).to_be_visible()
        page.get_by_role("button", name="Lopeta keskustelu ammattilaisen kanssa").click()
        expect(page.locator(".vkw-msg--notice").last).to_contain_text("päättyi")
        expect(live_bar).to_be_hidden()
        worker.reload()
        expect(worker.get_by_text("Chat päättynyt")).to_be_visible()
    finally:
        running_system.set_duty(token, False)
        worker_context.close()
