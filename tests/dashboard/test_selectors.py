import datetime as dt

import pytest

from actions.models import Rag
from dashboard.selectors import (
    changes_since,
    measure_status_counts,
    needs_attention,
    workstream_rag_counts,
    workstream_rag_over_time,
)
from measures.status import MeasureStatus
from plans.selectors import current_period
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    OutcomeFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)

Q3 = (dt.date(2020, 7, 1), dt.date(2020, 9, 30))
Q4 = (dt.date(2020, 10, 1), dt.date(2020, 12, 31))


def _period(plan, label, bounds):
    return ReportingPeriodFactory(plan=plan, label=label, start=bounds[0], end=bounds[1])


def _update(action, day, rag, period):
    """A progress update, and the action's RAG set from it, as the service does."""
    update = ProgressUpdateFactory(action=action, date=day, rag=rag, period=period)
    action.rag = rag
    action.save()
    return update


def test_counts_per_workstream_match_the_actions(plan, jc, ehc):
    for rag in [Rag.BLUE, Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.RED, ""]:
        ActionFactory(plan=plan, workstream=jc, rag=rag)
    ActionFactory(plan=plan, workstream=ehc, rag=Rag.RED)
    rows = {row.workstream.code: row for row in workstream_rag_counts(plan)}
    assert (rows["JC"].blue, rows["JC"].green, rows["JC"].amber, rows["JC"].red,
            rows["JC"].not_reported, rows["JC"].total) == (1, 2, 1, 1, 1, 6)
    assert rows["JC"].percent_complete == 17
    assert (rows["EHC"].red, rows["EHC"].total, rows["EHC"].percent_complete) == (1, 1, 0)


def test_counts_per_workstream_match_the_essex_plan(essex):
    import json
    from collections import Counter
    from pathlib import Path

    fixture = json.loads((Path(__file__).parents[2] / "fixtures/essex_plan.json").read_text())
    published = Counter(action["workstream"] for action in fixture["actions"])
    rows = {row.workstream.code: row for row in workstream_rag_counts(essex)}
    assert {code: row.total for code, row in rows.items()} == dict(published)
    # The Essex plan publishes no RAG per action: every action is "not reported".
    assert all(row.not_reported == row.total for row in rows.values())


def test_since_last_board_lists_a_change_after_the_meeting_and_not_one_before(plan, jc):
    q3 = _period(plan, "2020-Q3", Q3)
    meeting = dt.date(2020, 8, 15)
    changed_after = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    _update(changed_after, dt.date(2020, 8, 1), Rag.GREEN, q3)
    _update(changed_after, dt.date(2020, 8, 16), Rag.RED, q3)
    changed_before = ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2)
    _update(changed_before, dt.date(2020, 7, 1), Rag.RED, q3)
    _update(changed_before, dt.date(2020, 8, 15), Rag.GREEN, q3)

    changes = changes_since(plan, meeting)

    assert [change.ref for change in changes.worsened] == ["JC1"]
    assert (changes.worsened[0].rag_then, changes.worsened[0].rag_now) == ("green", "red")
    assert not changes.improved and not changes.completed


def test_since_last_board_sorts_improved_completed_and_first_reported(plan, jc):
    q3 = _period(plan, "2020-Q3", Q3)
    improved = ActionFactory(plan=plan, workstream=jc)
    _update(improved, dt.date(2020, 7, 10), Rag.RED, q3)
    _update(improved, dt.date(2020, 9, 1), Rag.AMBER, q3)
    completed = ActionFactory(plan=plan, workstream=jc)
    _update(completed, dt.date(2020, 7, 10), Rag.GREEN, q3)
    _update(completed, dt.date(2020, 9, 1), Rag.BLUE, q3)
    first = ActionFactory(plan=plan, workstream=jc)
    _update(first, dt.date(2020, 9, 1), Rag.GREEN, q3)

    changes = changes_since(plan, dt.date(2020, 8, 1))

    assert [c.action_id for c in changes.improved] == [improved.pk]
    assert [c.action_id for c in changes.completed] == [completed.pk]
    assert [c.action_id for c in changes.first_reported] == [first.pk]
    assert not changes.worsened


