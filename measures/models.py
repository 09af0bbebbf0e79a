"""Outcomes the plan aims for and the measures that show whether it got there,
judged against baselines (most of them from 2019)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Plan, ReportingPeriod, SourcedModel
from workstreams.models import Area, Workstream


class Outcome(SourcedModel):
    class ForWhom(models.TextChoices):
        FAMILIES = "families", "Children, young people and their families"
        PROFESSIONALS = "professionals", "Professionals"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="outcomes")
    key = models.SlugField(max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField(help_text="The outcome the workstream aims for.")
    for_whom = models.CharField(max_length=20, choices=ForWhom.choices)
    what_will_be_different = models.TextField()
    action_refs_as_written = models.CharField(max_length=100, blank=True)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="outcomes")
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        ordering = ["plan", "workstream__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="outcome_key_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return self.what_will_be_different[:80]


class Measure(SourcedModel):
    class Kind(models.TextChoices):
        NUMBER = "number", "Number"
        PERCENTAGE = "percentage", "Percentage"
        DURATION = "duration", "Duration"
        COUNT = "count", "Count"
        DELIVERABLE = "deliverable", "Yes/no deliverable"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NONE = "none", "No direction (a deliverable or a description)"

    class AreaBreakdown(models.TextChoices):
        NONE = "none", "Whole local area only"
        CCG = "ccg", "The five CCG areas"
        QUADRANT = "quadrant", "The four quadrants"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    how_measured = models.TextField()
    data_source = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    area_breakdown = models.CharField(max_length=10, choices=AreaBreakdown.choices,
                                      default=AreaBreakdown.NONE)
    # Empty when the plan published no baseline figure: shown as "not published".
    baseline = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_period = models.CharField(max_length=60, blank=True)
    baseline_note = models.TextField(blank=True)
    baseline_sample_size = models.PositiveIntegerField(null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    target_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "outcome__workstream__order", "outcome__order", "order"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="percentage")
                | ((models.Q(baseline__isnull=True) | models.Q(baseline__gte=0, baseline__lte=100))
                   & (models.Q(target__isnull=True) | models.Q(target__gte=0, target__lte=100))),
                name="measure_percentage_baseline_and_target_within_0_100"),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureReading(models.Model):
    """A value for one reporting period, for the whole area (no area) or one area."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="readings")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="readings")
    # Copied from the measure so the database itself can hold percentages to 0-100.
    kind = models.CharField(max_length=20, choices=Measure.Kind.choices)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    achieved_on = models.DateField(null=True, blank=True,
                                   help_text="For a deliverable: the date it was delivered.")
    # For a duration: the unit the value was given in, so a figure is never ambiguous.
    unit = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period__start", "area__order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period", "area"],
                                    name="one_reading_per_measure_period_area"),
            models.UniqueConstraint(fields=["measure", "period"],
                                    condition=models.Q(area__isnull=True),
                                    name="one_whole_area_reading_per_measure_period"),
            models.CheckConstraint(
                condition=~models.Q(kind="percentage") | models.Q(value__gte=0, value__lte=100),
                name="reading_percentage_within_0_100"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["count", "duration"]) | models.Q(value__gte=0),
                name="reading_count_or_duration_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}: {self.value}"


class MilestoneTarget(models.Model):
    """The figure a measure is meant to have reached by one review point (a reporting
    period) on the way to its final target: what the monitoring pack sets each actual
    against."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE,
                                related_name="milestone_targets")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"],
                                    name="one_milestone_target_per_measure_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: milestone target for {self.period}"
