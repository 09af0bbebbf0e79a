"""The accessibility statement's plans, in sentences that stay true whatever the date: the
month each is planned for comes from this installation's settings (ACCESSIBILITY_TARGETS),
set by the council that runs it."""

import datetime as dt

# What each target plans to do, finishing "We plan to ...".
TARGETS = {
    "admin_pages_tested": "test them",
    "specialist_audit": "have the service tested with disabled users, including families "
                        "using the public pages, and audited by an accessibility specialist",
}


def _month_after(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def target_sentence(key: str, month: dt.date | None, *, today: dt.date) -> str:
    """"We plan to test them by June 2027." while June 2027 is to come; that the date has
    passed, once it has; that no date is set when none is."""
    what = TARGETS[key]
    if month is None:
        return f"We plan to {what}, and have not yet set a date for this."
    when = f"{month:%B %Y}"
    if today < _month_after(month):
        return f"We plan to {what} by {when}."
    return f"We planned to {what} by {when}, and that date has passed."


def target_sentences(targets: dict[str, dt.date | None], *, today: dt.date) -> dict[str, str]:
    return {key: target_sentence(key, targets.get(key), today=today) for key in TARGETS}
