"""Writes to plans as a whole: creating a plan with its calendar, extending the calendar,
closing and reopening its periods, its review meetings, and granting and revoking roles."""

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from .models import (
    AgreedDueDate,
    LocalArea,
    Membership,
    Plan,
    ReportingPeriod,
    ReviewMeeting,
)
from .workdays import evidence_deadline_for

Role = Membership.Role


def ensure_plan_open(plan: Plan) -> None:
    """Every write to a plan's records checks this: a closed plan is signed off and kept,
    with its history, for reading only."""
    if plan.is_closed:
        raise ValidationError(f"The {plan.local_area} plan is closed: it was signed off and is "
                              "kept for reading only, so nothing in it can be changed")


def quarter_bounds(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The calendar quarter holding `day`: ('2020-Q3', 1 Jul 2020, 30 Sep 2020)."""
    quarter = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * quarter - 2, 1)
    next_start = dt.date(day.year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return f"{day.year}-Q{quarter}", start, next_start - dt.timedelta(days=1)


def plan_span(plan: Plan, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a plan's reporting periods cover: its start to its end, or, while its end
    is open, to today's quarter."""
    first = plan.starts_on or plan.declared_fit_for_purpose or plan.statement_submitted or today
    last = plan.ends_on or max(first, today)
    return first, last


@transaction.atomic
def reporting_periods_extend(*, plan: Plan, since: dt.date | None = None,
                             through: dt.date | None = None) -> list[ReportingPeriod]:
    """Makes the quarters of the plan's span (or from `since` through `through` when
    given) that do not exist yet, and returns every quarter of it. Run when a plan is
    created and by `extend_reporting_periods`; pages only ever read periods."""
    first, last = plan_span(plan, timezone.localdate())
    first = since or first
    last = max(first, through or last)
    # Every period the plan has, even one after its end, so none is made twice.
    existing = {period.label: period for period in ReportingPeriod.objects.filter(plan=plan)}
    periods = []
    day = first
    while day <= last:
        label, start, end = quarter_bounds(day)
        period = existing.get(label)
        if period is None:
            period = ReportingPeriod.objects.create(plan=plan, label=label, start=start, end=end)
        periods.append(period)
        day = end + dt.timedelta(days=1)
    return periods


@transaction.atomic
def plan_create(*, slug: str, local_area: LocalArea, title: str, reason: str,
                kind: str = Plan.Kind.WSOA, follows: Plan | None = None,
                **fields) -> Plan:
    """A new plan with its reporting periods. An Accelerated Progress Plan carries forward
    the weaknesses its predecessor's revisit did not find resolved."""
    plan = Plan(slug=slug, local_area=local_area, title=title, kind=kind, follows=follows,
                **fields)
    plan.full_clean()
    plan._change_reason = reason
    plan.save()
    reporting_periods_extend(plan=plan)
    if kind == Plan.Kind.APP and follows is not None:
        _carry_forward_weaknesses(plan=plan, follows=follows, reason=reason)
    return plan


def _carry_forward_weaknesses(*, plan: Plan, follows: Plan, reason: str) -> None:
    from workstreams.models import Weakness, WeaknessPoint

    unresolved = Weakness.objects.filter(plan=follows).exclude(
        revisit_judgement__iexact="sufficient progress").prefetch_related("points")
    for number, weakness in enumerate(unresolved, start=1):
        carried = Weakness(plan=plan, number=number, summary=weakness.summary,
                           text=weakness.text, carried_from=weakness,
                           source_document=weakness.source_document,
                           source_passage=weakness.source_passage)
        carried._change_reason = reason
        carried.save()
        for point in weakness.points.all():
            WeaknessPoint.objects.create(weakness=carried, order=point.order, text=point.text)


def check_workstreams(plan: Plan, role: str, workstreams) -> list:
    """A lead leads at least one workstream of the plan; no other role leads any."""
    workstreams = list(workstreams or [])
    if role == Role.LEAD and not workstreams:
        raise ValidationError({"workstreams": "Name the workstreams a lead leads, such as JC"})
    if role != Role.LEAD and workstreams:
        raise ValidationError({"workstreams": "Only a workstream lead leads workstreams"})
    strays = [w for w in workstreams if w.plan_id != plan.pk]
    if strays:
        raise ValidationError({"workstreams": f"{strays[0].code} is not a workstream of "
                                              f"{plan.local_area}"})
    return workstreams


@transaction.atomic
def membership_grant(*, user: User, plan: Plan, role: str, reason: str,
                     workstreams=None, actor: User | None = None) -> tuple[Membership, bool]:
    """Gives `user` the role in the plan; a lead's workstreams are added to those they
    lead already. Returns the membership and whether anything changed. Takes effect on
    the user's next request, and is in the audit trail with `reason`."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the role is given"})
    workstreams = check_workstreams(plan, role, workstreams)
    membership = Membership.objects.filter(user=user, plan=plan, role=role).first()
    changed = membership is None
    if membership is None:
        membership = Membership(user=user, plan=plan, role=role)
        membership._change_reason = reason
        membership._history_user = actor
        membership.save()
    new = [w for w in workstreams if w.pk not in
           set(membership.workstreams.values_list("pk", flat=True))]
    if new:
        membership._change_reason = reason
        membership._history_user = actor
        membership.workstreams.add(*new)
        changed = True
    return membership, changed


@transaction.atomic
def membership_revoke(*, user: User, plan: Plan, role: str, reason: str,
                      actor: User | None = None) -> bool:
    """Takes the role away; False when the user did not hold it."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the role is taken away"})
    membership = Membership.objects.filter(user=user, plan=plan, role=role).first()
    if membership is None:
        return False
    membership._change_reason = reason
    membership._history_user = actor
    membership.delete()
    return True


