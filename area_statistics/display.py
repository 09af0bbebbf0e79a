"""Published figures as pages write them."""

import datetime as dt

from measures.variation import with_unit

from .models import Indicator, StatisticValue
from .selectors import ComparatorFigures, comparator_figures

NOT_HELD = "Not held"

UNITS = {Indicator.Unit.PERCENT: "%", Indicator.Unit.WEEKS: "weeks"}


def figure(value: StatisticValue | None, unit: str) -> str:
    """A published value as people write it ('74.2%', '1,122'), or why there is none."""
    if value is None:
        return "Not published"
    if value.value is None:
        return value.not_available[:1].upper() + value.not_available[1:]
    return with_unit(value.value, UNITS.get(unit, ""))


def described_comparator(measure) -> dict | None:
    """The measure page's "England" beside the area's figure, by published period."""
    found = comparator_figures(measure)
    if found is None:
        return None
    indicator = found.comparator.indicator
    unit = indicator.unit
    return {
        "indicator": indicator, "use": found.comparator.get_use_display(),
        "is_series": found.comparator.use == found.comparator.Use.SERIES,
        "source": indicator.source,
        "baseline": found.baseline and {"label": found.baseline.label,
                                        "england": figure(found.baseline.england, unit),
                                        "area": figure(found.baseline.area, unit)},
        "latest": found.rows[-1] and {"label": found.rows[-1].label,
                                      "england": figure(found.rows[-1].england, unit),
                                      "area": figure(found.rows[-1].area, unit)}
        if found.rows else None,
        "rows": [{"label": row.label, "area": figure(row.area, unit),
                  "england": figure(row.england, unit)} for row in found.rows],
    }


def england_cited(found: ComparatorFigures | None, *, by: dt.date) -> str:
    """England's figure beside a measure, with its period and source, from the latest
    period ended by `by` (the day after a reporting period ends): "England 60.4% (2019).
    Department for Education, dfe_ehc_plans_sen2_2014_2022.csv, row 12"; "Not held" when
    no indicator is linked or England has no figure for such a period."""
    row = found.england_by(by) if found is not None else None
    if row is None:
        return NOT_HELD
    value, unit = row.england, found.comparator.indicator.unit
    return (f"England {figure(value, unit)} ({row.label}). {value.source.publisher}, "
            f"{value.source.file}, row {value.row}")
