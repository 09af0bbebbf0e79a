"""Figures the government publishes for every area (DfE, NHS England, Ofsted), loaded from
their open-data files: an indicator (one column of one file, perhaps one slice of it), the
areas it is published for, and one value per area and period, each citing its file."""

import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from plans.models import LocalArea, SourceDocument


class StatisticArea(models.Model):
    """An area a figure is published for: England, a region, a local authority (by its ONS
    code) or an integrated care board (by its name, as NHS England publishes it)."""

    class Level(models.TextChoices):
        ENGLAND = "england", "England"
        REGION = "region", "Region"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ICB = "icb", "Integrated care board"

    level = models.CharField(max_length=20, choices=Level.choices)
    # The ONS code (E10000012, E12000006, E92000001); blank where the file gives none.
    code = models.CharField("ONS code", max_length=9, blank=True)
    # The ONS code, else the name in lower case: what identifies the area within its level.
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    # A local authority's region, as the file names it.
    region = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="local_authorities")
    # The local areas an integrated care board serves, in whole or in part.
    local_areas = models.ManyToManyField(LocalArea, blank=True, related_name="icbs")

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "key"], name="one_statistic_area_per_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One published figure: a column of a file, or of the rows `selection` chooses."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percentage"
        COUNT = "count", "Count"
        RATE = "rate", "Rate"
        WEEKS = "weeks", "Weeks"

    class Better(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NEITHER = "", "Neither higher nor lower is better"

    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT,
                               related_name="indicators")
    column = models.CharField(max_length=100)
    # The rows chosen with --where, as "Therapy=Speech And Language"; blank for every row.
    selection = models.CharField(max_length=300, blank=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    better = models.CharField(max_length=10, choices=Better.choices, blank=True)

    class Meta:
        ordering = ["name", "selection"]
        constraints = [
            models.UniqueConstraint(fields=["source", "column", "selection"],
                                    name="one_indicator_per_column_and_selection"),
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    ACADEMIC_YEAR = "academic_year", "Academic year"
    MONTH = "month", "Month"


class StatisticValue(models.Model):
    """An indicator's value for one area and period, or why the publisher gives none."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(StatisticArea, on_delete=models.PROTECT, related_name="values")
    period_kind = models.CharField(max_length=20, choices=Period.choices)
    # The period as the file writes it: 2019, 201920, 201819, 2023-01.
    period = models.CharField(max_length=10)
    # The day the period starts, to order and match periods of different kinds.
    period_start = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    # Blank when there is a value; else "not available (suppressed)" and the like.
    not_available = models.CharField(max_length=100, blank=True)
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="+")
    # The row of the file the value is on (the heading is row 1).
    row = models.PositiveIntegerField()

    class Meta:
        ordering = ["indicator", "area", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "period"],
                                    name="one_statistic_value_per_area_and_period"),
            models.CheckConstraint(
                condition=(models.Q(value__isnull=True) & ~models.Q(not_available=""))
                | (models.Q(value__isnull=False) & models.Q(not_available="")),
                name="statistic_value_or_why_not"),
        ]
        indexes = [models.Index(fields=["area", "indicator", "period_start"],
                                name="statistic_value_by_area")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area} {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.period, self.period_start)


def period_end(value: "StatisticValue") -> dt.date:
    """The day after the value's period ends."""
    start = value.period_start
    if value.period_kind == Period.MONTH:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def period_label(kind: str, period: str, start: dt.date) -> str:
    """How people write the period: 2019, 2019-20, 2018/19, January 2023."""
    if kind == Period.FINANCIAL_YEAR:
        return f"{start.year}-{str(start.year + 1)[-2:]}"
    if kind == Period.ACADEMIC_YEAR:
        return f"{start.year}/{str(start.year + 1)[-2:]}"
    if kind == Period.MONTH:
        return f"{start:%B %Y}"
    return period


class MeasureComparator(models.Model):
    """A published indicator linked to one of the plan's measures: shown beside the area's
    figure as England's (its national comparator), or adopted as the measure's own
    published series, its baseline and readings taken from the file."""

    class Use(models.TextChoices):
        COMPARATOR = "comparator", "National comparator: England's figure beside the area's"
        SERIES = "series", ("The measure's published series: its baseline and readings "
                            "from the file")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE,
                             related_name="measure_comparators")
    measure = models.OneToOneField("measures.Measure", on_delete=models.CASCADE,
                                   related_name="comparator")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT,
                                  related_name="measure_comparators")
    use = models.CharField(max_length=12, choices=Use.choices, default=Use.COMPARATOR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "national comparator"

    def __str__(self) -> str:
        return f"{self.measure}: {self.indicator}"


class OfstedInspection(models.Model):
    """The plan's area SEND inspection and revisit as Ofsted's file of inspections gives
    them, confirmed by a person for this plan; the file and its row are the source."""

    class RevisitOutcome(models.TextChoices):
        ALL = "all", "Sufficient progress on every significant weakness"
        SOME = "some", "Sufficient progress on some significant weaknesses"
        NONE = "none", "Sufficient progress on no significant weakness"
        NOT_YET = "not_yet", "Not revisited yet"
        NO_REVISIT = "", "No revisit (no written statement of action was required)"

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE,
                                related_name="ofsted_inspection")
    ons_code = models.CharField("ONS code", max_length=9)
    area_name = models.CharField(max_length=100)
    region = models.CharField("Ofsted region", max_length=100)
    inspection_start = models.DateField()
    inspection_published = models.DateField()
    statement_required = models.BooleanField("written statement of action required")
    weaknesses = models.PositiveSmallIntegerField("significant weaknesses", null=True,
                                                  blank=True)
    revisit_start = models.DateField(null=True, blank=True)
    revisit_published = models.DateField(null=True, blank=True)
    revisit_outcome = models.CharField(max_length=10, choices=RevisitOutcome.choices,
                                       blank=True)
    sufficient_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    insufficient_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="+")
    row = models.PositiveIntegerField(help_text="The file's row (the heading is row 1).")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ofsted inspection"

    def __str__(self) -> str:
        return f"{self.area_name} area SEND inspection, {self.inspection_start:%B %Y}"
