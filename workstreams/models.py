"""The plan's structure: the inspection's significant weaknesses, the workstreams that
answer them, the organisations that own and contribute to actions, the parts of the local
area readings are broken down by, and the inspectors' feedback on the statement."""

from django.db import models
from simple_history.models import HistoricalRecords

from plans.models import Plan, SourcedModel


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
    # In an Accelerated Progress Plan: the weakness of the plan it follows, still unresolved.
    carried_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="carried_into")
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"],
                                    name="workstream_code_unique_per_plan"),
            # Unique because the code is: as an index it lets the database read a plan's
            # actions in plan order, workstream by workstream, without sorting them.
            models.UniqueConstraint(fields=["plan", "order", "code"],
                                    name="workstream_in_plan_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


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
