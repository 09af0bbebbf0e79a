"""Rules the database itself enforces, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from actions.models import Action, Rag
from measures.models import Measure, MeasureReading
from tests.factories import ActionFactory, MeasureFactory, ReportingPeriodFactory


def test_database_refuses_a_rag_that_is_not_one_of_the_four(jc):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(plan=jc.plan, workstream=jc, ref="JC1", ref_number=1,
                              title="Grey action", rag="grey")


def test_database_refuses_a_duplicate_ref_in_one_plan(jc):
    ActionFactory(plan=jc.plan, workstream=jc, ref="JC8", ref_number=8)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(plan=jc.plan, workstream=jc, ref="JC8", ref_number=8, title="Again")


def test_the_same_ref_may_exist_in_another_plan(jc):
    from tests.factories import PlanFactory, WorkstreamFactory

    ActionFactory(plan=jc.plan, workstream=jc, ref="JC8", ref_number=8)
    other = WorkstreamFactory(plan=PlanFactory(slug="thurrock"), code="JC")
    ActionFactory(plan=other.plan, workstream=other, ref="JC8", ref_number=8)
    assert Action.objects.filter(ref="JC8").count() == 2


def test_database_refuses_a_completed_date_unless_blue(jc):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(plan=jc.plan, workstream=jc, ref="JC2", ref_number=2,
                              title="Done?", rag=Rag.GREEN, completed_date=dt.date(2020, 9, 1))
    Action.objects.create(plan=jc.plan, workstream=jc, ref="JC3", ref_number=3,
                          title="Done", rag=Rag.BLUE, completed_date=dt.date(2020, 9, 1))


def test_database_refuses_a_percentage_outside_0_to_100(plan):
    measure = MeasureFactory(plan=plan, kind=Measure.Kind.PERCENTAGE, unit="%")
    period = ReportingPeriodFactory(plan=plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureReading.objects.create(measure=measure, period=period, kind="percentage",
                                      value=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureFactory(plan=plan, kind=Measure.Kind.PERCENTAGE, baseline=-1)
