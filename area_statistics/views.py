from decimal import Decimal

from django.http import HttpRequest, HttpResponse

from measures.variation import spread_sentence, with_unit
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan

from . import charts
from .models import Indicator, StatisticValue
from .selectors import IndicatorFigures, direction_against_england, plan_statistics

UNITS = {Indicator.Unit.PERCENT: "%", Indicator.Unit.WEEKS: "weeks"}


def figure(value: StatisticValue | None, unit: str) -> str:
    """A published value as people write it ('74.2%', '1,122'), or why there is none."""
    if value is None:
        return "Not published"
    if value.value is None:
        return value.not_available[:1].upper() + value.not_available[1:]
    return with_unit(value.value, UNITS.get(unit, ""))


def _number(value: StatisticValue | None) -> Decimal | None:
    return value.value if value is not None else None


def _described(plan: Plan, figures: IndicatorFigures) -> dict:
    unit = figures.indicator.unit
    local = plan.local_area.name
    has_area = any(row.area for row in figures.rows)
    series = [("area", local, [_number(r.area) for r in figures.rows])] if has_area else []
    if figures.region_name:
        series.append(("region", figures.region_name, [_number(r.region) for r in figures.rows]))
    series.append(("england", "England", [_number(r.england) for r in figures.rows]))
    latest, baseline = figures.latest, figures.baseline
    summary = []
    if has_area and latest:
        summary.append(f"{local} {figure(latest.area, unit)} in {latest.label}, England "
                       f"{figure(latest.england, unit)}"
                       + (f", {figures.region_name} {figure(latest.region, unit)}."
                          if figures.region_name else "."))
    if has_area and baseline and baseline is not latest:
        summary.append(f"In {baseline.label}: {local} {figure(baseline.area, unit)}, England "
                       f"{figure(baseline.england, unit)}.")
    return {
        "indicator": figures.indicator, "source": figures.source,
        "has_area": has_area, "region_name": figures.region_name,
        "latest": latest and {"label": latest.label, "area": figure(latest.area, unit),
                              "england": figure(latest.england, unit),
                              "region": figure(latest.region, unit)},
        "baseline": baseline and {"label": baseline.label, "area": figure(baseline.area, unit),
                                  "england": figure(baseline.england, unit),
                                  "region": figure(baseline.region, unit)},
        "direction": direction_against_england(figures) if has_area else "",
        "summary": " ".join(summary),
        "chart": charts.line_chart([row.label for row in figures.rows], series)
        if figures.rows else None,
        "rows": [{"label": row.label, "area": figure(row.area, unit),
                  "region": figure(row.region, unit), "england": figure(row.england, unit)}
                 for row in figures.rows],
        "icbs": [{"name": row.name, "figure": figure(row.value, unit)} for row in figures.icbs],
        "icb_period": figures.icb_period,
        "icb_sentence": spread_sentence(figures.indicator.name, figures.icb_spread,
                                        UNITS.get(unit, ""), "integrated care boards")
        if figures.icbs else "",
    }


def _statistics_context(plan: Plan) -> dict:
    return {"plan": plan,
            "indicators": [_described(plan, item) for item in plan_statistics(plan)]}


@plan_reader_required
def statistics(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The area's published figures beside England's and its region's: facts, not the
    plan's own readings, so no page of them is illustrative."""
    return render_page(request, plan, "statistics/statistics.html",
                       {"plan": plan, "shows_demo_data": False},
                       body_template="statistics/_statistics_body.html",
                       build=lambda: _statistics_context(plan))