def test_since_last_board_lists_due_dates_moved_after_the_meeting_from_the_audit_trail(plan, jc):
    meeting = dt.date(2020, 8, 15)
    before = dt.datetime(2020, 8, 1, 10, tzinfo=dt.UTC)
    after = dt.datetime(2020, 9, 1, 10, tzinfo=dt.UTC)

    moved_after = ActionFactory.build(plan=plan, workstream=jc, ref="JC1", ref_number=1,
                                      current_due_date=dt.date(2021, 3, 31))
    moved_after._history_date = before
    moved_after.save()
    moved_after.current_due_date = dt.date(2021, 6, 30)
    moved_after._history_date = after
    moved_after.save()

    moved_before = ActionFactory.build(plan=plan, workstream=jc, ref="JC2", ref_number=2,
                                       current_due_date=dt.date(2021, 3, 31))
    moved_before._history_date = dt.datetime(2020, 7, 1, 10, tzinfo=dt.UTC)
    moved_before.save()
    moved_before.current_due_date = dt.date(2021, 5, 31)
    moved_before._history_date = before
    moved_before.save()

    added_after = ActionFactory.build(plan=plan, workstream=jc, ref="JC3", ref_number=3)
    added_after._history_date = after
    added_after.save()

    changes = changes_since(plan, meeting)

    assert [(c.ref, c.due_then, c.due_now) for c in changes.due_dates_moved] == [
        ("JC1", dt.date(2021, 3, 31), dt.date(2021, 6, 30))]


def test_a_change_on_the_meeting_day_counts_as_before_the_meeting(plan, jc):
    q3 = _period(plan, "2020-Q3", Q3)
    action = ActionFactory(plan=plan, workstream=jc)
    _update(action, dt.date(2020, 7, 1), Rag.GREEN, q3)
    _update(action, dt.date(2020, 8, 15), Rag.RED, q3)
    assert changes_since(plan, dt.date(2020, 8, 15)).is_empty
    assert changes_since(plan, dt.date(2020, 8, 14)).worsened


def test_overdue_is_after_the_due_date_not_on_it_and_never_blue(plan, jc):
    due = dt.date(2020, 9, 30)
    amber = ActionFactory(plan=plan, workstream=jc, rag=Rag.AMBER, current_due_date=due)
    ActionFactory(plan=plan, workstream=jc, rag=Rag.BLUE, current_due_date=due)
    ActionFactory(plan=plan, workstream=jc, rag="", current_due_date=None)
    assert list(needs_attention(plan, due).overdue) == []
    assert list(needs_attention(plan, due + dt.timedelta(days=1)).overdue) == [amber]


def test_current_period_is_the_one_holding_today_else_the_latest_begun(plan):
    q3 = _period(plan, "2020-Q3", Q3)
    q4 = _period(plan, "2020-Q4", Q4)
    assert current_period(plan, dt.date(2020, 6, 30)) is None
    assert current_period(plan, dt.date(2020, 7, 1)) == q3
    assert current_period(plan, dt.date(2020, 9, 30)) == q3
    assert current_period(plan, dt.date(2020, 10, 1)) == q4
    assert current_period(plan, dt.date(2020, 12, 31)) == q4
    # After the plan's last period ends, that period is still the current one.
    assert current_period(plan, dt.date(2021, 2, 1)) == q4


def test_current_period_is_never_one_that_has_not_begun(plan):
    q3 = _period(plan, "2020-Q3", Q3)
    _period(plan, "2099-Q1", (dt.date(2099, 1, 1), dt.date(2099, 3, 31)))
    assert current_period(plan, dt.date(2020, 11, 1)) == q3
    assert current_period(plan, dt.date(2098, 12, 31)) == q3


def test_current_period_is_of_the_plan_asked_about(plan, other_plan):
    q3 = _period(plan, "2020-Q3", Q3)
    _period(other_plan, "2020-Q4", Q4)
    assert current_period(plan, dt.date(2020, 11, 1)) == q3
    assert current_period(other_plan, dt.date(2020, 9, 1)) is None


def test_no_update_this_period_follows_the_period_boundaries(plan, jc):
    q3 = _period(plan, "2020-Q3", Q3)
    q4 = _period(plan, "2020-Q4", Q4)
    updated_in_q3 = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    _update(updated_in_q3, dt.date(2020, 9, 30), Rag.GREEN, q3)
    updated_in_q4 = ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2)
    _update(updated_in_q4, dt.date(2020, 10, 1), Rag.GREEN, q4)
    ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.BLUE)

    on_last_day_of_q3 = needs_attention(plan, dt.date(2020, 9, 30))
    assert on_last_day_of_q3.period == q3
    assert [a.ref for a in on_last_day_of_q3.without_update] == ["JC2"]

    on_first_day_of_q4 = needs_attention(plan, dt.date(2020, 10, 1))
    assert on_first_day_of_q4.period == q4
    assert [a.ref for a in on_first_day_of_q4.without_update] == ["JC1"]

    # After the last period ends and before the next is set up, the last one still counts.
    assert [a.ref for a in needs_attention(plan, dt.date(2021, 1, 5)).without_update] == ["JC1"]


