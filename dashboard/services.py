"""Writes for the board's cycle: scheduling a meeting raises its exceptions, and each
exception's lead writes a commentary on it before the meeting."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from actions.models import Action
from actions.services import NARRATIVE_MAX_CHARS
from plans.models import BoardMeeting, Plan
from plans.selectors import as_at
from plans.services import ensure_plan_open

from .models import BoardBaseline, BoardException
from .selectors import (
    NO_DUE_DATE_THEN,
    actions_then_and_now,
    end_of_day,
    exception_reasons,
)

# A meeting is scheduled a while ahead, never years.
LATEST_MEETING_YEARS = 2


@transaction.atomic
def board_meeting_schedule(*, plan: Plan, user: User, date: dt.date,
                           commentary_deadline: dt.date, notes: str = "",
                           today: dt.date | None = None) -> BoardMeeting:
    """Put the board's next meeting in the plan, and raise an exception for every action
    that is Red, overdue, or since the last board moved its due date or went down a
    colour; each is kept with this meeting as it stood today."""
    ensure_plan_open(plan)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = ["Enter the date of the meeting"]
    elif date < today:
        errors["date"] = ["The date of the meeting must be today or in the future"]
    elif date > today.replace(year=today.year + LATEST_MEETING_YEARS):
        errors["date"] = [f"The date of the meeting must be within {LATEST_MEETING_YEARS} "
                          "years of today"]
    elif BoardMeeting.objects.filter(plan=plan, date=date).exists():
        errors["date"] = [f"The board already meets on {date:%-d %B %Y}"]
    if commentary_deadline is None:
        errors["commentary_deadline"] = ["Enter the date commentaries are due"]
    elif date and commentary_deadline > date:
        errors["commentary_deadline"] = ["Commentaries must be due on or before the meeting"]
    elif commentary_deadline < today:
        errors["commentary_deadline"] = ["The date commentaries are due must be today or "
                                         "in the future"]
    if len(notes) > NARRATIVE_MAX_CHARS:
        errors["notes"] = [f"Notes must be {NARRATIVE_MAX_CHARS:,} characters or fewer "
                           f"(it has {len(notes):,})"]
    if errors:
        raise ValidationError(errors)

    meeting = BoardMeeting(plan=plan, date=date, commentary_deadline=commentary_deadline,
                           notes=notes.strip())
    meeting._change_reason = "Board meeting scheduled"
    meeting._history_user = user
    meeting.save()
    reasons = exception_reasons(plan, today)
    standing = Action.objects.filter(pk__in=reasons).values_list("pk", "rag",
                                                                 "current_due_date")
    for pk, rag, due_date in standing:
        why = reasons[pk]
        exception = BoardException(
            plan=plan, meeting=meeting, action_id=pk, rag=rag, due_date=due_date,
            is_red=why.is_red, is_overdue=why.is_overdue, due_date_moved=why.due_date_moved,
            rag_worsened=why.rag_worsened)
        exception._change_reason = f"Exception raised for the board on {date:%-d %B %Y}"
        exception._history_user = user
        exception.save()
    return meeting


@transaction.atomic
def exception_commentary_write(*, exception: BoardException, user: User,
                               what_went_wrong: str, what_is_being_done: str,
                               board_asked_to: str) -> BoardException:
    """The lead's commentary for the board: what went wrong, what is being done and what the
    board is asked to do. Written, or rewritten, until the meeting; then it is the record of
    what the board was told."""
    exception = BoardException.objects.select_for_update().select_related(
        "meeting", "plan").get(pk=exception.pk)
    ensure_plan_open(exception.plan)
    errors: dict[str, list[str]] = {}
    if exception.meeting.date < timezone.localdate():
        errors["__all__"] = [f"The board met on {exception.meeting.date:%-d %B %Y}: its "
                             "exceptions are kept as the board read them"]
    for name, value, label in (("what_went_wrong", what_went_wrong, "What went wrong"),
                               ("what_is_being_done", what_is_being_done,
                                "What is being done")):
        if not value or not value.strip():
            errors[name] = [f"Enter {label.lower()}"]
        elif len(value) > NARRATIVE_MAX_CHARS:
            errors[name] = [f"{label} must be {NARRATIVE_MAX_CHARS:,} characters or fewer "
                            f"(it has {len(value):,})"]
    if board_asked_to not in BoardException.Ask.values:
        errors["board_asked_to"] = ["Select what the board is asked to do"]
    if errors:
        raise ValidationError(errors)
    exception.what_went_wrong = what_went_wrong.strip()
    exception.what_is_being_done = what_is_being_done.strip()
    exception.board_asked_to = board_asked_to
    exception.commentary_by = user
    exception.commentary_at = timezone.now()
    exception._change_reason = f"Commentary for the board on {exception.meeting.date:%-d %B %Y}"
    exception._history_user = user
    exception.save()
    return exception


@transaction.atomic
def board_baseline_record(*, plan: Plan, today: dt.date | None = None,
                          afresh: bool = False) -> BoardBaseline | None:
    """Record the plan as the board left its last meeting, once the meeting day is over:
    each action's RAG and due date then, as changes_since reads them from the history, so
    that "since the last board" reads them from here. Run every day (the
    record_board_baselines command) and after loading history; progress updates dated
    on or before the meeting keep it current (actions.services). A baseline is recorded
    once; `afresh` records it again, for a load that wrote history behind it. An earlier
    meeting's baseline, no longer read, is removed. None when the board has not yet met."""
    # The last meeting as the dashboard reads it: a closed plan's, as at its end.
    today = as_at(plan, today or timezone.localdate())
    # Locked, as a progress update locks the meetings it could change, so that one never
    # lands between reading the history and recording it.
    meeting = (BoardMeeting.objects.select_for_update().filter(plan=plan, date__lt=today)
               .order_by("-date").first())
    if meeting is None:
        return None
    if not afresh:
        recorded = BoardBaseline.objects.filter(meeting=meeting, date=meeting.date).first()
        if recorded is not None:
            return recorded
    BoardBaseline.objects.filter(meeting__plan=plan).delete()
    baseline = BoardBaseline.objects.create(meeting=meeting, date=meeting.date,
                                            recorded_at=timezone.now())
    actions_sql, params = actions_then_and_now.sql(plan.pk, meeting.date, end_of_day(meeting.date))
    quote = connection.ops.quote_name
    table = quote(baseline.actions.model._meta.db_table)
    with connection.cursor() as cursor:
        # Only the models' own names are written into the SQL; the values are parameters.
        cursor.execute(
            f"INSERT INTO {table} ({quote('baseline_id')}, {quote('action_id')}, "  # noqa: S608
            f"{quote('rag')}, {quote('existed')}, {quote('due_date')}) "
            f"SELECT %s, pk, rag_then, due_then IS NOT NULL, NULLIF(due_then, %s) "
            f"FROM ({actions_sql}) AS r", [baseline.pk, NO_DUE_DATE_THEN, *params])
    return baseline
