"""Reusable filters over plans and their calendar; selectors compose these."""

import datetime as dt

from django.db import models
from django.db.models import F, Q


class PlanQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The plans a person holds any role in; site administrators read every plan."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


def within_plan_span(through: str = "") -> Q:
    """Periods (or, `through` a relation such as "period__", rows of a period) of their
    plan's span, which ends with the plan. A plan whose end was open once had quarters made
    up to the day; those after the end it now has stay in the database, with anything
    entered in them, and no page lists, charts or reports on them."""
    return (Q(**{f"{through}plan__ends_on__isnull": True})
            | Q(**{f"{through}start__lte": F(f"{through}plan__ends_on")}))


class ReportingPeriodQuerySet(models.QuerySet):
    def for_plan(self, plan):
        """The plan's (or plan id's) periods: those of its span (see within_plan_span)."""
        return self.filter(within_plan_span(), plan=plan)

    def current(self, today: dt.date):
        """The one definition of a plan's current period (on `for_plan`): the period
        holding today, else the latest that has begun, so it is never later than the
        plan's last period. A queryset of at most one period."""
        return self.filter(start__lte=today).order_by("-start")[:1]

    def latest_ended(self, today: dt.date):
        """The latest period that has ended by `today` (on `for_plan`, so never one after
        the plan's last): the one figures are usually entered for."""
        return self.filter(end__lte=today).order_by("-start")[:1]


class MembershipQuerySet(models.QuerySet):
    def of(self, user, plan):
        return self.filter(user=user, plan=plan)
