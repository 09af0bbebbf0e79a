"""Reminders to leads of what they still owe the board: who was sent what, and when, and
each person's choice of how often to hear."""

from django.conf import settings
from django.db import models

from plans.models import Plan


class ReminderChoice(models.Model):
    """How a person hears of what they still owe in a plan; without one, "before each
    deadline"."""

    class Frequency(models.TextChoices):
        DEADLINES = "deadlines", "Before each deadline"
        WEEKLY = "weekly", "A weekly digest, on Mondays"
        OFF = "off", "No reminders"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reminder_choices")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminder_choices")
    frequency = models.CharField(max_length=10, choices=Frequency.choices,
                                 default=Frequency.DEADLINES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "plan"],
                                               name="one_reminder_choice_per_plan")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class Reminder(models.Model):
    """One email sent: to whom, when and what for. `key` makes sending idempotent: the
    deadline it reminds of, or the week of a digest."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Progress updates due"
        COMMENTARY = "commentary", "Exception commentaries due"
        DIGEST = "digest", "Weekly digest"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=20)
    email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "recipient", "kind", "key"],
                                               name="one_reminder_per_occasion")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email}, {self.sent_at:%-d %b %Y}"
