"""Reusable filters over plans and their calendar; selectors compose these."""

import datetime as dt

from django.db import models


class PlanQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The plans a person holds any role in; site administrators read every plan."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class ReportingPeriodQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def current(self, today: dt.date):
        """The one definition of a plan's current period: the period holding today, else
        the latest that has begun, so it is never later than the plan's last period.
        A queryset of at most one period."""
        return self.filter(start__lte=today).order_by("-start")[:1]


class MembershipQuerySet(models.QuerySet):
    def of(self, user, plan):
        return self.filter(user=user, plan=plan)
