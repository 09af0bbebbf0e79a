"""A query compiled once answers every later call with that call's own values, reading rows
as the queryset would; a query whose SQL would depend on its values is refused."""

import datetime as dt

import pytest

from actions.models import Action
from send_wsoa.precompiled import NotPrecompilable, precompiled
from tests.factories import ActionFactory, MilestoneFactory, PlanFactory, WorkstreamFactory


@precompiled
def due_by(plan_pk: int, day: dt.date, code: str):
    return (Action.objects.filter(plan_id=plan_pk, current_due_date__lte=day,
                                  workstream__code=code)
            .select_related("workstream").prefetch_related("milestones").order_by("ref"))


@precompiled
def refs_due_by(plan_pk: int, day: dt.date):
    return (Action.objects.filter(plan_id=plan_pk, current_due_date__lte=day)
            .order_by("ref").values("ref", "current_due_date"))


@pytest.fixture
def two_plans(db):
    plans = []
    for slug in ("north", "south"):
        plan = PlanFactory(slug=slug)
        jc = WorkstreamFactory(plan=plan, code="JC")
        ehc = WorkstreamFactory(plan=plan, code="EHC")
        for number, due in enumerate([dt.date(2021, 1, 31), dt.date(2021, 6, 30)], start=1):
            action = ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}",
                                   ref_number=number, current_due_date=due)
            MilestoneFactory(action=action, title=f"{slug} milestone {number}")
        ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1,
                      current_due_date=dt.date(2021, 1, 31))
        plans.append(plan)
    return plans


def test_each_call_gets_the_rows_of_its_own_values(two_plans):
    north, south = two_plans
    for plan in (north, south):
        for day, code in [(dt.date(2021, 3, 1), "JC"), (dt.date(2021, 12, 1), "JC"),
                          (dt.date(2021, 3, 1), "EHC"), (dt.date(2020, 1, 1), "JC")]:
            expected = [*due_by.build(plan.pk, day, code)]
            got = due_by(plan.pk, day, code)
            assert [action.pk for action in got] == [action.pk for action in expected]
            assert [action.workstream.code for action in got] == [code] * len(expected)
            assert [[m.title for m in action.milestones.all()] for action in got] == [
                [m.title for m in action.milestones.all()] for action in expected]


def test_values_come_back_as_the_queryset_gives_them(two_plans, django_assert_num_queries):
    north, _ = two_plans
    refs_due_by(north.pk, dt.date(2021, 3, 1))
    with django_assert_num_queries(1):
        rows = refs_due_by(north.pk, dt.date(2021, 3, 1))
    assert rows == [{"ref": "EHC1", "current_due_date": dt.date(2021, 1, 31)},
                    {"ref": "JC1", "current_due_date": dt.date(2021, 1, 31)}]


@pytest.mark.parametrize("value", [None, True, [1, 2], dt.datetime(2021, 1, 1, tzinfo=dt.UTC)])
def test_a_value_that_would_change_the_sql_is_refused(db, value):
    query = precompiled(lambda ref: Action.objects.filter(ref=ref))
    with pytest.raises(NotPrecompilable):
        query(value)


def test_a_value_the_query_changes_before_use_is_refused(db):
    query = precompiled(lambda words: Action.objects.filter(title__icontains=words))
    with pytest.raises(NotPrecompilable, match="changed before it is used"):
        query("waiting")


def test_a_call_with_another_kind_of_value_is_refused(two_plans):
    north, _ = two_plans
    refs_due_by(north.pk, dt.date(2021, 3, 1))
    with pytest.raises(NotPrecompilable):
        refs_due_by(str(north.pk), dt.date(2021, 3, 1))
