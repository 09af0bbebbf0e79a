"""Working days in England: weekdays that are not England and Wales bank holidays. The
calendar is the copy of GOV.UK's list that govuk-bank-holidays ships, read from disk: the
service never asks GOV.UK for it, so a deadline is the same on every server and offline."""

import datetime as dt
import functools

from govuk_bank_holidays.bank_holidays import BankHolidays

EVIDENCE_WORKING_DAYS = 10


@functools.cache
def bank_holidays() -> frozenset[dt.date]:
    calendar = BankHolidays(use_cached_holidays=True)
    return frozenset(holiday["date"] for holiday in
                     calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The working day `count` working days before `day`."""
    while count:
        day -= dt.timedelta(days=1)
        count -= is_working_day(day)
    return day


def working_days_until(today: dt.date, day: dt.date) -> int:
    """Working days left from tomorrow up to and including `day`: 0 when it is today, and
    negative (the working days since) when it has passed."""
    if day < today:
        return -working_days_until(day, today)
    return sum(is_working_day(today + dt.timedelta(days=offset))
               for offset in range(1, (day - today).days + 1))


def evidence_deadline_for(meeting_date: dt.date) -> dt.date:
    """Evidence goes to the advisers about two weeks before the meeting: ten working days."""
    return working_days_before(meeting_date, EVIDENCE_WORKING_DAYS)
