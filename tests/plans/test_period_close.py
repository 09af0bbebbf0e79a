import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from actions.services import progress_update_create
from audit.models import AuditEntry
from measures.services import readings_record
from plans.models import ReportingPeriod
from plans.selectors import period_for_plan_or_404
from plans.services import reporting_period_close, reporting_period_reopen
from tests.factories import ActionFactory, MeasureFactory, ReportingPeriodFactory


@pytest.fixture
def q3(plan):
    return ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                                  end=dt.date(2020, 12, 31))


def test_a_period_is_named_by_its_financial_quarter(q3):
    assert q3.financial_quarter == "2020-21 Q3"
    assert q3.name == "2020-21 Q3 (October to December 2020)"
    january = ReportingPeriod(start=dt.date(2021, 1, 1), end=dt.date(2021, 3, 31))
    assert january.financial_quarter == "2020-21 Q4"


def test_a_period_is_found_by_its_financial_quarter_in_an_address(plan, q3):
    assert period_for_plan_or_404(plan, "2020-21-Q3") == q3
    from django.http import Http404
    with pytest.raises(Http404):
        period_for_plan_or_404(plan, "2020-21-Q4")


def test_closing_a_period_is_in_the_audit_trail_with_who_and_when(plan, q3, officer):
    reporting_period_close(period=q3, user=officer)
    q3.refresh_from_db()
    assert q3.is_closed and q3.closed_by == officer
    entry = AuditEntry.objects.filter(object_kind="reporting period").latest("sequence")
    assert entry.actor == officer and entry.plan_id == plan.pk
    assert "closed" in entry.reason


def test_a_period_that_has_not_ended_cannot_be_closed(plan, officer):
    today = dt.date.today()
    period = ReportingPeriodFactory(plan=plan, label="now", start=today - dt.timedelta(days=5),
                                    end=today + dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="has not ended yet"):
        reporting_period_close(period=period, user=officer)


def test_reopening_needs_a_reason_and_is_audited(q3, officer, plan_administrator):
    reporting_period_close(period=q3, user=officer)
    with pytest.raises(ValidationError, match="reason"):
        reporting_period_reopen(period=q3, user=plan_administrator, reason=" ")
    reporting_period_reopen(period=q3, user=plan_administrator, reason="A late correction")
    q3.refresh_from_db()
    assert not q3.is_closed
    entry = AuditEntry.objects.filter(object_kind="reporting period").latest("sequence")
    assert entry.reason == "A late correction" and entry.actor == plan_administrator


def test_a_progress_update_in_a_closed_period_is_refused_naming_it_and_who_reopens(
        plan, jc, q3, officer, jc_lead):
    action = ActionFactory(plan=plan, workstream=jc)
    reporting_period_close(period=q3, user=officer)
    with pytest.raises(ValidationError) as refused:
        progress_update_create(action=action, user=jc_lead, expected_version=action.version,
                               rag="green", narrative="On track", period=q3,
                               date=dt.date(2020, 11, 2))
    message = refused.value.message_dict["period"][0]
    assert "2020-21 Q3 (October to December 2020) is closed" in message
    assert "An administrator of the plan can reopen it" in message


def test_an_update_dated_in_a_closed_period_is_refused_whatever_period_is_chosen(
        plan, jc, q3, officer, jc_lead):
    action = ActionFactory(plan=plan, workstream=jc)
    later = ReportingPeriodFactory(plan=plan, label="2021-Q1", start=dt.date(2021, 1, 1),
                                   end=dt.date(2021, 3, 31))
    reporting_period_close(period=q3, user=officer)
    with pytest.raises(ValidationError) as refused:
        progress_update_create(action=action, user=jc_lead, expected_version=action.version,
                               rag="green", narrative="On track", period=later,
                               date=dt.date(2020, 12, 2))
    assert "2020-21 Q3" in refused.value.message_dict["date"][0]


def test_a_reading_for_a_closed_period_is_refused(plan, q3, officer):
    measure = MeasureFactory(plan=plan)
    reporting_period_close(period=q3, user=officer)
    with pytest.raises(ValidationError) as refused:
        readings_record(measure=measure, period=q3, values_by_area={None: "12"}, user=officer)
    assert "is closed" in refused.value.message_dict["period"][0]
    assert not measure.readings.exists()
