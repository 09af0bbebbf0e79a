"""The plan as the board left its last meeting, recorded once the day is over: "since the
last board" reads the same from it as from the history, however the plan changes after."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from actions.models import Rag
from actions.services import progress_update_create, progress_updates_create
from dashboard.models import BoardBaseline
from dashboard.selectors import changes_since, changes_since_meeting
from dashboard.services import board_baseline_record
from plans.models import BoardMeeting
from tests.factories import ActionFactory, ProgressUpdateFactory, ReportingPeriodFactory

LAST_BOARD = dt.date(2020, 8, 15)
BEFORE = dt.date(2020, 7, 10)
AFTER = dt.date(2020, 9, 1)
IN_THE_PLAN_BY_JULY = dt.datetime(2020, 7, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def q3(plan):
    return ReportingPeriodFactory(plan=plan, label="2020-Q3", start=dt.date(2020, 7, 1),
                                  end=dt.date(2020, 9, 30))


def _action(plan, jc, number: int, reports: list[tuple[dt.date, str]], q3, **fields):
    """An action in the plan since July, with its progress updates and the RAG they set."""
    action = ActionFactory.build(plan=plan, workstream=jc, ref=f"JC{number}",
                                 ref_number=number, current_due_date=dt.date(2021, 3, 31),
                                 **fields)
    action._history_date = IN_THE_PLAN_BY_JULY
    action.save()
    for day, rag in reports:
        ProgressUpdateFactory(action=action, period=q3, date=day, rag=rag)
    if reports:
        action.rag = reports[-1][1]
        action._history_date = IN_THE_PLAN_BY_JULY
        action.save()
    return action


@pytest.fixture
def meeting(plan, jc, q3):
    """A board meeting in August, with an action in each list of changes since then."""
    _action(plan, jc, 1, [(BEFORE, Rag.GREEN), (AFTER, Rag.RED)], q3)  # worsened
    _action(plan, jc, 2, [(BEFORE, Rag.RED), (AFTER, Rag.BLUE)], q3)  # completed
    _action(plan, jc, 3, [(AFTER, Rag.GREEN)], q3)  # first reported
    _action(plan, jc, 4, [(BEFORE, Rag.AMBER), (AFTER, Rag.GREEN)], q3)  # improved
    _action(plan, jc, 5, [(BEFORE, Rag.GREEN)], q3)  # steady
    moved = _action(plan, jc, 6, [(BEFORE, Rag.AMBER)], q3)
    moved.current_due_date = dt.date(2021, 6, 30)
    moved._history_date = dt.datetime(2020, 9, 1, 10, tzinfo=dt.UTC)  # since the meeting
    moved.save()
    return BoardMeeting.objects.create(plan=plan, date=LAST_BOARD)


def _lists(changes) -> dict[str, list[tuple]]:
    return {kind: [(change.ref, change.rag_then, change.rag_now, change.due_then,
                    change.due_now) for change in changes]
            for _, changes, kind, _ in changes.lists} | {"counts": changes.counts}


def _same_from_baseline_as_from_history(plan, meeting) -> dict:
    meeting = BoardMeeting.objects.select_related("baseline").get(pk=meeting.pk)
    for limit in (1, 10, None):
        from_history = _lists(changes_since(plan, meeting.date, limit))
        assert _lists(changes_since_meeting(plan, meeting, limit)) == from_history
    return _lists(changes_since_meeting(plan, meeting))


def test_since_the_last_board_reads_the_same_from_the_baseline_as_from_the_history(
        plan, meeting):
    board_baseline_record(plan=plan)
    lists = _same_from_baseline_as_from_history(plan, meeting)

    assert lists["counts"] == {"improved": 1, "worsened": 1, "completed": 1,
                               "first_reported": 1, "due_dates_moved": 1}
    assert lists["due"] == [("JC6", "amber", "amber", dt.date(2021, 3, 31),
                             dt.date(2021, 6, 30))]


def test_with_a_baseline_since_the_last_board_does_not_search_the_history(plan, meeting):
    board_baseline_record(plan=plan)
    meeting = BoardMeeting.objects.select_related("baseline").get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as queries:
        changes_since_meeting(plan, meeting, 10)
    read = " ".join(query["sql"] for query in queries)
    assert "actions_progressupdate" not in read and "historicalaction" not in read


def test_an_update_back_dated_before_the_meeting_keeps_the_baseline_true(plan, meeting,
                                                                          jc_lead, q3):
    board_baseline_record(plan=plan)
    # JC4 was Amber at the meeting and Green now; a report dated before the meeting, given
    # after it, says it was Green by then, so it has not improved since.
    improved = plan.actions.get(ref="JC4")
    progress_update_create(action=improved, user=jc_lead, expected_version=improved.version,
                           rag=Rag.GREEN, narrative="Reported late: on track since August.",
                           period=q3, date=dt.date(2020, 8, 1))

    lists = _same_from_baseline_as_from_history(plan, meeting)

    assert lists["improved"] == []


def test_an_action_added_after_the_meeting_and_reported_back_to_before_it(plan, jc, meeting,
                                                                          jc_lead, q3):
    board_baseline_record(plan=plan)
    added = ActionFactory(plan=plan, workstream=jc, ref="JC7", ref_number=7)
    progress_update_create(action=added, user=jc_lead, expected_version=added.version,
                           rag=Rag.RED, narrative="Not started by August.", period=q3,
                           date=dt.date(2020, 8, 10))

    lists = _same_from_baseline_as_from_history(plan, meeting)

    # Red then, by its report, and Red now: no change to show.
    assert "JC7" not in [row[0] for kind, rows in lists.items() if kind != "counts"
                         for row in rows]


def test_a_meeting_moved_after_its_baseline_is_read_from_the_history(plan, meeting):
    board_baseline_record(plan=plan)
    meeting.date = dt.date(2020, 9, 2)
    meeting.save()
    meeting = BoardMeeting.objects.select_related("baseline").get(pk=meeting.pk)

    assert _lists(changes_since_meeting(plan, meeting)) == _lists(
        changes_since(plan, dt.date(2020, 9, 2)))
    assert _lists(changes_since_meeting(plan, meeting))["worsened"] == []


def test_the_daily_command_records_the_last_meeting_held_once(plan, other_plan, meeting):
    BoardMeeting.objects.create(plan=plan, date=dt.date(2099, 1, 14))  # not yet held

    call_command("record_board_baselines", "--today", "2020-10-01")
    recorded = BoardBaseline.objects.get()
    call_command("record_board_baselines", "--today", "2020-10-02")

    assert (recorded.meeting, recorded.date) == (meeting, LAST_BOARD)
    assert BoardBaseline.objects.get().recorded_at == recorded.recorded_at
    assert recorded.actions.count() == plan.actions.count()


def test_a_newer_meeting_replaces_the_baseline_of_the_one_before(plan, meeting):
    board_baseline_record(plan=plan, today=dt.date(2020, 10, 1))
    newer = BoardMeeting.objects.create(plan=plan, date=dt.date(2020, 10, 8))

    board_baseline_record(plan=plan, today=dt.date(2020, 10, 9))

    assert [baseline.meeting for baseline in BoardBaseline.objects.all()] == [newer]
    _same_from_baseline_as_from_history(plan, newer)


def test_a_meeting_day_not_yet_over_is_not_recorded(plan, meeting):
    assert board_baseline_record(plan=plan, today=LAST_BOARD) is None
    assert not BoardBaseline.objects.exists()


def test_many_updates_at_once_back_dated_before_the_meeting_keep_the_baseline_true(
        plan, meeting, q3):
    board_baseline_record(plan=plan)
    # As an import of returns gives them: JC4 Green and JC5 Red, both by August.
    reports = [{"action": plan.actions.get(ref=ref), "rag": rag, "period": q3,
                "narrative": "Return for August, sent late.", "date": dt.date(2020, 8, 1)}
               for ref, rag in (("JC4", Rag.GREEN), ("JC5", Rag.RED))]
    progress_updates_create(reports=reports, user=None)

    lists = _same_from_baseline_as_from_history(plan, meeting)

    # Each was already as reported now by the meeting: neither has changed since.
    assert lists["improved"] == []
    assert [row[0] for row in lists["worsened"]] == ["JC1"]


def test_a_meeting_moved_and_moved_back_keeps_the_updates_given_between(plan, meeting,
                                                                       jc_lead, q3):
    board_baseline_record(plan=plan)
    meeting.date = dt.date(2020, 7, 20)
    meeting.save()
    improved = plan.actions.get(ref="JC4")
    progress_update_create(action=improved, user=jc_lead, expected_version=improved.version,
                           rag=Rag.GREEN, narrative="Reported late: on track since August.",
                           period=q3, date=dt.date(2020, 8, 1))
    meeting.date = LAST_BOARD
    meeting.save()

    lists = _same_from_baseline_as_from_history(plan, meeting)

    assert lists["improved"] == []


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_a_baseline_recorded_while_an_update_back_dated_before_it_is_saved(
        transactional_db, plan, jc, jc_lead, q3):
    # Both finish: one waits for the other, neither is refused by the database.
    for number, reports in ((4, [(BEFORE, Rag.AMBER), (AFTER, Rag.GREEN)]),
                            (5, [(BEFORE, Rag.GREEN)])):
        _action(plan, jc, number, reports, q3)
    meeting = BoardMeeting.objects.create(plan=plan, date=LAST_BOARD)
    board_baseline_record(plan=plan)
    recording = threading.Event()
    errors: list[BaseException] = []

    def record() -> None:
        try:
            with transaction.atomic():
                # The meeting locked, then a pause while the update starts, then the writes.
                BoardMeeting.objects.select_for_update().get(pk=meeting.pk)
                recording.set()
                time.sleep(0.5)
                board_baseline_record(plan=plan, afresh=True)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()

    def report() -> None:
        try:
            recording.wait(timeout=20)
            improved = plan.actions.get(ref="JC4")
            progress_update_create(action=improved, user=jc_lead,
                                   expected_version=improved.version, rag=Rag.GREEN,
                                   narrative="Reported late: on track since August.",
                                   period=q3, date=dt.date(2020, 8, 1))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record), threading.Thread(target=report)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert _same_from_baseline_as_from_history(plan, meeting)["improved"] == []


def test_the_daily_command_refuses_a_day_that_is_not_a_date(plan):
    with pytest.raises(CommandError, match="--today: must be a date such as 2026-12-07"):
        call_command("record_board_baselines", "--today", "2020-13-01")
    assert not BoardBaseline.objects.exists()
