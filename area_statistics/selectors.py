"""Reads of published statistics for a plan's local area: each indicator's latest value and
its value in the plan's baseline year, beside England's and the region's for the same
periods, and its integrated care boards' values with the spread between them. A fixed
number of queries, however many indicators and years are loaded."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from measures.variation import Spread, spread_of
from plans.models import Plan, SourceDocument

from .models import Indicator, MeasureComparator, StatisticArea, StatisticValue, period_end

Level = StatisticArea.Level


def baseline_day(plan: Plan) -> dt.date | None:
    """The day the plan's baseline figures are of: the inspection's start (the figures the
    inspectors found), else the year before the plan started. Published figures of the
    period holding this day are the plan's baseline-year figures."""
    if plan.inspection_start:
        return plan.inspection_start
    if plan.starts_on:
        return plan.starts_on.replace(year=plan.starts_on.year - 1)
    return None


def holds(value: StatisticValue, day: dt.date) -> bool:
    """Whether the value's period holds the day."""
    return value.period_start <= day < period_end(value)


@dataclass
class PeriodRow:
    """One period of an indicator: the area's, England's and the region's values."""

    label: str
    start: dt.date
    area: StatisticValue | None
    england: StatisticValue | None
    region: StatisticValue | None


@dataclass
class IcbRow:
    name: str
    value: StatisticValue | None


@dataclass
class IndicatorFigures:
    indicator: Indicator
    source: SourceDocument
    rows: list[PeriodRow]
    latest: PeriodRow | None
    baseline: PeriodRow | None
    region_name: str
    icb_period: str = ""
    icbs: list[IcbRow] = field(default_factory=list)
    icb_spread: Spread | None = None

    @property
    def first(self) -> PeriodRow | None:
        """The period direction of travel is judged from: the baseline year's, else the
        earliest with both the area's and England's figures."""
        if self.baseline and _both(self.baseline):
            return self.baseline
        return next((row for row in self.rows if _both(row)), None)


def _both(row: PeriodRow) -> bool:
    return bool(row.area and row.area.value is not None and row.england
                and row.england.value is not None)


def direction_against_england(figures: IndicatorFigures) -> str:
    """Whether the area has moved towards or away from England (or ahead of it, or further
    behind), from its first comparable period to its latest, in words."""
    first, latest = figures.first, figures.latest
    if first is None or latest is None or not _both(latest) or first is latest:
        return "Not enough figures to compare with England over time."
    gap_then = first.area.value - first.england.value
    gap_now = latest.area.value - latest.england.value
    unit = "percentage points" if figures.indicator.unit == Indicator.Unit.PERCENT else ""
    then = _gap_words(gap_then, unit)
    now = _gap_words(gap_now, unit)
    moved = f"From {then} in {first.label} to {now} in {latest.label}"
    better = figures.indicator.better
    if gap_now == gap_then or not better:
        change = "wider" if abs(gap_now) > abs(gap_then) else (
            "narrower" if abs(gap_now) < abs(gap_then) else "unchanged")
        return f"{moved}: the gap with England is {change}."
    improved = gap_now > gap_then if better == Indicator.Better.HIGHER else gap_now < gap_then
    return f"{moved}: {'better' if improved else 'worse'} against England."


def _gap_words(gap: Decimal, unit: str) -> str:
    from measures.variation import plain_number

    if gap == 0:
        return "the same as England"
    words = f"{plain_number(abs(gap))} {unit}".rstrip()
    return f"{words} {'above' if gap > 0 else 'below'} England"


def _areas_of(plan: Plan) -> tuple[StatisticArea | None, list[StatisticArea], list[StatisticArea],
                                   list[StatisticArea]]:
    """The plan's local authority, its regions (the DfE's by code, NHS England's by name),
    England and the area's integrated care boards, in one query."""
    local_area = plan.local_area
    region_name = local_area.region.lower()
    ons = local_area.ons_code
    wanted = Q(level=Level.ENGLAND) | Q(local_areas=local_area)
    if ons:
        wanted |= Q(level=Level.LOCAL_AUTHORITY, code=ons) | Q(local_authorities__code=ons)
    if region_name:
        wanted |= Q(level=Level.REGION, key=region_name)
    areas = list(StatisticArea.objects.filter(wanted).distinct().order_by("name"))
    authority = next((a for a in areas if a.level == Level.LOCAL_AUTHORITY), None)
    return (authority, [a for a in areas if a.level == Level.REGION],
            [a for a in areas if a.level == Level.ENGLAND],
            [a for a in areas if a.level == Level.ICB])


