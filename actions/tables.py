"""The table of actions: sortable and paginated, references in natural order (JC2 before
JC10) and RAG sorted worst first."""

import django_tables2 as tables
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from govuk.tables import GovUkTable
from govuk.templatetags.govuk import rag_tag, uk_date

from .models import RAG_SEVERITY, Action
from .templatetags.action_links import action_href


class ActionTable(GovUkTable):
    ref = tables.Column(verbose_name="Ref",
                        order_by=("workstream__order", "workstream__code", "ref_number"))
    title = tables.Column(verbose_name="Title")
    workstream = tables.Column(accessor="workstream__code", verbose_name="Workstream",
                               order_by=("workstream__order", "workstream__code",
                                         "ref_number"))
    owner = tables.Column(accessor="owner__name", verbose_name="Owner",
                          default="Not published", order_by=("owner__name", "ref_number"))
    current_due_date = tables.Column(verbose_name="Due date", default="Not set")
    rag = tables.Column(verbose_name="RAG", empty_values=())
    last_update = tables.Column(verbose_name="Last update", default="No update yet")

    class Meta:
        model = Action
        fields = ("ref", "title", "workstream", "owner", "current_due_date", "rag",
                  "last_update")
        order_by = ("ref",)

    def __init__(self, *args, plan_slug: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan_slug = plan_slug

    # Each row is drawn once in Python: django-tables2 drawing 50 rows cell by cell, and
    # LinkColumn and DateColumn compiling a template per cell, made this page slow.
    def record_cells(self, action: Action) -> dict[str, SafeString | str]:
        owner = action.owner.name if action.owner else ""
        return {
            "ref": format_html('<a class="govuk-link" href="{}">{}</a>',
                               action_href(action.ref, self.plan_slug), action.ref),
            "title": conditional_escape(action.title),
            "workstream": conditional_escape(action.workstream.code),
            "owner": conditional_escape(owner) if owner else "Not published",
            "current_due_date": uk_date(action.current_due_date) or "Not set",
            "rag": rag_tag(action.rag),
            "last_update": uk_date(action.last_update) or "No update yet",
        }

    def order_rag(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        """Worst first (Red, Amber, Green, Blue, then not reported), then natural order."""
        severity = Case(*(When(rag=rag, then=Value(rank)) for rag, rank in RAG_SEVERITY.items()),
                        default=Value(len(RAG_SEVERITY)), output_field=IntegerField())
        direction = "-" if is_descending else ""
        ordered = queryset.annotate(rag_severity=severity).order_by(
            f"{direction}rag_severity", "workstream__order", "workstream__code", "ref_number")
        return ordered, True
