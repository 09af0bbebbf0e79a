"""The audit trail: one entry per change to the plan, each sealed with a hash over its
content and the previous entry's hash, so an entry altered or removed later is detected."""

from django.conf import settings
from django.db import models

from plans.models import Plan


class AuditEntry(models.Model):
    class ChangeType(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"

    sequence = models.PositiveBigIntegerField(unique=True)
    recorded_at = models.DateTimeField(db_index=True)
    # A person's audit trail outlives nothing: users who acted are deactivated, not deleted.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="audit_entries")
    actor_label = models.CharField(max_length=200)
    # The trail outlives the plan, so no database constraint ties it to the plan's row.
    plan = models.ForeignKey(Plan, on_delete=models.DO_NOTHING, db_constraint=False, null=True,
                             blank=True, related_name="+")
    workstream_code = models.CharField(max_length=10, blank=True)
    action_ref = models.CharField(max_length=12, blank=True)
    object_kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=300)
    change_type = models.CharField(max_length=10, choices=ChangeType.choices)
    # {"RAG": ["Amber", "Green"]}: human field names, values as people read them.
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["plan", "workstream_code", "sequence"]),
            models.Index(fields=["plan", "action_ref", "sequence"]),
            # An action's History tab finds its records' entries by primary key.
            models.Index(fields=["object_kind", "object_id", "sequence"]),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.get_change_type_display()} {self.object_kind} " \
               f"{self.object_label}"

    # What the trail shows of the change this entry ends (see audit.selectors and
    # audit.wording): an entry may stand for a change of several entries.
    @property
    def change_lines(self) -> list[str]:
        from .wording import change_lines

        return change_lines(self)

    @property
    def actor_name(self) -> str:
        from .wording import actor_name

        return actor_name(self.actor_label)

    @property
    def principal(self) -> "AuditEntry":
        from .wording import principal

        return principal(self)

    @property
    def record_label(self) -> str:
        from .wording import record_label

        return record_label(self.principal)

    @property
    def sequences(self) -> str:
        """'1537–1538' for a change of two entries, '1538' for one."""
        first = getattr(self, "folded", None)
        return f"{first[0].sequence}–{self.sequence}" if first else str(self.sequence)
