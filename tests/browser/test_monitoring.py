"""An officer closes a reporting period, sends its monitoring pack for a review meeting and
records the outcome, in a real browser; a lead may not close a period and a visitor is
sent to sign in. Every page visited is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import ReportingPeriod, ReviewMeeting
from tests.browser.axe import assert_accessible
from tests.factories import Role, UserFactory, member
from workstreams.models import Workstream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def test_an_officer_closes_a_period_sends_its_pack_and_records_the_outcome(
        live_server, signed_in, essex, tmp_path):
    officer = member(UserFactory(username="essex-officer", first_name="Sam",
                                 last_name="Okafor"), essex, Role.OFFICER)
    page = signed_in(officer)

    page.goto("/essex/monitoring/")
    assert_accessible(page)
    page.get_by_role("link", name="Close 2020-21 Q3", exact=True).click()
    page.wait_for_url("**/essex/monitoring/periods/2020-21-Q3/close/")
    assert_accessible(page)
    page.get_by_role("button", name="Close the period").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "2020-21 Q3 (October to December 2020) closed")
    assert ReportingPeriod.objects.get(plan=essex, start="2020-10-01").is_closed

    page.get_by_role("link", name="Add a review meeting").click()
    assert_accessible(page)
    page.get_by_label("DfE/NHS England quarterly review").check()
    page.get_by_label("Date of the meeting").fill("14/1/2021")
    page.get_by_label("Reporting period it reviews").select_option(
        label="2020-21 Q3 (October to December 2020)")
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "evidence is due by 30 December 2020")
    assert_accessible(page)

    page.get_by_role("button", name="Send the 2020-21 Q3 pack").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("kept exactly as sent")
    assert_accessible(page)
    meeting = ReviewMeeting.objects.get(plan=essex)
    with page.expect_download() as download:
        page.get_by_role("link", name="essex-monitoring-pack-2020-21-Q3.xlsx").click()
    saved = tmp_path / "sent.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes() == bytes(meeting.submissions.get().content)

    page.get_by_role("link", name="Record the outcome").click()
    assert_accessible(page)
    page.get_by_label("The advisers' feedback").fill("Good progress on joint commissioning.")
    page.get_by_label("Their letter (optional)").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome of")
    expect(page.locator("main")).to_contain_text("Good progress on joint commissioning.")
    assert_accessible(page)

    page.goto("/essex/plan/#review-meetings")
    expect(page.locator("#review-meetings").locator("..")).to_contain_text("30 Dec 2020")


def test_a_lead_may_not_close_a_period(live_server, signed_in, essex):
    lead = member(UserFactory(username="essex-jc-lead"), essex, Role.LEAD,
                  Workstream.objects.get(plan=essex, code="JC"))
    page = signed_in(lead)
    page.goto("/essex/monitoring/")
    assert_accessible(page)
    expect(page.get_by_role("link", name=re.compile(r"^Close "))).to_have_count(0)
    response = page.goto("/essex/monitoring/periods/2020-21-Q3/close/")
    assert response is not None and response.status == 403
    assert_accessible(page)


def test_a_visitor_is_sent_to_sign_in(live_server, new_page, essex):
    page = new_page()
    page.goto("/essex/monitoring/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/essex/monitoring/"))
    assert_accessible(page)