# Closing reporting periods ------------------------------------------------------------------

REOPENS = "An administrator of the plan can reopen it"
CLOSE_REASON_MAX_CHARS = 1000


def period_closed_message(period: ReportingPeriod) -> str:
    """Why nothing dated in a closed period can be added, and who can change that."""
    return (f"{period.name} is closed: its monitoring pack is final, so nothing dated in it "
            f"can be added or changed. {REOPENS} if it must change")


def ensure_period_open(period: ReportingPeriod) -> None:
    """Every write of a progress update or reading checks this, reading the period afresh
    so a close made a moment ago counts."""
    if ReportingPeriod.objects.filter(pk=period.pk, closed_at__isnull=False).exists():
        raise ValidationError({"period": [period_closed_message(period)]})


def closed_period_holding(plan: Plan | int, day: dt.date) -> ReportingPeriod | None:
    """The plan's closed period that `day` falls in, if any."""
    return ReportingPeriod.objects.filter(plan=plan, start__lte=day, end__gte=day,
                                          closed_at__isnull=False).first()


def _check_reason(reason: str, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [missing]})
    if len(reason) > CLOSE_REASON_MAX_CHARS:
        raise ValidationError({"reason": [
            f"The reason must be {CLOSE_REASON_MAX_CHARS:,} characters or fewer "
            f"(it has {len(reason):,})"]})
    return reason


