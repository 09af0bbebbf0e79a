import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_board_member_signs_in_sees_the_dashboard_and_signs_out(new_page, board_member, jc, ehc):
    page = new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username").fill(board_member.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Their only plan: the plans list sends them straight to its dashboard.
    expect(page).to_have_url(re.compile(r"/test-area/$"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_shows_the_error_summary(new_page, board_member):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(board_member.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)


def test_signed_in_fixture_opens_a_signed_in_page(signed_in, officer):
    page = signed_in(officer)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
