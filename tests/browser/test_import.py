"""An officer brings a quarter's returns into the plan in a real browser: uploads the
workbook, reviews the preview, confirms, and finds the new progress updates in each
action's history. Every page is checked with axe-core, and the preview reflows at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_reflow import OVERFLOW_JS
from tests.factories import Role, UserFactory, member
from tests.imports.workbooks import write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_imports_returns_and_sees_them_in_the_actions_history(
        live_server, signed_in, essex, tmp_path):
    officer = member(UserFactory(username="essex-officer", first_name="Olu",
                                 last_name="Officer"), essex, Role.OFFICER)
    returns = write(tmp_path / "essex-returns-2022-q1.xlsx", {
        "Key": [["RAG key"], ["Blue", "Completed"]],
        "Returns": [["Essex WSOA: quarterly returns"], ["Quarter 1, 2022"], [],
                    ["Action no.", "RAG rating", "Commentary", "Date of update"],
                    ["JC10", "G", "Joint pathway agreed by both CCGs and the council.",
                     "15/03/2022"],
                    ["EHC3", "Amber", "Audit of plans slipped to April.", "16/03/2022"]]})
    page = signed_in(officer, viewport={"width": 320, "height": 800})

    page.goto("/essex/actions/")
    page.get_by_role("link", name="Import returns from a workbook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import returns from a workbook")
    assert_accessible(page)
    page.get_by_label("Returns workbook (.xlsx)").set_input_files(str(returns))
    page.get_by_role("button", name="Upload and check").click()

    page.wait_for_url("**/essex/import/check/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the changes before importing")
    preview = page.locator("main")
    expect(preview).to_contain_text("4 changes to 2 actions")
    expect(preview).to_contain_text("Joint pathway agreed by both CCGs and the council.")
    expect(page.get_by_role("table", name=re.compile(r"^JC10: "))).to_contain_text("Green")
    assert_accessible(page)
    measured = page.evaluate(OVERFLOW_JS)
    assert measured["scrollWidth"] <= measured["clientWidth"], measured["wide"]

    page.get_by_role("button", name="Import these changes").click()
    page.wait_for_url("**/essex/actions/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Imported essex-returns-2022-q1.xlsx: 4 changes to 2 actions")
    assert_accessible(page)

    # At 320 px the tabs are sections of one page.
    page.goto("/essex/actions/JC10/#history")
    history = page.locator("#history")
    expect(history).to_contain_text("Joint pathway agreed by both CCGs and the council.")
    expect(history).to_contain_text("Green")
    expect(history).to_contain_text("Import of essex-returns-2022-q1.xlsx")
    assert_accessible(page)
