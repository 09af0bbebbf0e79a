"""Figures of a measure as people read them: '28 weeks', '61.5%', 'Yes'."""

from decimal import Decimal

from django import template

from measures.models import Measure
from measures.services import measure_unit
from measures.variation import plain_number, with_unit

register = template.Library()


@register.filter
def measure_figure(value: Decimal | None, measure: Measure) -> str:
    if value is None:
        return ""
    if measure.kind == Measure.Kind.DELIVERABLE:
        return "Yes" if value else "No"
    return with_unit(value, measure_unit(measure), places=2)


@register.filter
def baseline_figure(measure: Measure) -> str:
    """The baseline with the period it is of: '28 weeks (2019)', or 'Not published'."""
    if measure.baseline is None:
        return "Not published"
    figure = measure_figure(measure.baseline, measure)
    return f"{figure} ({measure.baseline_period})" if measure.baseline_period else figure


@register.filter
def latest_figure(measure: Measure) -> str:
    """The latest whole-area reading with its period: '24 weeks (2021-22 Q3)', or 'No reading
    yet'; for a measure read with its latest reading."""
    latest = measure.latest_reading
    if not latest:
        return "No reading yet"
    return f"{measure_figure(latest.value, measure)} ({latest.period.financial_quarter})"


@register.filter
def plain(value: Decimal | None) -> str:
    return "" if value is None else plain_number(value, places=4)


@register.filter
def since_first_reading(measure: Measure) -> str:
    """How the whole-area figure has moved from the first reading to the latest, for a
    measure from measures_with_trend: 'Down 7 weeks from 28 weeks in 2020-21 Q2'."""
    first, latest = measure.first_reading, measure.latest_reading
    if first is None or latest is None:
        return "No reading yet"
    if first.pk == latest.pk:
        return f"One reading so far, in {first.period.financial_quarter}"
    was = measure_figure(first.value, measure)
    if first.value == latest.value:
        return f"Unchanged since {first.period.financial_quarter} ({was})"
    if measure.kind == Measure.Kind.DELIVERABLE:
        return f"{was} in {first.period.financial_quarter}"
    unit = measure_unit(measure)
    size = abs(latest.value - first.value)
    points = "percentage point" if size == 1 else "percentage points"
    moved = (f"{plain_number(size, places=2)} {points}" if unit == "%"
             else with_unit(size, unit, places=2))
    way = "Up" if latest.value > first.value else "Down"
    return f"{way} {moved} from {was} in {first.period.financial_quarter}"
