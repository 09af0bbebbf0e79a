"""A workstream lead's board cycle in a real browser: they sign in to Your actions, write
the commentary on their exception for the board, and give an update from the same page.
Every page is checked with axe-core and at 320 px."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Rag
from dashboard.services import board_meeting_schedule
from tests.browser.axe import assert_accessible
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    WorkstreamFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"viewport": {"width": 320, "height": 800}}


def _fits(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, "
                          "document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways at 320 px: {width}"


def test_a_lead_explains_an_exception_and_gives_an_update_from_their_own_page(
        live_server, signed_in):
    today = timezone.localdate()
    plan = PlanFactory(slug="test-area", local_area__name="Test Area")
    jc = WorkstreamFactory(plan=plan, code="JC", name="Joint commissioning")
    ReportingPeriodFactory(plan=plan, label="This quarter", start=today - dt.timedelta(days=20),
                           end=today + dt.timedelta(days=70))
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED,
                  title="Joint commissioning strategy", current_due_date=None)
    officer = member(UserFactory(username="officer"), plan, Role.OFFICER)
    board_meeting_schedule(plan=plan, user=officer, date=today + dt.timedelta(days=21),
                           commentary_deadline=today + dt.timedelta(days=14))
    lead = member(UserFactory(username="lead", first_name="Priya", last_name="Shah"), plan,
                  Role.LEAD, jc)

    page = signed_in(lead, **NARROW)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
    _fits(page)
    page.get_by_role("link", name="Write the commentary on JC1").click()
    assert_accessible(page)
    _fits(page)
    page.get_by_label("What went wrong").fill("The provider withdrew in September.")
    page.get_by_label("What is being done").fill("A new tender closes next month.")
    page.get_by_label(re.compile("^Decide")).check()
    page.get_by_role("button", name="Save commentary").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Commentary on JC1")
    assert_accessible(page)
    page.get_by_role("link", name="Give an update on JC1").click()
    assert_accessible(page)
    page.get_by_label("Amber: medium risk").check()
    page.get_by_label("Narrative").fill("A new provider is being procured.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before saving")
    assert_accessible(page)
    _fits(page)
    page.get_by_role("button", name="Confirm and save").click()
    page.wait_for_url(re.compile(r"/test-area/actions/JC1/"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Progress update added to JC1")

    page.goto("/test-area/board-pack/")
    expect(page.locator("#exceptions ~ .app-exception").first).to_contain_text(
        "The provider withdrew in September.")
    assert_accessible(page)
