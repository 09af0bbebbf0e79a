"""Actions of the plan, their milestones, progress updates and evidence."""

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Plan, ReportingPeriod, SourcedModel
from workstreams.models import Organisation, Workstream

from .querysets import ActionQuerySet, MilestoneQuerySet, ProgressUpdateQuerySet


class Rag(models.TextChoices):
    """The plan's colour key; the word is always shown beside the colour."""

    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


RAG_MEANINGS = {
    Rag.BLUE: "completed",
    Rag.GREEN: "on track",
    Rag.AMBER: "medium risk",
    Rag.RED: "significant risk or not started",
}

# Worst first: the order the board reads risk in.
RAG_SEVERITY = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3}

REF_PATTERN = re.compile(r"^([A-Z]+)(\d+)$")


def split_ref(ref: str) -> tuple[str, int]:
    """'JC10' -> ('JC', 10), so JC2 sorts before JC10."""
    match = REF_PATTERN.match(ref)
    if not match:
        raise ValueError(f"{ref!r} is not an action reference such as JC8")
    return match.group(1), int(match.group(2))


def person_words(name: str, role: str) -> str:
    return ", ".join(part for part in (name, role) if part)


class Action(SourcedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="actions")
    ref = models.CharField(max_length=12)
    ref_number = models.PositiveIntegerField(
        help_text="The number in the ref, for natural sorting.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # Accountable: exactly one, or not yet published.
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="owned_actions")
    # Not accountable.
    contributors = models.ManyToManyField(Organisation, blank=True,
                                          related_name="contributed_actions")
    # Who delivers the action, as strong plans name them: the team and the agency that
    # leads it are organisations of the plan; the director and the lead are people, named
    # with their role because people move on and the role stays.
    delivery_team = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="delivered_actions")
    lead_agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="led_actions")
    sponsoring_director_name = models.CharField(max_length=200, blank=True)
    sponsoring_director_role = models.CharField(max_length=200, blank=True)
    action_lead_name = models.CharField(max_length=200, blank=True)
    action_lead_role = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    original_due_date = models.DateField(null=True, blank=True)
    current_due_date = models.DateField(null=True, blank=True)
    # Empty until the first progress update reports a colour.
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    completed_date = models.DateField(null=True, blank=True)
    success_criteria = models.TextField(blank=True)
    public_summary = models.TextField(blank=True)
    # Optimistic concurrency: a save names the version it was based on.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[contributors])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "workstream__order", "ref_number"]
        # Plan order within a workstream, for lists read in plan order (dashboard.selectors).
        indexes = [models.Index(fields=["workstream", "ref_number"],
                                name="action_in_plan_order_idx")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="action_ref_unique_per_plan"),
            models.CheckConstraint(condition=models.Q(rag__in=["", *Rag.values]),
                                   name="action_rag_is_blue_green_amber_or_red"),
            models.CheckConstraint(
                condition=models.Q(completed_date__isnull=True) | models.Q(rag=Rag.BLUE),
                name="action_completed_date_only_when_blue"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}: {self.title}"

    @property
    def sponsoring_director(self) -> str:
        """'Sam Patel, Director of Education', or whichever part is given."""
        return person_words(self.sponsoring_director_name, self.sponsoring_director_role)

    @property
    def action_lead(self) -> str:
        return person_words(self.action_lead_name, self.action_lead_role)

    @property
    def due_date_moved(self) -> bool:
        return bool(self.original_due_date and self.current_due_date
                    and self.original_due_date != self.current_due_date)


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    done_date = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["action", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A dated report on an action; the action's RAG history is its progress updates."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_updates")
    date = models.DateField()
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT,
                               related_name="progress_updates")
    rag = models.CharField(max_length=5, choices=Rag.choices)
    narrative = models.TextField(max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="progress_updates")
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "-date", "-created_at"]
        indexes = [
            # Every column the "RAG as of a date" and "last update" look-ups read, in the
            # order they sort by, so each is one seek in the index and no read of the table.
            models.Index(fields=["action", "date", "created_at", "id", "rag"],
                         name="progress_update_latest_idx"),
            # "No progress update in this period" is one seek per action.
            models.Index(fields=["action", "period"], name="progress_update_period_idx"),
            models.Index(fields=["date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rag__in=Rag.values),
                                   name="progress_update_rag_is_blue_green_amber_or_red"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} {self.date}: {self.get_rag_display()}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        """The kinds of evidence DfE and NHS England advisers ask for."""

        PARENT_CARER_SURVEY = "parent_carer_survey", "Parent carer survey"
        CASE_STUDY = "case_study", "Case study"
        MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
        SELF_EVALUATION = "self_evaluation", "Self-evaluation"
        FOCUS_GROUP = "focus_group", "Focus group"
        MINUTES = "minutes", "Minutes"
        OTHER = "other", "Other"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    kind = models.CharField("Type", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-uploaded_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=~models.Q(url="") | ~models.Q(file=""),
                                   name="evidence_has_a_link_or_a_file"),
        ]

    def __str__(self) -> str:
        return self.title
