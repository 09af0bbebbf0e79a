"""Headless Chromium against pytest-django's live server: `new_page()` for a visitor,
`signed_in(user)` for a page signed in through the real sign-in form."""

import os
import re

# Playwright's sync API keeps an event loop running in this thread; Django's ORM would
# otherwise refuse to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from tests.browser.axe import assert_accessible  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "correct horse battery"  # set by tests.factories.UserFactory
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}: "
                    "apt-get install chromium chromium-driver", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh context (own cookies) whose relative URLs go to the live server;
    keyword arguments are Playwright's context options (viewport, device_scale_factor).

    The app's Content-Security-Policy stays enforced, so a page whose own scripts or styles
    break it fails here as it would for a user."""
    contexts = []
    csp_violations: list[str] = []

    def record(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_violations.append(f"{message.location.get('url', '')}: {message.text}")

    def open_page(**options) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                      timezone_id="Europe/London", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", record)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not csp_violations, "pages broke the Content-Security-Policy:\n" + "\n".join(
        csp_violations)


@pytest.fixture
def signed_in(new_page: Callable[..., Page]) -> Callable[..., Page]:
    """`signed_in(user)`: a page signed in as `user` through the sign-in form; the sign-in page
    and the page it leads to are checked with axe-core, as every page a test visits is.
    Keyword arguments are context options, as for `new_page`."""

    def sign_in(user: User, **options) -> Page:
        page = new_page(**options)
        page.goto("/accounts/login/")
        assert_accessible(page)
        page.fill("input[name='username']", user.username)
        page.fill("input[name='password']", PASSWORD)
        page.locator("form:has(input[name='password'])").locator(
            "button, input[type='submit']").first.click()
        page.wait_for_load_state()
        expect(page, f"sign-in as {user.username} failed").not_to_have_url(
            re.compile(r"/accounts/login/"))
        assert_accessible(page)
        return page

    return sign_in


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
