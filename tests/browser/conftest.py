"""Playwright fixtures for the browser tests: Debian's Chromium (never a downloaded browser).

The tests run against the real running system (``running_system`` from tests/conftest.py). To run
them against a gateway that is already up, set ``BROWSER_TESTS_BASE_URL`` (for example
``http://127.0.0.1:8000``; it must serve ``/test-assets/axe.min.js``, i.e. run with ``SERVE_TEST_ASSETS=1``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian Chromium not found at {CHROMIUM}: run `WITH_BROWSER=1 scripts/setup.sh`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the pinned dependencies
        pytest.skip("the Python package playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    override = os.environ.get("BROWSER_TESTS_BASE_URL")
    if override:
        return override.rstrip("/")
    return request.getfixturevalue("running_system").base_url


# Reports every Content-Security-Policy violation as a console error, which the page fixture collects.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


class ConsoleWatch:
    """Console errors, page errors and CSP violations seen by a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: tuple[str, ...] = ()

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def context(browser, base_url: str) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI", base_url=base_url)
    ctx.set_default_timeout(60_000)  # the first Rasa answers can be slow
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, console: ConsoleWatch) -> Iterator[object]:
    pg = context.new_page()
    pg.add_init_script(CSP_REPORTER)
    pg.on("console", lambda msg: console.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
    yield pg
    assert console.unexpected() == [], "console errors or CSP violations in the page"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
