import datetime as dt

from django import template

from public.words import progress_tag

register = template.Library()


@register.filter
def progress_colour(key: str) -> str:
    """The GOV.UK tag colour of a progress key: a second cue beside the words."""
    return progress_tag(key)


@register.filter
def public_date(value: str | None) -> str:
    """An ISO date of the page's content as GOV.UK writes dates: 3 December 2026."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"
