"""Exceptions before the board: scheduling a meeting raises one for exactly the actions the
rules name, once; leads write a commentary; the dashboard and board pack show it, or say in
bold that there is none; past meetings keep what they were told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Rag
from dashboard.models import BoardException
from dashboard.services import board_meeting_schedule, exception_commentary_write
from plans.models import BoardMeeting
from tests.factories import ActionFactory, ProgressUpdateFactory, ReportingPeriodFactory

TODAY = dt.date(2020, 10, 15)
LAST_BOARD = dt.date(2020, 8, 15)


@pytest.fixture
def q3(plan):
    return ReportingPeriodFactory(plan=plan, label="2020-Q3", start=dt.date(2020, 7, 1),
                                  end=dt.date(2020, 9, 30))


def _exceptions(meeting) -> dict[str, list[str]]:
    return {e.action.ref: e.reasons for e in meeting.exceptions.select_related("action")}


def test_scheduling_a_meeting_raises_exceptions_for_exactly_the_actions_the_rules_name(
        plan, jc, q3, officer):
    BoardMeeting.objects.create(plan=plan, date=LAST_BOARD)
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED)
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.GREEN,
                  current_due_date=dt.date(2020, 9, 30))
    worse = ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.AMBER,
                          current_due_date=dt.date(2021, 3, 31))
    ProgressUpdateFactory(action=worse, period=q3, date=dt.date(2020, 7, 1), rag=Rag.GREEN)
    ProgressUpdateFactory(action=worse, period=q3, date=dt.date(2020, 9, 1), rag=Rag.AMBER)
    better = ActionFactory(plan=plan, workstream=jc, ref="JC4", ref_number=4, rag=Rag.GREEN,
                           current_due_date=dt.date(2021, 3, 31))
    ProgressUpdateFactory(action=better, period=q3, date=dt.date(2020, 7, 1), rag=Rag.AMBER)
    ProgressUpdateFactory(action=better, period=q3, date=dt.date(2020, 9, 1), rag=Rag.GREEN)
    # Blue and past its due date: done, so not overdue.
    ActionFactory(plan=plan, workstream=jc, ref="JC5", ref_number=5, rag=Rag.BLUE,
                  current_due_date=dt.date(2020, 9, 1))

    meeting = board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 11, 10),
                                     commentary_deadline=dt.date(2020, 11, 3), today=TODAY)

    assert _exceptions(meeting) == {
        "JC1": ["Red"], "JC2": ["overdue"], "JC3": ["RAG worse since the last board"]}


def test_a_due_date_moved_since_the_last_board_is_an_exception(plan, jc, officer):
    BoardMeeting.objects.create(plan=plan, date=LAST_BOARD)
    # In the plan since July: its first history record is dated then.
    moved = ActionFactory.build(plan=plan, workstream=jc, ref="JC1", ref_number=1,
                                rag=Rag.GREEN, current_due_date=dt.date(2021, 3, 31))
    moved._history_date = dt.datetime(2020, 7, 1, tzinfo=dt.UTC)
    moved.save()
    moved.current_due_date = dt.date(2021, 6, 30)
    moved._history_date = dt.datetime(2020, 9, 1, tzinfo=dt.UTC)
    moved.save()

    meeting = board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 11, 10),
                                     commentary_deadline=dt.date(2020, 11, 3), today=TODAY)

    assert _exceptions(meeting) == {"JC1": ["due date moved since the last board"]}


def test_each_meeting_keeps_its_own_exceptions_as_they_stood(plan, jc, officer):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED)
    first = board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 11, 10),
                                   commentary_deadline=dt.date(2020, 11, 3), today=TODAY)
    action.rag = Rag.GREEN
    action.save()

    second = board_meeting_schedule(plan=plan, user=officer, date=dt.date(2021, 1, 12),
                                    commentary_deadline=dt.date(2021, 1, 5), today=TODAY)

    kept = BoardException.objects.get(meeting=first)
    assert (kept.action_id, kept.rag, kept.reasons) == (action.pk, Rag.RED, ["Red"])
    assert not second.exceptions.exists()
    with pytest.raises(ValidationError) as refused:
        board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 11, 10),
                               commentary_deadline=dt.date(2020, 11, 3), today=TODAY)
    assert refused.value.message_dict["date"] == ["The board already meets on 10 November 2020"]


def test_a_meeting_in_the_past_or_a_deadline_after_it_is_refused_by_field(plan, officer):
    with pytest.raises(ValidationError) as refused:
        board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 10, 1),
                               commentary_deadline=dt.date(2020, 11, 3), today=TODAY)
    assert refused.value.message_dict["date"] == [
        "The date of the meeting must be today or in the future"]
    with pytest.raises(ValidationError) as refused:
        board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 11, 10),
                               commentary_deadline=dt.date(2020, 11, 20), today=TODAY)
    assert refused.value.message_dict["commentary_deadline"] == [
        "Commentaries must be due on or before the meeting"]


@pytest.fixture
def upcoming(plan, jc, officer):
    today = timezone.localdate()
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED,
                  title="Joint commissioning strategy")
    return board_meeting_schedule(plan=plan, user=officer, date=today + dt.timedelta(days=20),
                                  commentary_deadline=today + dt.timedelta(days=10))


def test_a_leads_commentary_reaches_the_dashboard_and_the_board_pack(client, plan, jc,
                                                                     jc_lead, upcoming):
    exception = upcoming.exceptions.get()
    client.force_login(jc_lead)
    dashboard = reverse("dashboard:home", kwargs={"plan_slug": plan.slug})
    assert "<strong>No commentary yet.</strong>" in client.get(dashboard).content.decode()
    worklist = client.get(reverse("your_actions", kwargs={"plan_slug": plan.slug}))
    form_url = reverse("dashboard:exception_commentary",
                       kwargs={"plan_slug": plan.slug, "exception_id": exception.pk})
    assert form_url in worklist.content.decode()

    response = client.post(form_url, {
        "what_went_wrong": "The provider withdrew in September.",
        "what_is_being_done": "A new tender closes on 30 November.",
        "board_asked_to": "decide"})

    assert response.status_code == 302
    for page in (dashboard, reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug})):
        html = client.get(page).content.decode()
        assert "The provider withdrew in September." in html
        assert "A new tender closes on 30 November." in html
        assert "No commentary yet" not in html
    board_pack = client.get(reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug}))
    html = board_pack.content.decode()
    assert html.index('id="exceptions"') < html.index('id="since-last-board"')
    assert form_url not in client.get(
        reverse("your_actions", kwargs={"plan_slug": plan.slug})).content.decode()


def test_a_commentary_names_each_missing_field(client, plan, jc_lead, upcoming):
    exception = upcoming.exceptions.get()
    client.force_login(jc_lead)

    response = client.post(reverse("dashboard:exception_commentary", kwargs={
        "plan_slug": plan.slug, "exception_id": exception.pk}), {"what_went_wrong": " "})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter what went wrong" in page
    assert "Enter what is being done" in page
    assert "Select what the board is asked to do" in page


def test_once_the_board_has_met_its_exceptions_are_not_rewritten(plan, jc, jc_lead, officer):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED)
    meeting = board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 11, 10),
                                     commentary_deadline=dt.date(2020, 11, 3), today=TODAY)

    with pytest.raises(ValidationError) as refused:
        exception_commentary_write(exception=meeting.exceptions.get(), user=jc_lead,
                                   what_went_wrong="Late.", what_is_being_done="Chasing.",
                                   board_asked_to="note")
    assert "The board met on 10 November 2020" in refused.value.messages[0]


def test_an_officer_schedules_a_meeting_from_the_dashboard(client, plan, jc, officer):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED,
                  current_due_date=None)
    client.force_login(officer)
    today = timezone.localdate()
    new = reverse("dashboard:board_meeting_new", kwargs={"plan_slug": plan.slug})
    assert new in client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})
                             ).content.decode()

    response = client.post(new, {"date": f"{today + dt.timedelta(days=14):%d/%m/%Y}",
                                 "commentary_deadline": f"{today + dt.timedelta(days=7):%d/%m/%Y}"})

    assert response.status_code == 302
    meeting = BoardMeeting.objects.get(plan=plan)
    assert _exceptions(meeting) == {"JC1": ["Red"]}
    assert meeting.history.latest().history_change_reason == "Board meeting scheduled"