def test_no_period_started_means_no_update_list(plan, jc):
    ActionFactory(plan=plan, workstream=jc)
    attention = needs_attention(plan, dt.date(2019, 1, 1))
    assert attention.period is None
    assert list(attention.without_update) == []


def test_red_actions_and_overdue_milestones_need_attention(plan, jc):
    red = ActionFactory(plan=plan, workstream=jc, rag=Rag.RED)
    ActionFactory(plan=plan, workstream=jc, rag=Rag.GREEN)
    late = MilestoneFactory(action=red, due_date=dt.date(2020, 9, 1))
    MilestoneFactory(action=red, due_date=dt.date(2020, 9, 1), done_date=dt.date(2020, 8, 30))
    MilestoneFactory(action=red, due_date=dt.date(2020, 9, 2))
    attention = needs_attention(plan, dt.date(2020, 9, 2))
    assert list(attention.red) == [red]
    assert list(attention.milestones_overdue) == [late]


def test_workstream_chart_counts_its_actions_as_of_each_period_end(plan, jc, ehc):
    q3, q4 = _period(plan, "2020-Q3", Q3), _period(plan, "2020-Q4", Q4)
    first, second, _never = (ActionFactory(plan=plan, workstream=jc) for _ in range(3))
    _update(first, dt.date(2020, 7, 5), Rag.RED, q3)
    _update(first, dt.date(2020, 9, 30), Rag.AMBER, q3)
    _update(first, dt.date(2020, 10, 1), Rag.BLUE, q4)
    _update(second, dt.date(2020, 11, 1), Rag.GREEN, q4)
    _update(ActionFactory(plan=plan, workstream=ehc), dt.date(2020, 8, 1), Rag.RED, q3)

    bars = workstream_rag_over_time(jc, dt.date(2021, 1, 15))

    assert [bar.period for bar in bars] == [q3, q4]
    assert bars[0].counts == {"blue": 0, "green": 0, "amber": 1, "red": 0, "": 2}
    assert bars[1].counts == {"blue": 1, "green": 1, "amber": 0, "red": 0, "": 1}


def test_measure_status_counts_per_workstream(plan, jc, ehc, period):
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    better = MeasureFactory(plan=plan, outcome=outcome, baseline=20, target=10)
    MeasureReadingFactory(measure=better, period=period, value=15)
    worse = MeasureFactory(plan=plan, outcome=outcome, baseline=20, target=10)
    MeasureReadingFactory(measure=worse, period=period, value=25)
    on_target = MeasureFactory(plan=plan, outcome=outcome, baseline=20, target=10)
    MeasureReadingFactory(measure=on_target, period=period, value=9)
    MeasureFactory(plan=plan, outcome=outcome, baseline=20, target=10)

    rows = {row.workstream.code: dict(row.counts)
            for row in measure_status_counts(plan, [jc, ehc])}

    assert rows["JC"][MeasureStatus.IMPROVED] == 1
    assert rows["JC"][MeasureStatus.WORSE] == 1
    assert rows["JC"][MeasureStatus.ON_TARGET] == 1
    assert rows["JC"][MeasureStatus.NO_READING] == 1
    assert sum(rows["EHC"].values()) == 0


@pytest.mark.parametrize("today", [dt.date(2020, 9, 30), dt.date(2020, 10, 1)])
def test_needs_attention_is_lazy_until_read(plan, today, django_assert_num_queries):
    with django_assert_num_queries(1):
        needs_attention(plan, today)


def test_since_last_board_can_show_the_first_few_and_count_them_all(plan, jc):
    q3 = _period(plan, "2020-Q3", Q3)
    for number in range(1, 5):
        action = ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}", ref_number=number)
        _update(action, dt.date(2020, 7, 10), Rag.GREEN, q3)
        _update(action, dt.date(2020, 9, 1), Rag.AMBER, q3)
    changes = changes_since(plan, dt.date(2020, 8, 1), limit=2)
    assert [c.ref for c in changes.worsened] == ["JC1", "JC2"]
    assert changes.counts["worsened"] == 4
