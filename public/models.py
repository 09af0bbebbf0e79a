"""What families may read of a plan: the public text an officer has written and published,
and how the plan's public page is offered (where feedback goes, which sites may frame it).

Nothing here is shown until it is published; publishing and withdrawing are changes with a
reason, so the audit trail says who put what before the public, when and why."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Action
from measures.models import Measure
from plans.models import Plan
from workstreams.models import Weakness


class PublicPage(models.Model):
    """How a plan's public page is offered. A plan without one has no feedback address and
    may be framed by no other site."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="public_page")
    feedback_email = models.EmailField(
        "Feedback email address", blank=True,
        help_text="Where families send feedback on the page, such as send.feedback@example.gov.uk")
    frame_origins = models.TextField(
        "Sites that may show the page in a frame", blank=True,
        help_text="One web address a line, such as https://www.essexlocaloffer.org.uk")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "public page settings"
        verbose_name_plural = "public page settings"

    def __str__(self) -> str:
        return f"Public page of {self.plan.local_area}"

    @property
    def origins(self) -> list[str]:
        return self.frame_origins.split()


class Publication(models.Model):
    """Whether a piece of public text is before the public, and since when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        abstract = True


class ActionSummary(Publication):
    """The published copy of an action's public summary. The draft is the action's own
    public summary; publishing copies it here, so a later edit of the draft changes nothing
    families read until it is published again."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE,
                                  related_name="published_summary")
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "published action summary"
        verbose_name_plural = "published action summaries"

    def __str__(self) -> str:
        return f"Public summary of {self.action.ref}"


class PublicMeasure(Publication):
    """A measure whose latest result families may read, under a name in plain words."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="publication")
    name = models.TextField(help_text="What the measure shows, in words families use.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "public measure"

    def __str__(self) -> str:
        return f"Public measure: {self.name[:60]}"


class YouSaidWeDid(Publication):
    """What families said, where, and what the area did about it: written by an officer,
    read by the public once published."""

    class Where(models.TextChoices):
        SURVEY = "survey", "A survey"
        FORUM = "forum", "The parent carer forum or a family event"
        COMPLAINTS = "complaints", "Complaints on the same theme"
        OTHER = "other", "Somewhere else"

    weakness = models.ForeignKey(Weakness, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="you_said_we_did")
    said = models.TextField("What families said")
    where = models.CharField("Where they said it", max_length=20, choices=Where.choices)
    where_detail = models.CharField("Which survey, forum or theme", max_length=200, blank=True)
    people = models.PositiveIntegerField("How many people said it", null=True, blank=True)
    did = models.TextField("What we did")
    evidence = models.TextField("How families can see the change", blank=True)
    not_possible = models.TextField("What we could not change, and why", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "you said, we did entry"
        verbose_name_plural = "you said, we did entries"
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return f"You said, we did: {self.said[:60]}"


class PlainEnglishFinding(Publication):
    """What the inspectors found about one weakness, in plain English, as an officer wrote
    it for families. The draft is kept here beside the published copy: publishing copies the
    draft, so a later edit changes nothing families read until it is published again. Until
    a version is published, the page quotes the inspectors' own words."""

    weakness = models.OneToOneField(Weakness, on_delete=models.CASCADE,
                                    related_name="plain_english")
    draft = models.TextField("Draft, not yet published", blank=True)
    text = models.TextField("Published text", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "plain-English finding"

    def __str__(self) -> str:
        return f"What the inspectors found about weakness {self.weakness.number}, in plain English"