@transaction.atomic
def reporting_period_close(*, period: ReportingPeriod, user: User,
                           reason: str = "") -> ReportingPeriod:
    """Close a period that has ended: from now its monitoring pack is built from the plan's
    history as it stands at this moment, whatever is edited later."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_plan_open(Plan.objects.get(pk=period.plan_id))
    if period.is_closed:
        raise ValidationError(f"{period.name} is already closed")
    if period.end >= timezone.localdate():
        raise ValidationError(f"{period.name} has not ended yet: close it from "
                              f"{period.end + dt.timedelta(days=1):%-d %B %Y}")
    reason = (reason or "").strip() or f"{period.financial_quarter} closed for the monitoring pack"
    if len(reason) > CLOSE_REASON_MAX_CHARS:
        _check_reason(reason, missing="")
    period.closed_at = timezone.now()
    period.closed_by = user
    period._change_reason = reason
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def reporting_period_reopen(*, period: ReportingPeriod, user: User,
                            reason: str) -> ReportingPeriod:
    """Reopen a closed period (administrators only, checked by the view): its pack follows
    the plan again until it is closed once more."""
    reason = _check_reason(reason, missing="Enter the reason the period is being reopened")
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_plan_open(Plan.objects.get(pk=period.plan_id))
    if not period.is_closed:
        raise ValidationError(f"{period.name} is not closed")
    period.closed_at = None
    period.closed_by = None
    period._change_reason = reason
    period._history_user = user
    period.save()
    return period


# Review meetings --------------------------------------------------------------------------

@transaction.atomic
def review_meeting_create(*, plan: Plan, user: User, kind: str, date: dt.date,
                          period: ReportingPeriod, number: int | None = None,
                          evidence_deadline: dt.date | None = None,
                          invites_dfe_adviser: bool = True, invites_nhse_adviser: bool = True,
                          invites_parent_carer_forum: bool = True) -> ReviewMeeting:
    """A review meeting of the plan; its evidence deadline is ten working days before it
    unless another is agreed."""
    ensure_plan_open(plan)
    errors: dict[str, list[str]] = {}
    if kind not in ReviewMeeting.Kind.values:
        errors["kind"] = ["Select the kind of meeting"]
    if kind == ReviewMeeting.Kind.SUPPORT_AND_CHALLENGE and not number:
        errors["number"] = ["Enter the number of the support and challenge meeting, such as 3"]
    if number is not None and not 1 <= number <= 99:
        errors["number"] = ["The meeting number must be between 1 and 99"]
    if period is None or period.plan_id != plan.pk:
        errors["period"] = ["Select a reporting period of this plan"]
    if date is None:
        errors["date"] = ["Enter the date of the meeting"]
    else:
        evidence_deadline = evidence_deadline or evidence_deadline_for(date)
        if evidence_deadline > date:
            errors["evidence_deadline"] = [
                "The evidence deadline must be on or before the date of the meeting"]
    if errors:
        raise ValidationError(errors)
    meeting = ReviewMeeting(
        plan=plan, kind=kind, date=date, period=period,
        number=number if kind == ReviewMeeting.Kind.SUPPORT_AND_CHALLENGE else None,
        evidence_deadline=evidence_deadline, invites_dfe_adviser=invites_dfe_adviser,
        invites_nhse_adviser=invites_nhse_adviser,
        invites_parent_carer_forum=invites_parent_carer_forum)
    meeting._change_reason = f"{meeting.title} arranged"
    meeting._history_user = user
    meeting.save()
    return meeting


@transaction.atomic
def review_outcome_record(*, meeting: ReviewMeeting, user: User, feedback: str,
                          file: UploadedFile | None = None,
                          agreed_actions: Iterable = ()) -> ReviewMeeting:
    """What the advisers said (their words, and their letter as a file) and the due-date
    moves they agreed: each agreement holds the due date the action had when agreed."""
    from actions.models import Action
    from actions.services import NARRATIVE_MAX_CHARS, evidence_content_type

    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_plan_open(Plan.objects.get(pk=meeting.plan_id))
    errors: dict[str, list[str]] = {}
    feedback = (feedback or "").strip()
    if not feedback and file is None and not meeting.feedback_file:
        errors["feedback"] = ["Enter the advisers' feedback, or attach their letter"]
    if len(feedback) > NARRATIVE_MAX_CHARS:
        errors["feedback"] = [f"Feedback must be {NARRATIVE_MAX_CHARS:,} characters or fewer "
                              f"(it has {len(feedback):,})"]
    if meeting.date > timezone.localdate():
        errors["feedback"] = [f"The meeting is on {meeting.date:%-d %B %Y}: record its outcome "
                              "after it has taken place"]
    content_type = ""
    if file is not None:
        try:
            content_type = evidence_content_type(file)
        except ValidationError as error:
            errors.update(error.message_dict)
    actions = list(Action.objects.filter(pk__in=[a.pk for a in agreed_actions]))
    strays = [a.ref for a in actions if a.plan_id != meeting.plan_id or not a.due_date_moved]
    if strays:
        errors["agreed_actions"] = [f"{strays[0]} has no moved due date in this plan to agree"]
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    meeting.feedback = feedback
    if file is not None:
        extension = PurePath(file.name).suffix.lower()
        # A random stored name: the uploader's file name never becomes a path on disk.
        meeting.feedback_file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
        meeting.feedback_content_type = content_type
    meeting.outcome_recorded_at = now
    meeting.outcome_recorded_by = user
    meeting._change_reason = f"Outcome of {meeting.title} recorded"
    meeting._history_user = user
    meeting.save()
    for action in actions:
        if AgreedDueDate.objects.filter(meeting=meeting, action=action,
                                        due_date=action.current_due_date).exists():
            continue
        agreement = AgreedDueDate(meeting=meeting, action=action,
                                  due_date=action.current_due_date, recorded_at=now,
                                  recorded_by=user)
        agreement._change_reason = (f"Due date of {action.ref} agreed with DfE/NHS England "
                                    f"at {meeting}")
        agreement._history_user = user
        agreement.save()
    return meeting
