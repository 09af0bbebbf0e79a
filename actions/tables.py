"""The table of actions: sortable and paginated, references in natural order (JC2 before
JC10) and RAG sorted worst first."""

import django_tables2 as tables
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.template.loader import render_to_string

from govuk.tables import GovUkTable
from govuk.templatetags.govuk import rag_tag

from .models import RAG_SEVERITY, Action


class ActionTable(GovUkTable):
    ref = tables.LinkColumn("actions:detail", args=[tables.A("ref")], verbose_name="Ref",
                            order_by=("workstream__order", "workstream__code", "ref_number"))
    title = tables.Column(verbose_name="Title")
    workstream = tables.Column(accessor="workstream__code", verbose_name="Workstream",
                               order_by=("workstream__order", "workstream__code",
                                         "ref_number"))
    owner = tables.Column(accessor="owner__name", verbose_name="Owner",
                          default="Not published", order_by=("owner__name", "ref_number"))
    current_due_date = tables.DateColumn(verbose_name="Due date", format="j M Y",
                                         default="Not set")
    rag = tables.Column(verbose_name="RAG", empty_values=())
    last_update = tables.DateColumn(verbose_name="Last update", format="j M Y",
                                    default="No update yet")

    class Meta:
        model = Action
        fields = ("ref", "title", "workstream", "owner", "current_due_date", "rag",
                  "last_update")
        order_by = ("ref",)

    def render_rag(self, value: str) -> str:
        """The shared GOV.UK tag (colour and word), from the cached template."""
        return render_to_string("govuk/rag_tag.html", rag_tag(value))

    def order_rag(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        """Worst first (Red, Amber, Green, Blue, then not reported), then natural order."""
        severity = Case(*(When(rag=rag, then=Value(rank)) for rag, rank in RAG_SEVERITY.items()),
                        default=Value(len(RAG_SEVERITY)), output_field=IntegerField())
        direction = "-" if is_descending else ""
        ordered = queryset.annotate(rag_severity=severity).order_by(
            f"{direction}rag_severity", "workstream__order", "workstream__code", "ref_number")
        return ordered, True
