"""Writes of published statistics: loading an indicator from a file, all or nothing, so
that loading the same file twice changes nothing."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from plans.models import SourceDocument

from .models import (
    Indicator,
    MeasureComparator,
    OfstedInspection,
    StatisticArea,
    StatisticValue,
    period_end,
)
from .reading import FileRead, FileRefused, read_file, selection_text

# The published files the product ships (fixtures/published/), named as their publishers
# name them, so a value loaded from one cites it without being told.
KNOWN_FILES = {
    "dfe_ehc_plans_sen2_2014_2022.csv": (
        "Department for Education",
        "Education, health and care plans (SEN2), Explore Education Statistics",
        None),
    "nhs_community_health_waiting_lists_2023.csv": (
        "NHS England",
        "Community Health Services waiting lists, children and young people, 2023",
        None),
    "ofsted_area_send_inspections_2016_2022.csv": (
        "Ofsted",
        "Area SEND inspections and outcomes in England as at 31 August 2022",
        dt.date(2022, 11, 17)),
}
REASON = "Loaded from a published statistics file"


@dataclass
class LoadResult:
    indicator: Indicator | None
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    areas_created: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        text = (f"{self.created} values {verb} added, {self.changed} changed and "
                f"{self.unchanged} already loaded; {self.areas_created} new areas")
        if self.skipped:
            text += "; rows not loaded (levels not held): " + ", ".join(
                f"{level} {count}" for level, count in sorted(self.skipped.items()))
        return text


class DryRun(Exception):
    """Raised inside the load's transaction to undo it after counting what it would do."""


def source_document_for(*, file: str, publisher: str = "", title: str = "") -> SourceDocument:
    """The file's SourceDocument, made the first time from what is given or known of it."""
    known = KNOWN_FILES.get(file, ("", "", None))
    publisher, title = publisher or known[0], title or known[1]
    document = SourceDocument.objects.filter(file=file).first()
    if document is not None:
        return document
    if not publisher:
        raise FileRefused([f"Name the publisher of {file} with --publisher, such as "
                           "“Department for Education”"])
    document = SourceDocument(file=file, publisher=publisher, title=title or file,
                              published_on=known[2])
    document._change_reason = REASON
    document.full_clean()
    document.save()
    return document


def _areas(read: FileRead) -> tuple[dict[tuple[str, str], StatisticArea], int]:
    existing = {(area.level, area.key): area for area in StatisticArea.objects.filter(
        key__in={key for _, key in read.areas})}
    created = 0
    # Regions first, so a local authority can point at its region.
    for (level, key), seen in sorted(read.areas.items(),
                                     key=lambda item: item[0][0] != StatisticArea.Level.REGION):
        area = existing.get((level, key))
        if area is None:
            area = StatisticArea(level=level, key=key, name=seen.name, code=seen.code)
            created += 1
        region = None
        if seen.region_key:
            region = existing.get((StatisticArea.Level.REGION, seen.region_key)) or (
                StatisticArea.objects.filter(level=StatisticArea.Level.REGION,
                                             key=seen.region_key).first())
        if area.pk is None or (region is not None and area.region_id != region.pk):
            area.region = region or area.region
            area.save()
        existing[(level, key)] = area
    return existing, created


