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
def plain(value: Decimal | None) -> str:
    return "" if value is None else plain_number(value, places=4)