def plan_statistics(plan: Plan) -> list[IndicatorFigures]:
    """Every indicator loaded for the plan's local area or its integrated care boards."""
    authority, regions, englands, icbs = _areas_of(plan)
    if authority is None and not icbs:
        return []
    area_ids = {a.pk for a in [authority, *regions, *englands, *icbs] if a is not None}
    values = (StatisticValue.objects.filter(area_id__in=area_ids)
              .select_related("indicator", "source").order_by("indicator_id", "period_start"))
    by_indicator: dict[int, list[StatisticValue]] = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, []).append(value)
    region_ids = {a.pk for a in regions}
    england_ids = {a.pk for a in englands}
    icb_names = {a.pk: a.name for a in icbs}
    day = baseline_day(plan)
    figures = []
    for indicator_values in by_indicator.values():
        own = [v for v in indicator_values if authority and v.area_id == authority.pk]
        icb_values = [v for v in indicator_values if v.area_id in icb_names]
        if not own and not icb_values:
            continue
        indicator = indicator_values[0].indicator
        periods: dict[str, PeriodRow] = {}
        for value in indicator_values:
            row = periods.setdefault(value.period, PeriodRow(
                label=value.period_label, start=value.period_start, area=None, england=None,
                region=None))
            if authority and value.area_id == authority.pk:
                row.area = value
            elif value.area_id in england_ids:
                row.england = value
            elif value.area_id in region_ids:
                row.region = value
        rows = [row for row in sorted(periods.values(), key=lambda r: r.start)
                if row.area is not None or not own]
        region = next((v.area_id for v in indicator_values if v.area_id in region_ids), None)
        item = IndicatorFigures(
            indicator=indicator, source=indicator_values[0].source, rows=rows,
            latest=rows[-1] if rows else None,
            baseline=next((row for row in rows if day and row.area and holds(row.area, day)),
                          None),
            region_name=next((a.name for a in regions if a.pk == region), ""))
        if icb_values:
            latest = max(v.period_start for v in icb_values)
            at_latest = {v.area_id: v for v in icb_values if v.period_start == latest}
            item.icbs = [IcbRow(name, at_latest.get(pk)) for pk, name in icb_names.items()]
            item.icb_period = next(iter(at_latest.values())).period_label
            item.icb_spread = spread_of({row.name: row.value.value if row.value else None
                                         for row in item.icbs})
        figures.append(item)
    # The area's own figures first, then those published for its integrated care boards.
    return sorted(figures, key=lambda f: (not any(row.area for row in f.rows),
                                          f.indicator.name, f.indicator.selection))


def local_authority_of(plan: Plan) -> StatisticArea | None:
    if not plan.local_area.ons_code:
        return None
    return StatisticArea.objects.filter(level=Level.LOCAL_AUTHORITY,
                                        code=plan.local_area.ons_code).first()


def area_values_for_plan(plan: Plan, indicator: Indicator) -> list[StatisticValue]:
    """The indicator's values for the plan's local authority, first period first."""
    return list(StatisticValue.objects.filter(
        indicator=indicator, area__level=Level.LOCAL_AUTHORITY,
        area__code=plan.local_area.ons_code or None).select_related("source")
        .order_by("period_start"))


def indicators_for_plan(plan: Plan):
    """Indicators with figures for the plan's local authority, to link to its measures."""
    return Indicator.objects.filter(
        values__area__level=Level.LOCAL_AUTHORITY,
        values__area__code=plan.local_area.ons_code or None).distinct().order_by("name")


@dataclass
class ComparatorFigures:
    comparator: MeasureComparator
    rows: list[PeriodRow]
    baseline: PeriodRow | None

    def england_by(self, day: dt.date) -> PeriodRow | None:
        """The latest period with England's figure that had ended by `day`: a pack of a
        reporting period never shows a figure for a period still under way at its end."""
        return next((row for row in reversed(self.rows)
                     if row.england is not None and period_end(row.england) <= day), None)


