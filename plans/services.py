"""Writes to plans as a whole: creating a plan with its calendar, extending the calendar,
and granting and revoking roles in a plan."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import LocalArea, Membership, Plan, ReportingPeriod

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
