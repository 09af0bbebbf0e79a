"""The plan's structure: the local area's plan, the inspection's significant weaknesses,
the workstreams that answer them, the organisations that own and contribute to actions,
reporting periods, board meetings and the inspectors' feedback on the statement."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class SourcedModel(models.Model):
    """A record of the plan that says which published document it rests on."""

    source_document = models.CharField(max_length=200, blank=True)
    source_passage = models.TextField(blank=True)

    class Meta:
        abstract = True


class Plan(SourcedModel):
    slug = models.SlugField(unique=True)
    local_area = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    inspection_start = models.DateField(null=True, blank=True)
    inspection_end = models.DateField(null=True, blank=True)
    report_published = models.DateField(null=True, blank=True)
    statement_submitted = models.DateField(null=True, blank=True)
    declared_fit_for_purpose = models.DateField(null=True, blank=True)
    board_signed_off = models.DateField(null=True, blank=True)
    expected_revisit = models.CharField(max_length=200, blank=True)
    # Set by seed_demo_history: every page of this plan then says its figures are illustrative.
    has_demo_data = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["local_area", "slug"]

    def __str__(self) -> str:
        return f"{self.local_area}: {self.title}"


class Organisation(SourcedModel):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        CCG = "ccg", "Clinical commissioning group"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
        SCHOOLS = "schools", "Schools' group"
        COMMISSIONED_SERVICE = "commissioned_service", "Commissioned service"
        HEALTH_PROVIDER = "health_provider", "Health provider"
        BOARD = "board", "Board"
        TEAM = "team", "Team or named role"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="organisations")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"],
                                    name="organisation_key_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class Area(SourcedModel):
    """A part of the local area that readings can be broken down by."""

    class Breakdown(models.TextChoices):
        CCG = "ccg", "CCG areas"
        QUADRANT = "quadrant", "Quadrants"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    breakdown = models.CharField(max_length=20, choices=Breakdown.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["breakdown", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "breakdown", "name"],
                                    name="area_name_unique_per_breakdown"),
        ]

    def __str__(self) -> str:
        return self.name


class Weakness(SourcedModel):
    """A significant weakness found by the inspection, and the revisit's judgement on it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="weaknesses")
    number = models.PositiveSmallIntegerField()
    summary = models.CharField(max_length=200)
    text = models.TextField()
    revisit_judgement = models.CharField(max_length=100, blank=True)
    revisit_date = models.DateField(null=True, blank=True)
    revisit_text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "weaknesses"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"],
                                    name="weakness_number_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return f"Weakness {self.number}: {self.summary}"


class WeaknessPoint(models.Model):
    weakness = models.ForeignKey(Weakness, on_delete=models.CASCADE, related_name="points")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["weakness", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class Workstream(SourcedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="workstreams")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    # OV answers the governance and leadership points rather than one weakness.
    weakness = models.ForeignKey(Weakness, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="workstreams")
    order = models.PositiveSmallIntegerField(default=0)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                   related_name="led_workstreams")
    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"],
                                    name="workstream_code_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class ReportingPeriod(models.Model):
    """A quarter the board and DfE/NHS England monitoring report on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    # Set when the quarterly monitoring pack is frozen; later changes no longer alter it.
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="period_label_unique_per_plan"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                   name="period_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.label


class BoardMeeting(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_meetings")
    date = models.DateField()
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_board_meeting_a_day"),
        ]

    def __str__(self) -> str:
        return f"SEND Improvement Board, {self.date:%-d %b %Y}"


class FeedbackPoint(SourcedModel):
    """A point the inspectors asked the area to strengthen, and the area's response."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="feedback_points")
    number = models.PositiveSmallIntegerField()
    letter_date = models.DateField()
    text = models.TextField()
    action_refs_as_written = models.CharField(max_length=100, blank=True)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="feedback_points")
    response = models.TextField(blank=True)
    response_source_document = models.CharField(max_length=200, blank=True)
    response_source_passage = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        ordering = ["plan", "letter_date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "letter_date", "number"],
                                    name="feedback_point_unique_per_letter"),
        ]

    def __str__(self) -> str:
        return f"Feedback point {self.number} ({self.letter_date:%-d %b %Y})"
