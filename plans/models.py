"""What belongs to a plan as a whole: the local area it is for, the plan itself (its kind,
dates and status), its reporting periods and board meetings, and who holds which role in
it. Every other record of the product hangs from a plan."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .querysets import MembershipQuerySet, PlanQuerySet, ReportingPeriodQuerySet
from .vocabulary import VOCABULARIES, Vocabulary

# The first part of every site path that is not a plan: a plan with one of these slugs
# would be hidden behind the site's own page (or an old bookmark's redirect).
RESERVED_SLUGS = frozenset({
    "accessibility", "accounts", "actions", "admin", "api", "audit", "board-pack",
    "choose-plan", "embed", "healthz", "measures", "media", "plan", "plans", "public",
    "static", "workstreams",
})


def validate_plan_slug(slug: str) -> None:
    if slug.lower() in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is a path the site already uses, so it cannot be a plan's web "
            "address: choose another, such as the area's name", params={"slug": slug},
            code="reserved")


class SourcedModel(models.Model):
    """A record of the plan that says which published document it rests on."""

    source_document = models.CharField(max_length=200, blank=True)
    source_passage = models.TextField(blank=True)

    class Meta:
        abstract = True


class SourceDocument(models.Model):
    """A published document the product's records rest on, named as a person would cite it:
    records hold its file name (their `source_document`), pages show this name."""

    file = models.CharField(max_length=200, unique=True,
                            help_text="The file name records give as their source document.")
    publisher = models.CharField(max_length=200, help_text="Such as Essex County Council.")
    title = models.CharField(max_length=300)
    published_on = models.DateField(null=True, blank=True,
                                    help_text="Blank when the document gives no date.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["file"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """'Essex County Council, People and Families Policy and Scrutiny Committee papers,
        14 January 2021'."""
        day = f"{self.published_on.day} {self.published_on:%B %Y}" if self.published_on else ""
        return ", ".join(part for part in (self.publisher, self.title, day) if part)


class LocalArea(SourcedModel):
    """A local authority area as the ONS codes it; one area may have several plans over
    the years (a WSOA, then an Accelerated Progress Plan)."""

    name = models.CharField(max_length=100)
    # Blank for an area that is not a real one (the fictional demo area).
    ons_code = models.CharField("ONS code", max_length=9, blank=True,
                                help_text="Such as E10000012 for Essex.")
    region = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ons_code"], condition=~models.Q(ons_code=""),
                                    name="one_local_area_per_ons_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_fictional(self) -> bool:
        """An area with no ONS code is not a real one (the demo's Northshire)."""
        return not self.ons_code


