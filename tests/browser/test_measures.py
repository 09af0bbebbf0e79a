"""Entering a quarter's waiting times by CCG area and seeing the variation, in a browser."""

import datetime as dt

import pytest

from measures.models import Measure
from tests.browser.axe import assert_accessible
from tests.factories import (
    AreaFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OutcomeFactory,
    PlanFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    WorkstreamFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CCG = {"Basildon and Brentwood": "14", "Castle Point and Rochford": "17", "Mid Essex": "21",
       "North East Essex": "9", "West Essex": "28"}


def test_jc_lead_enters_waiting_times_by_ccg_area_and_sees_the_variation(live_server, signed_in):
    plan = PlanFactory(slug="essex", local_area__name="Essex")
    jc = WorkstreamFactory(plan=plan, code="JC", name="Joint commissioning")
    areas = [AreaFactory(plan=plan, name=name, breakdown="ccg", order=order)
             for order, name in enumerate(CCG, start=1)]
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    measure = MeasureFactory(plan=plan, outcome=outcome, title="Waiting time",
                             kind=Measure.Kind.DURATION, unit="weeks", direction="lower",
                             area_breakdown="ccg", baseline=30, target=18)
    q3 = ReportingPeriodFactory(plan=plan)
    ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                           end=dt.date(2020, 12, 31))
    MeasureReadingFactory(measure=measure, period=q3, value=24)
    for area, value in zip(areas, [20, 22, 25, 15, 35], strict=True):
        MeasureReadingFactory(measure=measure, period=q3, area=area, value=value)
    lead = member(UserFactory(username="jc-lead-browser"), plan, Role.LEAD, jc)

    page = signed_in(lead)
    page.goto(f"/essex/measures/{measure.pk}/")
    assert "between CCG areas (North East Essex 15 weeks, West Essex 35 weeks)" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Enter readings").click()
    assert_accessible(page)
    page.get_by_label("Reporting period").select_option(label="2020-21 Q3")
    page.get_by_role("button", name="Show this period").click()
    assert page.get_by_role("heading", name="Readings for 2020-21 Q3").is_visible()
    assert_accessible(page)
    page.get_by_label("Whole local area").fill("18")
    for name, value in CCG.items():
        page.get_by_label(name, exact=True).fill(value)
    page.get_by_role("button", name="Save readings").click()
    page.wait_for_url(f"**/essex/measures/{measure.pk}/")

    sentence = page.locator("#variation-sentence").inner_text()
    assert sentence.startswith("Waiting time varies 3.1x between CCG areas "
                               "(North East Essex 9 weeks, West Essex 28 weeks)")
    chart = page.locator("svg[role='img']").nth(1)
    assert "2020-21 Q3" in chart.locator("title").text_content()
    assert page.get_by_role("cell", name="28 weeks").first.is_visible()
    assert_accessible(page)

    page.goto("/essex/measures/")
    assert_accessible(page)
    page.goto("/essex/measures/variation/")
    assert "Narrowing" in page.content()
    assert_accessible(page)
    page.goto(f"/essex/measures/{measure.pk}/readings/upload/")
    assert_accessible(page)


def test_a_lead_sets_a_milestone_target_and_the_measure_page_shows_it(live_server, signed_in):
    plan = PlanFactory(slug="essex", local_area__name="Essex")
    jc = WorkstreamFactory(plan=plan, code="JC", name="Joint commissioning")
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    measure = MeasureFactory(plan=plan, outcome=outcome, title="Waiting time",
                             kind=Measure.Kind.DURATION, unit="weeks", direction="lower",
                             baseline=30, target=18)
    ReportingPeriodFactory(plan=plan)
    ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                           end=dt.date(2020, 12, 31))
    lead = member(UserFactory(username="jc-lead-targets"), plan, Role.LEAD, jc)

    page = signed_in(lead)
    page.goto(f"/essex/measures/{measure.pk}/")
    page.get_by_role("link", name="Set a milestone target").click()
    page.get_by_role("button", name="Save milestone target").click()
    assert page.get_by_role("link", name="Enter the reason for the milestone target").is_visible()
    assert_accessible(page)

    page.get_by_label("Review point (reporting period)").select_option(label="2020-21 Q3")
    page.get_by_label("Milestone target").fill("24")
    page.get_by_label("Reason").fill("Agreed at the SEND board")
    page.get_by_role("button", name="Save milestone target").click()
    page.wait_for_url(f"**/essex/measures/{measure.pk}/")
    assert "Milestone target for 2020-21 Q3 set to 24 weeks." in page.content()
    assert page.get_by_text("2020-21 Q3: 24 weeks").is_visible()
    assert_accessible(page)
