"""Reads of measures and their readings, each in a fixed number of queries."""

import datetime as dt

import django_filters
from django.db.models import F, OuterRef, Prefetch, Subquery

from actions.models import Action
from plans.models import Plan, ReportingPeriod
from plans.querysets import within_plan_span
from send_wsoa.precompiled import precompiled
from workstreams.models import Area, Workstream

from .models import Measure, MeasureReading, MilestoneTarget
from .services import measure_unit
from .status import MeasureStatus, measure_status, status_of
from .variation import Spread, spread_of, spread_sentence, trend_of_spread


def _whole_area_readings_latest_first():
    """For a query of measures: each measure's whole-area readings, the latest first."""
    # Never one of a period after the plan's end: statuses read as at the plan's last period.
    return (MeasureReading.objects.filter(within_plan_span("period__"),
                                          measure=OuterRef("pk"), area__isnull=True)
            .order_by("-period__start"))


def _latest_whole_area_reading_id():
    return Subquery(_whole_area_readings_latest_first().values("pk")[:1])


@precompiled
def _measures_with_latest_reading_id(plan_pk: int):
    # Read by the measures pages, the workstream page and the board pack: compiled once.
    return (Measure.objects.filter(plan_id=plan_pk).select_related("outcome__workstream")
            .annotate(latest_reading_id=_latest_whole_area_reading_id()))


@precompiled
def _latest_readings(plan_pk: int):
    """The latest whole-area reading of each measure of the plan, with its period."""
    return MeasureReading.objects.filter(pk__in=Measure.objects.filter(plan_id=plan_pk).annotate(
        latest_id=_latest_whole_area_reading_id()).values("latest_id")).select_related("period")


def measures_with_status(plan: Plan, today: dt.date | None = None) -> list[Measure]:
    """Every measure of the plan in plan order, with `outcome.workstream` loaded and two
    attributes set: `latest_reading` (the latest whole-area MeasureReading with its period,
    or None) and `status` (a MeasureStatus). Two queries whatever the number of readings."""
    measures = _measures_with_latest_reading_id(plan.pk)
    readings = ({r.pk: r for r in _latest_readings(plan.pk)}
                if any(m.latest_reading_id for m in measures) else {})
    for measure in measures:
        measure.latest_reading = readings.get(measure.latest_reading_id)
        measure.status = status_of(measure, measure.latest_reading, today)
    return measures


def measure_statuses(plan: Plan, today: dt.date | None = None) -> list[tuple[int, MeasureStatus]]:
    """(workstream id, status) of every measure of the plan, as measures_with_status decides
    them, for pages that count the statuses rather than show the measures: one query of the
    few fields the rule reads, with no model objects."""
    rows = _status_fields(plan.pk)
    return [(workstream_id, measure_status(
                kind=kind, direction=direction, baseline=baseline, target=target,
                target_date=target_date, latest=value, achieved_on=achieved_on, today=today))
            for workstream_id, kind, direction, baseline, target, target_date, value,
            achieved_on in rows]


@precompiled
def _status_fields(plan_pk: int):
    """What measure_status reads of each measure; on every dashboard, so compiled once."""
    latest = _whole_area_readings_latest_first()
    # Unordered: counting needs no order, and the default one joins the plan and its area.
    return Measure.objects.filter(plan_id=plan_pk).order_by().values_list(
        "outcome__workstream_id", "kind", "direction", "baseline", "target", "target_date",
        Subquery(latest.values("value")[:1]), Subquery(latest.values("achieved_on")[:1]))


@precompiled
def _first_readings(plan_pk: int):
    """The earliest whole-area reading of each measure of the plan, with its period."""
    first_ids = (Measure.objects.filter(plan_id=plan_pk).annotate(first_id=Subquery(
        MeasureReading.objects.filter(measure=OuterRef("pk"), area__isnull=True)
        .order_by("period__start").values("pk")[:1])).values("first_id"))
    return MeasureReading.objects.filter(pk__in=first_ids).select_related("period")


def measures_with_trend(plan: Plan, today: dt.date | None = None) -> list[Measure]:
    """measures_with_status, each also with `first_reading` (the earliest whole-area
    MeasureReading with its period, or None) for the trend from it to the latest. Three
    queries whatever the number of measures and readings."""
    measures = measures_with_status(plan, today)
    first = {r.measure_id: r for r in _first_readings(plan.pk)}
    for measure in measures:
        measure.first_reading = first.get(measure.pk)
    return measures


def status_choices() -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in MeasureStatus]


class MeasureFilter(django_filters.FilterSet):
    """Filters of the measures list; status is computed, so it is applied after the query."""

    workstream = django_filters.ModelChoiceFilter(
        field_name="outcome__workstream", queryset=Workstream.objects.none(),
        label="Workstream", empty_label="All workstreams")
    data_source = django_filters.ChoiceFilter(label="Data source", empty_label="All data sources")
    status = django_filters.ChoiceFilter(label="Status", choices=status_choices,
                                         empty_label="All statuses", method="keep_all")

    class Meta:
        model = Measure
        fields = ["workstream", "data_source", "status"]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["workstream"].queryset = Workstream.objects.filter(plan=plan)
        sources = (Measure.objects.filter(plan=plan).exclude(data_source="")
                   .order_by("data_source").values_list("data_source", flat=True).distinct())
        self.filters["data_source"].extra["choices"] = lambda: [(s, s) for s in sources]

    def keep_all(self, queryset, name, value):
        return queryset


