import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Rag
from dashboard.selectors import changes_since, changes_since_meeting, latest_board_meeting
from measures.models import Measure, MeasureReading
from plans.models import BoardMeeting, Plan
from plans.selectors import as_at
from tests.factories import (
    ActionFactory,
    AreaFactory,
    MeasureFactory,
    OutcomeFactory,
    PlanFactory,
    WorkstreamFactory,
)

CCG = ["Basildon and Brentwood", "Castle Point and Rochford", "Mid Essex", "North East Essex",
       "West Essex"]


@pytest.fixture
def small_essex(db):
    """A few records shaped like the Essex fixture's: its local area, kind and start."""
    plan = PlanFactory(slug="essex", local_area__name="Essex",
                       local_area__ons_code="E10000012", local_area__region="East of England",
                       kind=Plan.Kind.WSOA, starts_on=dt.date(2020, 4, 6), ends_on=None)
    jc = WorkstreamFactory(plan=plan, code="JC")
    for order, name in enumerate(CCG, start=1):
        AreaFactory(plan=plan, name=name, breakdown="ccg", order=order)
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    MeasureFactory(plan=plan, outcome=outcome, order=1, area_breakdown="ccg")
    MeasureFactory(plan=plan, outcome=outcome, order=2, title="Strategy published",
                   kind=Measure.Kind.DELIVERABLE, direction="none", unit="")
    MeasureFactory(plan=plan, outcome=outcome, order=3, title="Satisfaction",
                   kind=Measure.Kind.PERCENTAGE, direction="higher", unit="%",
                   data_source="POET survey")
    for number in range(1, 7):
        ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}", ref_number=number, rag="",
                      original_due_date=dt.date(2021, 3, 31), current_due_date=None)
    return plan


def test_demo_history_is_marked_illustrative_plausible_and_added_once(small_essex):
    call_command("seed_demo_history", verbosity=0)
    plan = Plan.objects.get(pk=small_essex.pk)
    assert plan.has_demo_data

    readings = MeasureReading.objects.filter(measure__plan=plan)
    # Eight quarters, 2020-Q2 to 2022-Q1: whole area and five CCG areas, plus two measures.
    assert readings.count() == 8 * 6 + 8 + 8
    assert not readings.filter(is_demo=False).exists()
    assert sorted({r.period.label for r in readings})[0] == "2020-Q2"
    assert sorted({r.period.label for r in readings})[-1] == "2022-Q1"
    assert all(r.sample_size for r in readings.filter(measure__title="Satisfaction"))
    assert all(0 <= r.value <= 100 for r in readings.filter(kind="percentage"))

    updates = ProgressUpdate.objects.filter(action__plan=plan)
    assert updates.exists() and not updates.filter(is_demo=False).exists()
    assert all(u.narrative.startswith("Illustrative update for demonstration: ") for u in updates)
    for action in Action.objects.filter(plan=plan):
        latest = action.progress_updates.order_by("-date").first()
        assert latest is not None, f"{action.ref} has no illustrative update"
        assert action.rag == latest.rag
        assert (action.completed_date == latest.date) == (latest.rag == Rag.BLUE)
        assert action.history.first().history_change_reason == "Illustrative demo history"

    meetings = BoardMeeting.objects.filter(plan=plan)
    assert meetings.count() == 11 and not meetings.filter(is_demo=False).exists()

    counts = (readings.count(), updates.count(), meetings.count(),
              MeasureReading.history.count(), Action.history.count())
    call_command("seed_demo_history", verbosity=0)
    assert (readings.count(), updates.count(), meetings.count(),
            MeasureReading.history.count(), Action.history.count()) == counts


def test_the_same_plan_always_gets_the_same_history(small_essex):
    call_command("seed_demo_history", verbosity=0)
    first = list(MeasureReading.objects.order_by("measure__order", "period__start", "area__order")
                 .values_list("value", flat=True))
    rags = list(Action.objects.order_by("ref").values_list("rag", flat=True))
    MeasureReading.objects.all().delete()
    ProgressUpdate.objects.all().delete()
    call_command("seed_demo_history", verbosity=0)
    assert list(MeasureReading.objects.order_by("measure__order", "period__start",
                                                "area__order")
                .values_list("value", flat=True)) == first
    assert list(Action.objects.order_by("ref").values_list("rag", flat=True)) == rags


def test_the_essex_fixture_itself_has_no_demo_data(essex):
    assert not essex.has_demo_data
    assert not MeasureReading.objects.filter(is_demo=True).exists()
    assert not ProgressUpdate.objects.filter(is_demo=True).exists()


def test_the_board_baseline_is_recorded_with_the_demo_history(small_essex):
    call_command("seed_demo_history", verbosity=0)
    plan = Plan.objects.get(pk=small_essex.pk)
    meeting = latest_board_meeting(plan, as_at(plan, timezone.localdate()))

    assert meeting.baseline.date == meeting.date
    assert changes_since_meeting(plan, meeting) == changes_since(plan, meeting.date)
