"""Writes to the plan's structure."""

import datetime as dt

from django.db import transaction

from .models import Plan, ReportingPeriod


def quarter_bounds(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The calendar quarter holding `day`: ('2020-Q3', 1 Jul 2020, 30 Sep 2020)."""
    quarter = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * quarter - 2, 1)
    next_start = dt.date(day.year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return f"{day.year}-Q{quarter}", start, next_start - dt.timedelta(days=1)


@transaction.atomic
def period_containing(plan: Plan, day: dt.date) -> ReportingPeriod:
    """The reporting period for `day`, created the first time a quarter is reported on."""
    label, start, end = quarter_bounds(day)
    period, _ = ReportingPeriod.objects.get_or_create(
        plan=plan, label=label, defaults={"start": start, "end": end})
    return period


def ensure_quarters(plan: Plan, first_day: dt.date, last_day: dt.date) -> list[ReportingPeriod]:
    periods = []
    day = first_day
    while day <= last_day:
        period = period_containing(plan, day)
        periods.append(period)
        day = period.end + dt.timedelta(days=1)
    return periods
