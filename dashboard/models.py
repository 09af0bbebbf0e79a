"""An exception: an action the board is to hear about at a meeting, with its lead's
commentary, as the exception reports of councils' scorecards carry them. Raised when the
meeting is scheduled and kept with that meeting: later changes to the action never rewrite
what the board was told."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Action, Rag
from plans.models import BoardMeeting, Plan


class BoardExceptionQuerySet(models.QuerySet):
    def in_plan_order(self):
        """As the plan lists its actions: by workstream, then the action's number."""
        return self.order_by("action__workstream__order", "action__workstream__code",
                             "action__ref_number")


class BoardException(models.Model):
    class Ask(models.TextChoices):
        NOTE = "note", "Note"
        DECIDE = "decide", "Decide"
        ESCALATE = "escalate", "Escalate"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_exceptions")
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE,
                                related_name="exceptions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="exceptions")
    # Why the action is an exception, and where it stood, when the meeting was scheduled.
    is_red = models.BooleanField(default=False)
    is_overdue = models.BooleanField(default=False)
    due_date_moved = models.BooleanField(default=False)
    rag_worsened = models.BooleanField(default=False)
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # The lead's commentary.
    what_went_wrong = models.TextField(blank=True)
    what_is_being_done = models.TextField(blank=True)
    board_asked_to = models.CharField(max_length=8, choices=Ask.choices, blank=True)
    commentary_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    commentary_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = BoardExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "action__workstream__order", "action__ref_number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "action"],
                                    name="one_exception_per_action_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"Exception: {self.action.ref} for the board on {self.meeting.date:%-d %b %Y}"

    @property
    def reasons(self) -> list[str]:
        """Why the board hears of it, in the board's words."""
        return [words for flag, words in (
            (self.is_red, "Red"), (self.is_overdue, "overdue"),
            (self.due_date_moved, "due date moved since the last board"),
            (self.rag_worsened, "RAG worse since the last board")) if flag]

    @property
    def has_commentary(self) -> bool:
        return self.commentary_at is not None


class BoardBaseline(models.Model):
    """The plan as the board left it at a meeting: every action's RAG and due date at the end
    of the meeting day, recorded once the day is over so that "since the last board" compares
    the actions with these rows rather than searching each one's history on every page."""

    meeting = models.OneToOneField(BoardMeeting, on_delete=models.CASCADE,
                                   related_name="baseline")
    # The meeting's date when recorded: a meeting moved since is read from the history again.
    date = models.DateField()
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"The plan as the board left it on {self.date:%-d %b %Y}"


class BoardBaselineAction(models.Model):
    """One action at the end of a meeting day: the RAG of its latest progress update dated on
    or before the meeting (blank when none), and, if it was in the plan by then, its due
    date."""

    baseline = models.ForeignKey(BoardBaseline, on_delete=models.CASCADE,
                                 related_name="actions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE,
                               related_name="board_baselines")
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    existed = models.BooleanField()
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["baseline", "action"],
                                    name="one_baseline_row_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} at {self.baseline}"
