"""The dates that make sense for a plan: from ten years before its inspection to ten years
after its end. A date outside them (01/01/0001, 31/12/9999) is a slip of the keyboard, and
every date a person enters for the plan is held to them, with a message naming the field."""

import datetime as dt

from django.utils import timezone

from .models import Plan

YEARS_EITHER_SIDE = 10


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, into a year that has none
        return day.replace(year=day.year + years, day=28)


def date_window(plan: Plan) -> tuple[dt.date, dt.date]:
    """(earliest, latest). A plan not yet given its inspection dates is measured from when it
    starts; one still open, from today."""
    today = timezone.localdate()
    inspected = (plan.inspection_start or plan.inspection_end or plan.report_published
                 or plan.starts_on or today)
    ends = plan.ends_on or max(today, inspected)
    return _years_from(inspected, -YEARS_EITHER_SIDE), _years_from(ends, YEARS_EITHER_SIDE)


def outside_window(plan: Plan, value: dt.date | None, *, label: str) -> str:
    """The message for `value` (the field `label`) if it falls outside the plan's dates,
    else ''."""
    if value is None:
        return ""
    earliest, latest = date_window(plan)
    if earliest <= value <= latest:
        return ""
    return (f"{label} must be between {earliest:%-d %B %Y} and {latest:%-d %B %Y}, within "
            f"ten years of the plan's inspection and end")
