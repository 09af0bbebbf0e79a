from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from measures.selectors import measure_for_plan
from measures.variation import spread_sentence
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_enter_readings

from . import charts
from .display import UNITS, figure
from .forms import ComparatorForm
from .models import MeasureComparator, OfstedInspection, StatisticValue
from .selectors import IndicatorFigures, direction_against_england, plan_statistics
from .services import measure_comparator_link


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
            "inspection": OfstedInspection.objects.filter(plan=plan).select_related(
                "source").first(),
            "indicators": [_described(plan, item) for item in plan_statistics(plan)]}


@plan_reader_required
def statistics(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The area's published figures beside England's and its region's: facts, not the
    plan's own readings, so no page of them is illustrative."""
    return render_page(request, plan, "statistics/statistics.html",
                       {"plan": plan, "shows_demo_data": False},
                       body_template="statistics/_statistics_body.html",
                       build=lambda: _statistics_context(plan))


@plan_reader_required
@require_http_methods(["GET", "POST"])
def comparator(request: HttpRequest, plan: Plan, measure_id: int) -> HttpResponse:
    """An officer (or the measure's workstream lead) links a published figure to the
    measure, as England's comparator or as the measure's own published series."""
    measure = measure_for_plan(plan, measure_id)
    if measure is None:
        raise Http404("No such measure.")
    if not can_enter_readings(request.user, plan, measure.outcome.workstream_id):
        raise PermissionDenied
    current = MeasureComparator.objects.filter(measure=measure).first()
    initial = {"indicator": current.indicator_id, "use": current.use} if current else {}
    form = ComparatorForm(request.POST or None, measure=measure, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            _, adopted = measure_comparator_link(
                measure=measure, indicator=cleaned["indicator"], use=cleaned["use"],
                user=request.user, reason=cleaned["reason"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            message = f"{cleaned['indicator'].name} is linked to this measure."
            if adopted is not None:
                message += (f" {len(adopted.readings)} readings"
                            f"{' and the baseline' if adopted.baseline else ''} taken from the "
                            "file.")
                if adopted.outside:
                    message += (" Not taken, being outside the plan's reporting periods: "
                                f"{', '.join(adopted.outside)}.")
            messages.success(request, message)
            return redirect("measures:detail", plan_slug=plan.slug, measure_id=measure.pk)
    return render(request, "statistics/comparator_form.html",
                  {"measure": measure, "form": form, "current": current})
