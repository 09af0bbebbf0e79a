from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from area_statistics.display import described_comparator
from govuk.forms import add_service_errors
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan, ReportingPeriod
from plans.permissions import can_enter_readings
from plans.selectors import period_for_readings, periods_for_plan, source_of
from send_wsoa.exports import XLSX_CONTENT_TYPE, safe_cell

from . import charts
from .forms import MilestoneTargetForm, PeriodChoiceForm, ReadingForm, UploadForm
from .models import Measure
from .selectors import (
    area_spread,
    described_variation_rows,
    filtered_measures,
    measure_detail,
    measure_for_plan,
    measure_heading,
    milestone_targets,
)
from .services import (
    TEMPLATE_HEADER,
    figure_as_typed,
    is_survey,
    kind_rule,
    measure_unit,
    milestone_target_set,
    readings_import_xlsx,
    readings_record,
    template_rows,
)
from .status import STATUS_HELP
from .variation import BREAKDOWN_NAMES, spread_sentence


def _measure_or_404(plan: Plan, measure_id: int) -> Measure:
    measure = measure_for_plan(plan, measure_id)
    if measure is None:
        raise Http404("No such measure.")
    return measure


def _measure_for_recorder_or_403(request: HttpRequest, plan: Plan, measure_id: int) -> Measure:
    measure = _measure_or_404(plan, measure_id)
    if not can_enter_readings(request.user, plan, measure.outcome.workstream_id):
        raise PermissionDenied
    return measure


@plan_reader_required
def measure_list(request: HttpRequest, plan: Plan) -> HttpResponse:

    def build() -> dict:
        measure_filter, measures = filtered_measures(plan, request.GET)
        return {
            "filter": measure_filter, "measures": measures, "status_help": STATUS_HELP,
            "is_filtered": any(request.GET.get(name) for name in measure_filter.filters),
            "shows_demo_data": plan.has_demo_data,
        }

    return render_page(request, plan, "measures/list.html", {"plan": plan},
                       body_template="measures/_list_body.html", build=build,
                       keep=["shows_demo_data"])


def _detail_context(measure: Measure, can_enter: bool) -> dict:
    data = measure_detail(measure)
    unit = measure_unit(measure)
    trend = [(r.period.financial_quarter, r.value) for r in data["whole_area"]]
    latest_area_period = next((p for p in reversed(data["periods"])
                               if any(k is not None for k in data["by_period"][p.pk])), None)
    variation = None
    if data["areas"]:
        by_area = data["by_period"][latest_area_period.pk] if latest_area_period else {}
        area_rows = [(area.name, by_area[area.pk].value if area.pk in by_area else None)
                     for area in data["areas"]]
        spread = area_spread(by_area, data["areas"]) if latest_area_period else None
        variation = {
            "period": latest_area_period, "rows": area_rows,
            "chart": charts.bar_chart(area_rows) if latest_area_period else None,
            "sentence": spread_sentence(measure.title, spread, unit, measure.area_breakdown)
            if latest_area_period else None,
            "breakdown_name": BREAKDOWN_NAMES.get(measure.area_breakdown, ""),
        }
    table = [{"period": period, "whole": data["by_period"][period.pk].get(None),
              "areas": [data["by_period"][period.pk].get(area.pk) for area in data["areas"]]}
             for period in data["periods"]]
    return {
        "measure": measure, "unit": unit, **data, "table": table,
        "trend": charts.trend_chart(trend, measure.baseline, measure.target) if trend else None,
        "variation": variation, "status_help": STATUS_HELP, "rule": kind_rule(measure),
        "source": source_of(measure),
        "comparator": described_comparator(measure),
        "is_deliverable": measure.kind == Measure.Kind.DELIVERABLE,
        "can_enter": can_enter,
        "milestone_targets": milestone_targets(measure),
        "shows_demo_data": measure.plan.has_demo_data
        or any(r.is_demo for r in data["readings"]),
    }


@plan_reader_required
def detail(request: HttpRequest, plan: Plan, measure_id: int) -> HttpResponse:
    measure = measure_heading(plan, measure_id)
    if measure is None:
        raise Http404("No such measure.")
    can_enter = can_enter_readings(request.user, plan, measure["workstream_id"])
    return render_page(
        request, plan, "measures/detail.html", {"plan": plan, "measure": measure},
        body_template="measures/_detail_body.html",
        build=lambda: _detail_context(_measure_or_404(plan, measure_id), can_enter),
        keep=["shows_demo_data"])


def _period_to_open(request: HttpRequest, measure: Measure) -> ReportingPeriod | None:
    """The period asked for, else the one readings are usually entered for (see
    plans.selectors.period_for_readings); only ever one of the plan's periods."""
    chosen = request.POST.get("period") or request.GET.get("period", "")
    if chosen.isdigit():
        return periods_for_plan(measure.plan_id).filter(pk=int(chosen)).first()
    return period_for_readings(measure.plan_id, timezone.localdate())