class Plan(SourcedModel):
    class Kind(models.TextChoices):
        WSOA = "wsoa", "Written Statement of Action"
        APP = "app", "Accelerated Progress Plan"
        PAP = "pap", "Priority Action Plan"
        STRATEGIC = "strategic", "Strategic plan (areas for improvement)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_DELIVERY = "in_delivery", "In delivery"
        UNDER_MONITORING = "under_monitoring", "Under monitoring"
        # Signed off: kept, with its history, for reading only.
        CLOSED = "closed", "Closed"

    slug = models.SlugField(unique=True, validators=[validate_plan_slug],
                            help_text="The plan's web address: /essex/ for “essex”.")
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.WSOA)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_DELIVERY)
    # An Accelerated Progress Plan follows the plan whose revisit found too little progress.
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="followed_by")
    title = models.CharField(max_length=300)
    inspection_start = models.DateField(null=True, blank=True)
    inspection_end = models.DateField(null=True, blank=True)
    report_published = models.DateField(null=True, blank=True)
    statement_submitted = models.DateField(null=True, blank=True)
    declared_fit_for_purpose = models.DateField(null=True, blank=True)
    board_signed_off = models.DateField(null=True, blank=True)
    expected_revisit = models.CharField(max_length=200, blank=True)
    # The span reporting periods are made for; an open end runs to the current quarter.
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # Set by seed_demo_history: every page of this plan then says its figures are illustrative.
    has_demo_data = models.BooleanField(default=False)
    history = HistoricalRecords(table_name="workstreams_historicalplan")

    objects = PlanQuerySet.as_manager()

    class Meta:
        # The tables keep the names they were created with under workstreams/, so every
        # row, key, trigger and history record carries over untouched.
        db_table = "workstreams_plan"
        ordering = ["local_area__name", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="plan_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.local_area}: {self.title}"

    @property
    def vocabulary(self) -> Vocabulary:
        return VOCABULARIES[self.kind]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class ReportingPeriod(models.Model):
    """A quarter the board and DfE/NHS England monitoring report on. An officer closes it
    once its figures are final: its monitoring pack is then what the plan's history held at
    `closed_at`, and nothing dated in it can be added until an administrator reopens it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        db_table = "workstreams_reportingperiod"
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="period_label_unique_per_plan"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                   name="period_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        # Every page, form, chart and download names a period by its financial quarter;
        # `label` ('2020-Q3') is only the key it is stored and found by.
        return self.financial_quarter

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def financial_quarter(self) -> str:
        """The financial quarter the period is, as DfE and NHS England name it: '2020-21 Q3'
        for October to December 2020 (the year starts in April)."""
        year = self.start.year if self.start.month >= 4 else self.start.year - 1
        quarter = (self.start.month - 4) % 12 // 3 + 1
        return f"{year}-{(year + 1) % 100:02d} Q{quarter}"

    @property
    def slug(self) -> str:
        """The period in addresses and commands: '2020-21-Q3'."""
        return self.financial_quarter.replace(" ", "-")

    @property
    def name(self) -> str:
        """'2020-21 Q3 (October to December 2020)'."""
        start, end = self.start, self.end
        months = (f"{start:%B} to {end:%B %Y}" if start.year == end.year
                  else f"{start:%B %Y} to {end:%B %Y}")
        return f"{self.financial_quarter} ({months})"


class BoardMeeting(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_meetings")
    date = models.DateField()
    # When the leads' commentaries on the meeting's exceptions are due.
    commentary_deadline = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(table_name="workstreams_historicalboardmeeting")

    class Meta:
        db_table = "workstreams_boardmeeting"
        ordering = ["plan", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_board_meeting_a_day"),
        ]

    def __str__(self) -> str:
        return f"SEND Improvement Board, {self.date:%-d %b %Y}"


class Membership(models.Model):
    """A person's role in one plan. A lead's reach is the workstreams named here; a
    person may hold several roles in a plan and none in another."""

    class Role(models.TextChoices):
        BOARD = "board", "Board member"
        LEAD = "lead", "Workstream lead"
        OFFICER = "officer", "Officer"
        ADMIN = "admin", "Administrator"
        # DfE SEND adviser or NHS England adviser: reads the plan, changes nothing.
        ADVISER = "adviser", "DfE/NHS England adviser"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="memberships")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    workstreams = models.ManyToManyField("workstreams.Workstream", blank=True,
                                         related_name="lead_memberships",
                                         help_text="The workstreams a lead leads.")
    history = HistoricalRecords(m2m_fields=[workstreams])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "plan", "role"],
                                    name="one_membership_per_role_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.plan.local_area}"


class ReviewMeeting(models.Model):
    """A meeting with the DfE SEND adviser and NHS England's adviser that reviews a
    reporting period: the monitoring pack and evidence go to them before the evidence
    deadline, and the outcome (their feedback, and due-date moves agreed) is recorded after."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", "DfE/NHS England quarterly review"
        APP_SIX_MONTH = "app_six_month", "Six-month Accelerated Progress Plan review"
        STOCKTAKE = "stocktake", "Stocktake"
        SUPPORT_AND_CHALLENGE = "support_challenge", "Support and challenge meeting"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.QUARTERLY)
    # Support and challenge meetings are numbered: "support and challenge meeting 3".
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField()
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT,
                               related_name="review_meetings")
    evidence_deadline = models.DateField()
    invites_dfe_adviser = models.BooleanField("DfE SEND adviser", default=True)
    invites_nhse_adviser = models.BooleanField("NHS England adviser", default=True)
    invites_parent_carer_forum = models.BooleanField("Parent carer forum", default=True)
    feedback = models.TextField(blank=True)
    feedback_file = models.FileField(upload_to="review-meetings/%Y/%m/", blank=True)
    feedback_content_type = models.CharField(max_length=100, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(evidence_deadline__lte=models.F("date")),
                                   name="review_evidence_deadline_not_after_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.date.day} {self.date:%B %Y}"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.SUPPORT_AND_CHALLENGE and self.number:
            return f"Support and challenge meeting {self.number}"
        return self.get_kind_display()

    @property
    def invited(self) -> list[str]:
        return [str(self._meta.get_field(name).verbose_name) for name in
                ("invites_dfe_adviser", "invites_nhse_adviser", "invites_parent_carer_forum")
                if getattr(self, name)]


class PackSubmission(models.Model):
    """A monitoring pack as it was sent for a review meeting: its bytes, kept so it can be
    downloaded again exactly as sent."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.PROTECT,
                                related_name="submissions")
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    # The workbook itself stays out of the history table: its digest identifies it there.
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["meeting", "-submitted_at"]

    def __str__(self) -> str:
        return self.filename


class AgreedDueDate(models.Model):
    """A due-date move agreed with DfE/NHS England at a review meeting: it holds the date
    agreed, so a later move of the same action is shown as not agreed."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.PROTECT,
                                related_name="agreed_due_dates")
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE,
                               related_name="agreed_due_dates")
    due_date = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "action", "due_date"],
                                    name="one_agreement_per_meeting_action_and_date"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.due_date} agreed at {self.meeting}"
