"""A plan's periods end with the plan, and its current period is never later than its last:
Essex's delivery ended with its revisit (17 May 2022), so its pages read as at 2022-Q2."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from audit.models import AuditEntry
from dashboard.selectors import workstream_rag_over_time
from measures.models import Measure, MeasureReading
from plans.models import ReportingPeriod
from plans.selectors import current_period, period_for_readings, periods_for_plan
from plans.services import quarter_bounds
from tests.factories import Role, UserFactory, member
from tests.progress_updates import give_update
from workstreams.models import Workstream

LAST = "2022-Q2"


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def later_quarters(plan) -> list[ReportingPeriod]:
    """The quarters an older load made after the plan's end, up to today's, as they were."""
    periods, day = [], dt.date(2022, 7, 1)
    while day <= timezone.localdate():
        label, start, end = quarter_bounds(day)
        periods.append(ReportingPeriod.objects.create(plan=plan, label=label, start=start,
                                                      end=end))
        day = end + dt.timedelta(days=1)
    return periods


@pytest.fixture
def essex_board(essex):
    return member(UserFactory(username="essex-board"), essex, Role.BOARD)


@pytest.fixture
def essex_jc_lead(essex):
    jc = Workstream.objects.get(plan=essex, code="JC")
    return member(UserFactory(username="essex-jc-lead"), essex, Role.LEAD, jc)


def test_essex_periods_end_at_2022_q2_and_its_current_period_is_its_last(essex):
    today = timezone.localdate()
    assert [p.label for p in periods_for_plan(essex)][-1] == LAST
    assert current_period(essex, today).label == LAST
    assert period_for_readings(essex, today).label == LAST
    # While the plan was in delivery its current period was the quarter of the day.
    assert current_period(essex, dt.date(2021, 2, 1)).label == "2021-Q1"


def test_the_dashboard_counts_actions_with_no_update_in_2022_q2(client, essex, essex_board):
    client.force_login(essex_board)

    page = words(client.get(reverse("dashboard:home", kwargs={"plan_slug": essex.slug})))

    assert f"No progress update in {LAST}:" in page
    assert quarter_bounds(timezone.localdate())[0] not in page


def test_the_workstream_chart_ends_at_2022_q2_even_with_later_empty_quarters(
        client, essex, essex_board):
    later = later_quarters(essex)
    jc = Workstream.objects.get(plan=essex, code="JC")
    client.force_login(essex_board)

    bars = workstream_rag_over_time(jc, timezone.localdate())
    page = client.get(reverse("workstreams:detail", kwargs={"plan_slug": essex.slug,
                                                            "code": "JC"})).content.decode()

    assert [bar.period.label for bar in bars][-1] == LAST
    assert len(bars) == 9
    assert later and not [p.label for p in later if p.label in page]


def test_loading_essex_over_a_database_with_later_quarters_removes_nothing(essex):
    essex.ends_on = None
    essex.save()
    later = later_quarters(essex)
    measure = Measure.objects.filter(plan=essex, kind=Measure.Kind.NUMBER).first()
    entered = MeasureReading.objects.create(measure=measure, period=later[-1], kind=measure.kind,
                                            value=Decimal("14.2"))
    periods_before = ReportingPeriod.objects.filter(plan=essex).count()

    call_command("load_essex_plan", verbosity=0)
    after_first = AuditEntry.objects.count()
    call_command("load_essex_plan", verbosity=0)

    essex.refresh_from_db()
    assert essex.ends_on == dt.date(2022, 5, 17)
    assert ReportingPeriod.objects.filter(plan=essex).count() == periods_before
    assert MeasureReading.objects.filter(pk=entered.pk).exists()
    assert AuditEntry.objects.count() == after_first
    assert [p.label for p in periods_for_plan(essex)][-1] == LAST
    call_command("verify_audit")


def test_a_measure_page_stops_at_the_plans_last_period(client, essex, essex_board):
    later = later_quarters(essex)
    measure = Measure.objects.filter(plan=essex, kind=Measure.Kind.NUMBER).first()
    for period, value in ((periods_for_plan(essex).last(), "12"), (later[-1], "14.2")):
        MeasureReading.objects.create(measure=measure, period=period, kind=measure.kind,
                                      value=Decimal(value))
    client.force_login(essex_board)

    page = words(client.get(reverse("measures:detail", kwargs={"plan_slug": essex.slug,
                                                               "measure_id": measure.pk})))
    listed = words(client.get(reverse("measures:list", kwargs={"plan_slug": essex.slug})))

    assert LAST in page
    assert later[-1].label not in page
    assert LAST in listed and later[-1].label not in listed


def test_a_lead_reports_on_2022_q2_by_default_and_can_save(client, essex, essex_jc_lead):
    later_quarters(essex)
    client.force_login(essex_jc_lead)
    url = reverse("actions:update_new", kwargs={"plan_slug": essex.slug, "ref": "JC10"})

    form = client.get(url).context["form"]
    action = Action.objects.get(plan=essex, ref="JC10")
    response = give_update(client, url, {
        "version": action.version, "rag": "green", "narrative": "Equipment within six weeks.",
        "period": form.initial["period"].pk, "date": f"{timezone.localdate():%d/%m/%Y}",
        "completed_date": ""})

    assert form.initial["period"].label == LAST
    assert [p.label for p in form.fields["period"].queryset][-1] == LAST
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(action=action).period.label == LAST


def test_the_readings_form_opens_on_the_plans_last_period(client, essex, essex_jc_lead):
    later_quarters(essex)
    measure = Measure.objects.filter(plan=essex, outcome__workstream__code="JC").first()
    client.force_login(essex_jc_lead)

    response = client.get(reverse("measures:reading_new", kwargs={
        "plan_slug": essex.slug, "measure_id": measure.pk}))

    assert response.context["period"].label == LAST
    choices = [p.label for p in response.context["period_form"].fields["period"].queryset]
    assert choices[0] == LAST and "2022-Q3" not in choices
