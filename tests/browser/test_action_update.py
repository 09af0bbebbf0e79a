"""A workstream lead reports progress on their own action in a real browser; a lead of
another workstream cannot. Every page visited is checked with axe-core."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from actions import services
from actions.models import Action, Rag
from plans.models import ReportingPeriod
from tests.browser.axe import assert_accessible
from tests.factories import Role, UserFactory, member
from workstreams.models import Workstream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def essex_leads(essex):
    jc_lead = member(UserFactory(username="essex-jc-lead", first_name="Priya", last_name="Shah"),
                     essex, Role.LEAD, Workstream.objects.get(plan=essex, code="JC"))
    ehc_lead = member(UserFactory(username="essex-ehc-lead"), essex, Role.LEAD,
                      Workstream.objects.get(plan=essex, code="EHC"))
    return jc_lead, ehc_lead


@pytest.fixture
def jc10_amber(essex, essex_leads):
    jc_lead, _ = essex_leads
    action = Action.objects.get(plan=essex, ref="JC10")
    day = dt.date(2021, 1, 15)
    services.progress_update_create(
        action=action, user=jc_lead, expected_version=action.version, rag=Rag.AMBER,
        narrative="Pathway draft behind schedule.",
        period=ReportingPeriod.objects.get(plan=essex, label="2021-Q1"), date=day)
    return action


def test_jc_lead_moves_jc10_from_amber_to_green_and_the_audit_trail_shows_it(
        live_server, signed_in, essex_leads, jc10_amber):
    jc_lead, _ = essex_leads
    page = signed_in(jc_lead)

    page.goto(f"{live_server.url}/essex/actions/JC10/")
    expect(page.locator("h1")).to_contain_text("JC10")
    assert_accessible(page)

    page.get_by_role("link", name="Add a progress update").click()
    page.wait_for_url("**/essex/actions/JC10/updates/new/")
    assert_accessible(page)
    page.get_by_label("Green: on track").check()
    page.get_by_label("Narrative").fill("Joint pathway agreed by both CCGs and the council.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before saving")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Amber to Green")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and save").click()

    page.wait_for_url(re.compile(r"/essex/actions/JC10/(#progress)?$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Progress update added to JC10")
    page.get_by_role("tab", name="Progress").click()
    progress = page.locator("#progress")
    expect(progress).to_contain_text("Joint pathway agreed by both CCGs and the council.")
    expect(progress.locator("tbody tr").first).to_contain_text("Green")
    expect(page.locator("#overview")).to_contain_text("on track")
    assert_accessible(page)

    page.goto(f"{live_server.url}/essex/audit/")
    main = page.locator("main")
    expect(main).to_contain_text("JC10")
    expect(main).to_contain_text("Amber")
    expect(main).to_contain_text("Green")
    assert_accessible(page)

    jc10_amber.refresh_from_db()
    assert jc10_amber.rag == Rag.GREEN


def test_ehc_lead_cannot_edit_jc10(live_server, signed_in, essex_leads, jc10_amber):
    _, ehc_lead = essex_leads
    page = signed_in(ehc_lead)

    page.goto(f"{live_server.url}/essex/actions/JC10/")
    expect(page.locator("h1")).to_contain_text("JC10")
    expect(page.get_by_role("link", name="Add a progress update")).to_have_count(0)
    expect(page.get_by_text("Mark as done")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/essex/actions/JC10/updates/new/")
    assert response.status == 403
    assert_accessible(page)


def test_jc_lead_checks_a_worsening_to_red_and_changes_an_answer(
        live_server, signed_in, essex_leads, jc10_amber):
    jc_lead, _ = essex_leads
    page = signed_in(jc_lead)
    page.goto(f"{live_server.url}/essex/actions/JC10/updates/new/")

    page.get_by_label("Red: significant risk or not started").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a narrative")
    assert_accessible(page)

    page.get_by_label("Narrative").fill("The provider withdrew from the pathway.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before saving")
    expect(page.locator("main")).to_contain_text("from Amber to Red")
    assert_accessible(page)

    page.get_by_role("link", name="Change narrative").click()
    expect(page.get_by_label("Narrative")).to_have_value("The provider withdrew from the pathway.")
    expect(page.get_by_label("Red: significant risk or not started")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Narrative").fill("The provider withdrew; a new one starts in May.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("a new one starts in May")
    page.get_by_role("button", name="Confirm and save").click()

    page.wait_for_url(re.compile(r"/essex/actions/JC10/(#progress)?$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Progress update added to JC10")
    assert_accessible(page)
    jc10_amber.refresh_from_db()
    assert jc10_amber.rag == Rag.RED
    assert jc10_amber.progress_updates.first().narrative == (
        "The provider withdrew; a new one starts in May.")


def test_jc_lead_moves_the_due_date_and_adds_evidence(live_server, signed_in, essex_leads,
                                                      jc10_amber):
    jc_lead, _ = essex_leads
    page = signed_in(jc_lead)
    page.goto(f"{live_server.url}/essex/actions/JC10/due-date/")
    assert_accessible(page)

    page.get_by_label("New due date").fill("30/9/2022")
    page.get_by_label("Reason for moving the due date").fill("Contract start moved.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before moving the due date")
    assert_accessible(page)
    page.get_by_role("button", name="Move the due date").click()
    page.wait_for_url(re.compile(r"/essex/actions/JC10/$"))
    expect(page.locator("#overview")).to_contain_text("30 Sep 2022")
    assert_accessible(page)

    page.goto(f"{live_server.url}/essex/actions/JC10/evidence/new/")
    expect(page.locator("h1")).to_contain_text("evidence")
    assert_accessible(page)
    page.get_by_label("Title").fill("Fake report")
    page.get_by_label("Or upload a file").set_input_files(files=[{
        "name": "report.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}])
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not a real PDF file")
    assert_accessible(page)
