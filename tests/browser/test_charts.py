"""Charts read at a glance on a phone: at 320 px wide their labels are at least body size
(they were drawn about 7 px tall when the SVG shrank to fit) and a chart wider than the
screen scrolls sideways inside its own region, by keyboard too, not the page."""

import datetime as dt

import pytest
from playwright.sync_api import Page

from actions.models import Rag
from measures.models import Measure
from tests.browser.axe import assert_accessible
from tests.factories import (
    ActionFactory,
    AreaFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OutcomeFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    WorkstreamFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# GOV.UK body text below 641 px wide.
BODY_TEXT_PX = 16


def _chart_label_heights(page: Page) -> list[float]:
    return page.locator("svg text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().height)")


def _assert_charts_read_at_body_size(page: Page) -> None:
    heights = _chart_label_heights(page)
    assert heights and min(heights) >= BODY_TEXT_PX, f"chart labels {min(heights):.1f} px tall"
    for region in page.locator(".app-chart__scroll").all():
        box = region.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, "a chart runs off the screen"


@pytest.fixture
def plan_with_history():
    plan = PlanFactory(slug="essex", local_area__name="Essex")
    jc = WorkstreamFactory(plan=plan, code="JC", name="Joint commissioning")
    areas = [AreaFactory(plan=plan, name=name, breakdown="ccg", order=order)
             for order, name in enumerate(["Basildon and Brentwood",
                                           "Castle Point and Rochford", "West Essex"], start=1)]
    measure = MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=jc),
                             title="Waiting time", kind=Measure.Kind.DURATION, unit="weeks",
                             direction="lower", area_breakdown="ccg", baseline=30, target=18)
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    for n in range(8):
        start = dt.date(2020 + n // 4, n % 4 * 3 + 1, 1)
        period = ReportingPeriodFactory(plan=plan, label=f"{start.year}-Q{n % 4 + 1}",
                                        start=start, end=start + dt.timedelta(days=80))
        ProgressUpdateFactory(action=action, period=period, date=start + dt.timedelta(days=9),
                              rag=[Rag.RED, Rag.AMBER, Rag.GREEN][n % 3])
        MeasureReadingFactory(measure=measure, period=period, value=28 - n)
        for index, area in enumerate(areas):
            MeasureReadingFactory(measure=measure, period=period, area=area, value=9 + index * 5)
    return plan, measure


def test_charts_labels_are_body_size_on_a_320px_screen(live_server, signed_in,
                                                       plan_with_history):
    plan, measure = plan_with_history
    page = signed_in(member(UserFactory(username="phone-reader"), plan, Role.BOARD))
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto("/essex/workstreams/JC/")
    _assert_charts_read_at_body_size(page)
    assert_accessible(page)
    region = page.get_by_role("region", name="Chart: RAG of workstream JC actions", exact=False)
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the chart should scroll"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    page.get_by_text("Show the data").click()
    assert page.get_by_role("table", name="RAG of workstream JC actions", exact=False
                            ).is_visible()

    page.goto(f"/essex/measures/{measure.pk}/")
    _assert_charts_read_at_body_size(page)
    assert_accessible(page)
