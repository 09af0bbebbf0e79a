"""Reads of plans and their calendar."""

import datetime as dt

from django.http import Http404

from .models import Plan, ReportingPeriod
from .permissions import AnyUser, can_read_plan


def plan_for_reader_or_404(user: AnyUser, slug: str) -> Plan:
    plan = Plan.objects.select_related("local_area").filter(slug=slug).first()
    if plan is None or not can_read_plan(user, plan):
        raise Http404("No such plan.")
    return plan


def plans_readable_by(user: AnyUser) -> list[Plan]:
    return list(Plan.objects.readable_by(user).select_related("local_area")
                .order_by("local_area__name", "slug"))


def periods_for_plan(plan: Plan):
    return ReportingPeriod.objects.for_plan(plan).order_by("start")


def current_period(plan: Plan, today: dt.date) -> ReportingPeriod | None:
    """The plan's current reporting period (see ReportingPeriodQuerySet.current)."""
    return ReportingPeriod.objects.for_plan(plan).current(today).first()