def filtered_measures(plan: Plan, params) -> tuple[MeasureFilter, list[Measure]]:
    """The measures the list page shows for the filters in `params`."""
    measure_filter = MeasureFilter(params, plan=plan, queryset=Measure.objects.filter(plan=plan))
    measures = measures_with_status(plan)
    if not measure_filter.is_valid():
        return measure_filter, measures
    data = measure_filter.form.cleaned_data
    if data.get("workstream"):
        measures = [m for m in measures if m.outcome.workstream_id == data["workstream"].pk]
    if data.get("data_source"):
        measures = [m for m in measures if m.data_source == data["data_source"]]
    if data.get("status"):
        measures = [m for m in measures if m.status == data["status"]]
    return measure_filter, measures


def measure_for_plan(plan: Plan, measure_id: int) -> Measure | None:
    return (Measure.objects.filter(plan=plan, pk=measure_id)
            .select_related("outcome__workstream").first())


def measure_heading(plan: Plan, measure_id: int) -> dict | None:
    """Just enough of a measure to name it and to know who may enter its readings (pk,
    title, workstream_id): the page itself is usually read from the cache."""
    return (Measure.objects.filter(plan=plan, pk=measure_id)
            .values("pk", "title", workstream_id=F("outcome__workstream_id")).first())


def measure_detail(measure: Measure) -> dict:
    """Everything the measure page shows, in a fixed number of queries: the readings by
    period, the areas of the measure's breakdown and the outcome's linked actions."""
    # None of a period after the plan's end: the page and its chart stop with the plan.
    readings = list(measure.readings.filter(within_plan_span("period__"))
                    .select_related("period", "area", "entered_by")
                    .order_by("period__start", "area__order", "area__name"))
    areas = list(areas_of(measure))
    actions = list(Action.objects.filter(outcomes=measure.outcome).natural_order())
    whole_area = [r for r in readings if r.area_id is None]
    periods: dict[int, ReportingPeriod] = {}
    by_period: dict[int, dict[int | None, MeasureReading]] = {}
    for reading in readings:
        periods.setdefault(reading.period_id, reading.period)
        by_period.setdefault(reading.period_id, {})[reading.area_id] = reading
    latest = whole_area[-1] if whole_area else None
    measure.latest_reading = latest
    measure.status = status_of(measure, latest)
    return {"readings": readings, "whole_area": whole_area, "areas": areas,
            "actions": actions, "periods": list(periods.values()), "by_period": by_period}


def areas_of(measure: Measure):
    if measure.area_breakdown == Measure.AreaBreakdown.NONE:
        return Area.objects.none()
    return Area.objects.filter(plan_id=measure.plan_id, breakdown=measure.area_breakdown).order_by(
        "order", "name")


def area_spread(by_area: dict[int | None, MeasureReading], areas: list[Area]) -> Spread | None:
    values = {area.name: (by_area[area.pk].value if area.pk in by_area else None)
              for area in areas}
    return spread_of(values)


@precompiled
def _measures_with_area_readings(plan_pk: int):
    return (Measure.objects.filter(plan_id=plan_pk).exclude(
        area_breakdown=Measure.AreaBreakdown.NONE).select_related("outcome__workstream")
        .prefetch_related(Prefetch("readings", queryset=MeasureReading.objects.filter(
            within_plan_span("period__"), area__isnull=False).select_related("period")
            .order_by("period__start"))))


@precompiled
def _areas(plan_pk: int):
    return Area.objects.filter(plan_id=plan_pk).order_by("order", "name")


def variation_rows(plan: Plan) -> list[dict]:
    """For every measure with an area breakdown: the spread in its first and latest periods
    with area readings. Three queries whatever the number of readings."""
    measures = _measures_with_area_readings(plan.pk)
    areas_by_breakdown: dict[str, list[Area]] = {}
    for area in _areas(plan.pk):
        areas_by_breakdown.setdefault(area.breakdown, []).append(area)
    rows = []
    for measure in measures:
        areas = areas_by_breakdown.get(measure.area_breakdown, [])
        by_period: dict[int, dict[int, MeasureReading]] = {}
        labels: dict[int, ReportingPeriod] = {}
        for reading in measure.readings.all():
            by_period.setdefault(reading.period_id, {})[reading.area_id] = reading
            labels.setdefault(reading.period_id, reading.period)
        order = list(labels)
        first = order[0] if order else None
        last = order[-1] if order else None
        rows.append({
            "measure": measure, "areas": areas,
            "first_period": labels.get(first), "latest_period": labels.get(last),
            "first_spread": area_spread(by_period[first], areas) if first else None,
            "latest_spread": area_spread(by_period[last], areas) if last else None,
            "is_demo": any(r.is_demo for r in measure.readings.all()),
        })
    return rows


TREND_COLOURS = {"narrowing": "govuk-tag--green", "widening": "govuk-tag--red"}


def described_variation_rows(plan: Plan) -> list[dict]:
    """variation_rows, each with the spreads said in words and the trend of the spread with
    its tag colour, as the variation page and the board pack show them. Three queries."""
    rows = variation_rows(plan)
    for row in rows:
        measure = row["measure"]
        unit = measure_unit(measure)
        row["first_sentence"] = spread_sentence(measure.title, row["first_spread"], unit,
                                                measure.area_breakdown)
        row["latest_sentence"] = spread_sentence(measure.title, row["latest_spread"], unit,
                                                 measure.area_breakdown)
        row["trend"] = trend_of_spread(row["first_spread"], row["latest_spread"]) \
            if row["first_period"] != row["latest_period"] else "only one period so far"
        row["unit"] = unit
        row["trend_colour"] = TREND_COLOURS.get(row["trend"], "govuk-tag--grey")
    return rows


def milestone_targets(measure: Measure) -> list[MilestoneTarget]:
    """The measure's milestone targets, by review point, oldest first."""
    return list(MilestoneTarget.objects.filter(measure=measure).select_related("period")
                .order_by("period__start"))