@plan_reader_required
@require_http_methods(["GET", "POST"])
def reading_new(request: HttpRequest, plan: Plan, measure_id: int) -> HttpResponse:
    measure = _measure_for_recorder_or_403(request, plan, measure_id)
    data = measure_detail(measure)
    period = _period_to_open(request, measure)
    initial = {}
    if request.method == "GET" and period is not None:
        initial = ReadingForm.initial_for(measure, period.pk, data["by_period"].get(period.pk, {}))
    form = ReadingForm(request.POST or None, measure=measure, areas=data["areas"],
                       initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            saved = readings_record(
                measure=measure, period=cleaned["period"], values_by_area=form.values_by_area(),
                user=request.user, reason=cleaned.get("reason", ""), note=cleaned["note"],
                source=cleaned["source"], sample_size=cleaned.get("sample_size"),
                achieved_on=cleaned.get("achieved_on"), unit=cleaned.get("unit", ""))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            period_name = cleaned["period"].financial_quarter
            if saved:
                messages.success(request, f"{len(saved)} reading{'s' if len(saved) != 1 else ''}"
                                          f" saved for {period_name}.")
            else:
                messages.info(request, f"Nothing changed for {period_name}.")
            return redirect("measures:detail", plan_slug=plan.slug, measure_id=measure.pk)
    return render(request, "measures/reading_form.html", {
        "measure": measure, "form": form, "rule": kind_rule(measure), "period": period,
        "period_form": PeriodChoiceForm(initial={"period": period}, measure=measure,
                                        auto_id="choose_%s"),
        "unit": measure_unit(measure), "survey": is_survey(measure),
        "periods_with_readings": data["periods"],
        "breakdown_name": BREAKDOWN_NAMES.get(measure.area_breakdown, ""),
    })


@plan_reader_required
@require_http_methods(["GET", "POST"])
def milestone_target(request: HttpRequest, plan: Plan, measure_id: int) -> HttpResponse:
    measure = _measure_for_recorder_or_403(request, plan, measure_id)
    form = MilestoneTargetForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            target = milestone_target_set(measure=measure, period=cleaned["period"],
                                          value=cleaned["value"], user=request.user,
                                          reason=cleaned["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            period_name = cleaned["period"].financial_quarter
            messages.success(request, f"Milestone target for {period_name} removed."
                             if target is None else f"Milestone target for {period_name} "
                             f"set to {figure_as_typed(measure, target.value)}.")
            return redirect("measures:detail", plan_slug=plan.slug, measure_id=measure.pk)
    return render(request, "measures/milestone_target_form.html", {
        "measure": measure, "form": form,
        "targets": milestone_targets(measure),
    })


@plan_reader_required
def readings_template(request: HttpRequest, plan: Plan, measure_id: int) -> HttpResponse:
    measure = _measure_for_recorder_or_403(request, plan, measure_id)
    data = measure_detail(measure)
    periods = list(periods_for_plan(measure.plan_id))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Readings"
    sheet.append(TEMPLATE_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in template_rows(measure, periods, data["areas"], data["readings"]):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (12, 32, 12, 40, 16, 16, 32), strict=True):
        sheet.column_dimensions[column].width = width
    guide = workbook.create_sheet("Guidance")
    for line in _guidance(measure, periods, data["areas"]):
        guide.append([safe_cell(line)])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="measure-{measure.pk}-readings.xlsx"'
    return response


def _guidance(measure: Measure, periods, areas) -> list[str]:
    lines = [f"Readings for: {measure.title}",
             "One row per period and area. Leave Area as 'Whole local area' for the "
             "figure for the whole local area.",
             f"Value: {kind_rule(measure)}."]
    if measure.kind == Measure.Kind.DURATION and measure.unit:
        lines.append(f"Values are in {measure.unit}.")
    if is_survey(measure):
        lines.append("Sample size (n): required on the whole-area row of each period.")
    if measure.kind == Measure.Kind.DELIVERABLE:
        lines.append("Date delivered: required when the value is yes, as 2021-03-31.")
    lines.append("Source: where the figures come from (optional). A file without the Source "
                 "column leaves the sources already entered as they are.")
    lines.append("Periods: " + ", ".join(period.financial_quarter for period in periods))
    if areas:
        lines.append("Areas: " + ", ".join(area.name for area in areas))
    lines.append("A value that changes a reading already entered is a correction: give a "
                 "reason when you upload.")
    return lines


@plan_reader_required
@require_http_methods(["GET", "POST"])
def readings_upload(request: HttpRequest, plan: Plan, measure_id: int) -> HttpResponse:
    measure = _measure_for_recorder_or_403(request, plan, measure_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = readings_import_xlsx(measure=measure, file=form.cleaned_data["file"],
                                         user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            problems = error.messages
            form.add_error("file", f"The file was not imported: {len(problems)} "
                                   f"problem{'s' if len(problems) != 1 else ''} to fix, "
                                   "listed below. Nothing was saved.")
        else:
            if saved:
                messages.success(request, f"{len(saved)} reading{'s' if len(saved) != 1 else ''}"
                                          " imported from the spreadsheet.")
            else:
                messages.info(request, "Nothing changed: the spreadsheet matches the readings "
                                       "already entered.")
            return redirect("measures:detail", plan_slug=plan.slug, measure_id=measure.pk)
    return render(request, "measures/upload.html", {
        "measure": measure, "form": form, "problems": problems,
        "template_url": reverse("measures:readings_template",
                                kwargs={"plan_slug": plan.slug, "measure_id": measure.pk}),
    })


def _variation_context(plan) -> dict:
    rows = described_variation_rows(plan)
    return {"rows": rows,
            "shows_demo_data": plan.has_demo_data or any(r["is_demo"] for r in rows)}


@plan_reader_required
def variation(request: HttpRequest, plan: Plan) -> HttpResponse:
    return render_page(request, plan, "measures/variation.html", {"plan": plan},
                       body_template="measures/_variation_body.html",
                       build=lambda: _variation_context(plan), keep=["shows_demo_data"])