@transaction.atomic
def statistics_load(*, path: Path, indicator: str, name: str, unit: str, better: str = "",
                    where: dict[str, str] | None = None, layout: str = "ees",
                    publisher: str = "", title: str = "", dry_run: bool = False) -> LoadResult:
    """Loads column `indicator` of the file (the rows `where` chooses) as an indicator named
    `name`, one value per area and period, each citing the file. All or nothing: raises
    FileRefused listing every fault; values already loaded and unchanged are left alone."""
    where = where or {}
    if unit not in Indicator.Unit.values:
        raise FileRefused([f"--unit must be one of {', '.join(Indicator.Unit.values)}"])
    if better not in Indicator.Better.values:
        raise FileRefused(["--better must be higher or lower"])
    if not name.strip():
        raise FileRefused(["--name must say what the figure is, such as “New EHC plans "
                           "issued within 20 weeks”"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FileRefused([f"{path.name} cannot be read as a CSV file: {error}"]) from None
    read = read_file(text, indicator=indicator, unit=unit, where=where, layout=layout)
    try:
        with transaction.atomic():
            result = _store(read, path=path, indicator=indicator, name=name.strip(), unit=unit,
                            better=better, where=where, publisher=publisher, title=title)
            if dry_run:
                result.dry_run = True
                raise DryRun
    except DryRun:
        pass
    return result


def _store(read: FileRead, *, path: Path, indicator: str, name: str, unit: str, better: str,
           where: dict[str, str], publisher: str, title: str) -> LoadResult:
    source = source_document_for(file=path.name, publisher=publisher, title=title)
    record, _ = Indicator.objects.get_or_create(
        source=source, column=indicator, selection=selection_text(where),
        defaults={"name": name, "unit": unit, "better": better})
    if (record.name, record.unit, record.better) != (name, unit, better):
        record.name, record.unit, record.better = name, unit, better
        record.save()
    areas, areas_created = _areas(read)
    result = LoadResult(indicator=record, areas_created=areas_created, skipped=read.skipped)
    existing = {(value.area_id, value.period): value
                for value in StatisticValue.objects.filter(indicator=record)}
    new = []
    for seen in read.values:
        area = areas[(seen.area.level, seen.area.key)]
        value = existing.get((area.pk, seen.period))
        fields = {"period_kind": seen.period_kind, "period_start": seen.period_start,
                  "value": seen.value, "not_available": seen.not_available, "row": seen.row,
                  # By id: comparing the related object would read it once per value.
                  "source_id": source.pk}
        if value is None:
            new.append(StatisticValue(indicator=record, area=area, period=seen.period,
                                      **fields))
        elif any(getattr(value, column) != wanted for column, wanted in fields.items()):
            for column, wanted in fields.items():
                setattr(value, column, wanted)
            value.save()
            result.changed += 1
        else:
            result.unchanged += 1
    # Published values are reference data, not the plan's records: no history of their own,
    # so the thousands of a file go in at once.
    StatisticValue.objects.bulk_create(new, batch_size=500)
    result.created = len(new)
    return result


# Which indicators can stand beside which measures: the same kind of figure.
KINDS_FOR_UNIT = {
    Indicator.Unit.PERCENT: {"percentage"},
    Indicator.Unit.COUNT: {"count", "number"},
    Indicator.Unit.RATE: {"number"},
    Indicator.Unit.WEEKS: {"duration"},
}


@dataclass
class Adopted:
    baseline: StatisticValue | None = None
    readings: list = field(default_factory=list)
    # Periods of the file with no reporting period of the plan to hold them.
    outside: list[str] = field(default_factory=list)


def _cited(value: StatisticValue) -> str:
    """'Department for Education, dfe_ehc_plans_sen2_2014_2022.csv, row 546'."""
    return f"{value.source.publisher}, {value.source.file}, row {value.row}"


@transaction.atomic
def measure_comparator_link(*, measure, indicator: Indicator, use: str, user,
                            reason: str) -> tuple[MeasureComparator, Adopted | None]:
    """Links the indicator to the measure as its national comparator, or adopts it as the
    measure's published series: the baseline from the plan's baseline-year value and a
    reading for each later period, each citing the file, through the measures' own
    services so they are checked and audited as any other. All or nothing."""
    from django.core.exceptions import ValidationError

    from measures.services import baseline_record, readings_record
    from plans.models import ReportingPeriod
    from plans.services import ensure_plan_open

    from .selectors import area_values_for_plan, baseline_day, holds

    plan = measure.plan
    ensure_plan_open(plan)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the figure is linked to the measure"]})
    if measure.kind not in KINDS_FOR_UNIT.get(indicator.unit, set()):
        raise ValidationError({"indicator": [
            f"{indicator.name} is a {indicator.get_unit_display().lower()}, and this measure "
            f"is a {measure.get_kind_display().lower()}: choose a figure of the same kind"]})
    if use not in MeasureComparator.Use.values:
        raise ValidationError({"use": ["Choose how the figure is used"]})
    own = area_values_for_plan(plan, indicator)
    if not own:
        raise ValidationError({"indicator": [
            f"{indicator.name} has no figures for {plan.local_area}"]})
    comparator = MeasureComparator.objects.filter(measure=measure).first() or \
        MeasureComparator(plan=plan, measure=measure)
    if (comparator.pk is None or comparator.indicator_id != indicator.pk
            or comparator.use != use):
        comparator.indicator, comparator.use = indicator, use
        comparator._change_reason = reason.strip()
        comparator._history_user = user if getattr(user, "is_authenticated", False) else None
        comparator.save()
    if use != MeasureComparator.Use.SERIES:
        return comparator, None
    adopted = Adopted()
    day = baseline_day(plan)
    base = next((v for v in own if day and holds(v, day) and v.value is not None), None)
    if base is not None:
        baseline_record(measure=measure, value=base.value.quantize(Decimal("0.0001")),
                        period=f"{base.period_label} ({base.get_period_kind_display().lower()})",
                        note=f"Published: {_cited(base)}.", user=user, reason=reason.strip())
        adopted.baseline = base
    periods = list(ReportingPeriod.objects.for_plan(plan).order_by("start"))
    for value in own:
        if value.value is None or (base and value.period_start <= base.period_start):
            continue
        last_day = period_end(value) - dt.timedelta(days=1)
        period = next((p for p in periods if p.start <= last_day <= p.end), None)
        if period is None:
            adopted.outside.append(value.period_label)
            continue
        adopted.readings += readings_record(
            measure=measure, period=period,
            values_by_area={None: value.value.quantize(Decimal("0.0001"))}, user=user,
            reason=reason.strip(), source=_cited(value)[:200],
            note=f"{indicator.name}, {value.period_label}, as published.")
    return comparator, adopted


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def inspection_record(*, plan, facts, user, reason: str) -> OfstedInspection:
    """Records the Ofsted file's facts for the plan, as the person confirmed them, with the
    file and row as their source; fills the plan's and area's blanks (ONS code, region,
    inspection and publication dates) and never overwrites what they already hold."""
    from django.core.exceptions import ValidationError

    from plans.services import ensure_plan_open

    ensure_plan_open(plan)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the facts are recorded"]})
    area = plan.local_area
    if area.ons_code and area.ons_code != facts.ons_code:
        raise ValidationError({"ons_code": [
            f"{area} has ONS code {area.ons_code}; the file's row {facts.row} is "
            f"{facts.area_name} ({facts.ons_code})"]})
    source = source_document_for(file=facts.file)
    record = OfstedInspection.objects.filter(plan=plan).first() or OfstedInspection(plan=plan)
    values = {name: getattr(facts, name) for name in (
        "ons_code", "area_name", "region", "inspection_start", "inspection_published",
        "statement_required", "weaknesses", "revisit_start", "revisit_published",
        "revisit_outcome", "sufficient_progress", "insufficient_progress", "row")}
    if record.pk is None or any(getattr(record, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(record, name, value)
        record.source = source
        record._change_reason = reason.strip()
        record._history_user = _by(user)
        record.full_clean()
        record.save()
    area_blanks = {"ons_code": facts.ons_code, "region": facts.region}
    if any(not getattr(area, name) for name in area_blanks):
        for name, value in area_blanks.items():
            if not getattr(area, name):
                setattr(area, name, value)
        if not area.source_document:
            area.source_document, area.source_passage = facts.file, facts.passage
        area._change_reason = reason.strip()
        area._history_user = _by(user)
        area.full_clean()
        area.save()
    plan_blanks = {"inspection_start": facts.inspection_start,
                   "report_published": facts.inspection_published}
    if any(getattr(plan, name) is None for name in plan_blanks):
        for name, value in plan_blanks.items():
            if getattr(plan, name) is None:
                setattr(plan, name, value)
        plan._change_reason = reason.strip()
        plan._history_user = _by(user)
        plan.save()
    return record


JUDGEMENTS = {OfstedInspection.RevisitOutcome.ALL: "Sufficient progress",
              OfstedInspection.RevisitOutcome.NONE: "Insufficient progress"}


@transaction.atomic
def revisit_record(*, plan, user, reason: str) -> list:
    """The revisit's judgement on each significant weakness, from the plan's recorded
    Ofsted facts, and the plan closed to monitoring from the revisit on, its history kept.
    The file gives only counts, so a revisit with sufficient progress on some weaknesses
    is refused: which ones must come from the revisit letter."""
    from django.core.exceptions import ValidationError

    from plans.models import Plan
    from plans.services import ensure_plan_open
    from workstreams.models import Weakness

    ensure_plan_open(plan)
    facts = OfstedInspection.objects.filter(plan=plan).select_related("source").first()
    if facts is None or facts.revisit_start is None:
        raise ValidationError({"revisit": [f"No revisit of {plan.local_area} is recorded from "
                                           "the Ofsted file"]})
    judgement = JUDGEMENTS.get(facts.revisit_outcome)
    if judgement is None:
        raise ValidationError({"revisit": [
            f"The revisit found sufficient progress on {facts.sufficient_progress} of "
            f"{facts.weaknesses} significant weaknesses; the file does not say which, so "
            "record each judgement from the revisit letter"]})
    weaknesses = list(Weakness.objects.filter(plan=plan).order_by("number"))
    if len(weaknesses) != facts.weaknesses:
        raise ValidationError({"revisit": [
            f"The plan has {len(weaknesses)} significant weaknesses and the Ofsted file "
            f"{facts.weaknesses}: check the plan before recording the revisit"]})
    published = facts.revisit_published
    text = (f"Ofsted and CQC revisit from {facts.revisit_start.day} "
            f"{facts.revisit_start:%B %Y}"
            + (f", published {published.day} {published:%B %Y}" if published else "")
            + f": {facts.get_revisit_outcome_display().lower()} ({facts.sufficient_progress} "
            f"of {facts.weaknesses}). Source: {facts.source.name}, file {facts.source.file}, "
            f"row {facts.row}.")
    for weakness in weaknesses:
        if (weakness.revisit_judgement, weakness.revisit_date, weakness.revisit_text) == (
                judgement, facts.revisit_start, text):
            continue
        weakness.revisit_judgement, weakness.revisit_date = judgement, facts.revisit_start
        weakness.revisit_text = text
        weakness._change_reason = reason.strip()
        weakness._history_user = _by(user)
        weakness.save()
    plan.status = Plan.Status.CLOSED
    plan.ends_on = plan.ends_on or facts.revisit_start
    plan._change_reason = reason.strip()
    plan._history_user = _by(user)
    plan.full_clean()
    plan.save()
    return weaknesses


@transaction.atomic
def plan_create_from_ofsted(*, slug: str, title: str, facts, user, reason: str,
                            name: str = ""):
    """A new plan for the area the Ofsted facts are of, its local area made from them
    (ONS code, region, name) when the product has none, the facts recorded with the file
    as their source. The caller has shown the facts and the person confirmed them."""
    from plans.models import LocalArea, Plan
    from plans.services import plan_create

    area = LocalArea.objects.filter(ons_code=facts.ons_code).first()
    if area is None:
        area = LocalArea(name=name or facts.area_name, ons_code=facts.ons_code,
                         region=facts.region, source_document=facts.file,
                         source_passage=facts.passage)
        area._change_reason = reason
        area._history_user = _by(user)
        area.full_clean()
        area.save()
    kind = Plan.Kind.WSOA if facts.statement_required else Plan.Kind.STRATEGIC
    plan = plan_create(slug=slug, local_area=area, title=title, reason=reason, kind=kind,
                       inspection_start=facts.inspection_start,
                       report_published=facts.inspection_published,
                       source_document=facts.file, source_passage=facts.passage)
    inspection_record(plan=plan, facts=facts, user=user, reason=reason)
    return plan