def _comparator_values(plan: Plan, indicator_ids: set[int]) -> dict[int, list[StatisticValue]]:
    """England's and the plan's local authority's values of the indicators, first period
    first, by indicator: one query."""
    values = (StatisticValue.objects.filter(indicator_id__in=indicator_ids)
              .filter(Q(area__level=Level.ENGLAND) | Q(area__level=Level.LOCAL_AUTHORITY,
                                                       area__code=plan.local_area.ons_code))
              .select_related("area", "source").order_by("indicator_id", "period_start"))
    by_indicator: dict[int, list[StatisticValue]] = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, []).append(value)
    return by_indicator


def _figures(plan: Plan, comparator: MeasureComparator,
             values: list[StatisticValue]) -> ComparatorFigures:
    periods: dict[str, PeriodRow] = {}
    for value in values:
        row = periods.setdefault(value.period, PeriodRow(
            label=value.period_label, start=value.period_start, area=None, england=None,
            region=None))
        if value.area.level == Level.ENGLAND:
            row.england = value
        else:
            row.area = value
    rows = list(periods.values())
    day = baseline_day(plan)
    return ComparatorFigures(comparator=comparator, rows=rows, baseline=next(
        (row for row in rows if day and row.england and holds(row.england, day)), None))


def comparator_figures(measure) -> ComparatorFigures | None:
    """The measure's linked indicator with the area's and England's figures by period, for
    the measure page; None when no indicator is linked."""
    comparator = (MeasureComparator.objects.filter(measure=measure)
                  .select_related("indicator__source").first())
    if comparator is None:
        return None
    plan = measure.plan
    values = _comparator_values(plan, {comparator.indicator_id})
    return _figures(plan, comparator, values.get(comparator.indicator_id, []))


def _comparators_as_of(plan: Plan, at: dt.datetime) -> list[MeasureComparator]:
    """The plan's links of indicators to measures as their history held them at `at`."""
    latest: dict[int, dict] = {}
    # Oldest first, so each link's last row by `at` is the one kept.
    for row in (MeasureComparator.history.filter(plan_id=plan.pk, history_date__lte=at)
                .order_by("history_date", "history_id")
                .values("id", "history_type", "measure_id", "indicator_id", "use")):
        latest[row["id"]] = row
    rows = [row for row in latest.values() if row["history_type"] != "-"]
    indicators = Indicator.objects.select_related("source").in_bulk(
        {row["indicator_id"] for row in rows})
    return [MeasureComparator(pk=row["id"], plan=plan, measure_id=row["measure_id"],
                              indicator=indicators[row["indicator_id"]], use=row["use"])
            for row in rows if row["indicator_id"] in indicators]


def comparator_figures_for_plan(plan: Plan, *, as_of: dt.datetime | None = None
                                ) -> dict[int, ComparatorFigures]:
    """comparator_figures for every measure of the plan with a linked indicator, by the
    measure's id, in a fixed number of queries however many measures there are. With
    `as_of`, the links are read as they stood then (a closed period's pack); published
    values have no history of their own, so they are read as loaded."""
    if as_of is None:
        comparators = list(MeasureComparator.objects.filter(plan=plan)
                           .select_related("indicator__source"))
    else:
        comparators = _comparators_as_of(plan, as_of)
    if not comparators:
        return {}
    values = _comparator_values(plan, {c.indicator_id for c in comparators})
    return {c.measure_id: _figures(plan, c, values.get(c.indicator_id, []))
            for c in comparators}


def ofsted_offer(*, area_name: str, plan: Plan | None = None):
    """The Ofsted file's facts to offer a person creating a plan for the local area named
    (or the new `plan`'s area): by the area's ONS code where the product holds one, else
    by its name. None when the file has no such area, or the plan has its facts already."""
    from plans.models import LocalArea

    from .models import OfstedInspection
    from .ofsted import ofsted_facts_for_area

    if plan is not None:
        if OfstedInspection.objects.filter(plan=plan).exists():
            return None
        area = plan.local_area
    else:
        area = LocalArea.objects.filter(name__iexact=area_name).first()
    return ofsted_facts_for_area(name=area.name if area else area_name,
                                 ons_code=area.ons_code if area else "")
