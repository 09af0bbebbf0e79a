"""The audit trail as a sortable, paginated table."""

import django_tables2 as tables

from govuk.tables import GovUkTable

from .models import AuditEntry

WHEN = "{% load govuk %}{{ record.recorded_at|uk_datetime }}"
# A row is one change, which may hold several entries (see audit.selectors).
SEQUENCES = "{{ record.sequences }}"
RECORD = "{{ record.principal.object_kind|capfirst }}: {{ record.record_label }}"
CHANGES = ("{% for line in record.change_lines %}{{ line }}"
           "{% if not forloop.last %}<br>{% endif %}{% endfor %}")


class AuditEntryTable(GovUkTable):
    sequence = tables.TemplateColumn(SEQUENCES, verbose_name="No.")
    recorded_at = tables.TemplateColumn(WHEN, verbose_name="When (UK time)",
                                        order_by=("sequence",))
    actor_label = tables.Column(verbose_name="Who", accessor="actor_name",
                                order_by=("actor_label",))
    workstream_code = tables.Column(verbose_name="Workstream", default="")
    action_ref = tables.Column(verbose_name="Action", default="")
    object_kind = tables.TemplateColumn(RECORD, verbose_name="Record")
    changes = tables.TemplateColumn(CHANGES, verbose_name="What changed", orderable=False)
    reason = tables.Column(verbose_name="Reason", default="", orderable=False)

    class Meta:
        model = AuditEntry
        fields = ("sequence", "recorded_at", "actor_label", "workstream_code", "action_ref",
                  "object_kind", "changes", "reason")
        order_by = ("-sequence",)
