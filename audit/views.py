"""The audit trail page and its CSV download."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_read_audit_trail, can_read_whole_audit_trail
from send_wsoa.exports import Heading, csv_response, filters_applied

from .filters import AuditEntryFilter
from .selectors import (
    changes_in_order,
    entries_visible_to,
    filter_query,
    one_row_per_change,
    with_folded,
)
from .tables import AuditEntryTable

# One row per change; a change of several entries (see audit.selectors) is under its last,
# whose hash seals them all, and lists every entry's number in the last column.
CSV_HEADER = ["Sequence", "When (UK time)", "Who", "Workstream", "Action", "Record",
              "Record id", "Record name", "Change", "What changed", "Reason", "Hash",
              "Entries"]


def _filter_or_403(request: HttpRequest, plan: Plan) -> AuditEntryFilter:
    if not can_read_audit_trail(request.user, plan):
        raise PermissionDenied
    return AuditEntryFilter(request.GET or None, queryset=entries_visible_to(request.user, plan),
                            plan=plan)


@plan_reader_required
def list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Every change to the plan the reader may see, newest first, filtered by GET."""
    entry_filter = _filter_or_403(request, plan)
    table = AuditEntryTable(one_row_per_change(entry_filter.qs), caption="Changes to the plan")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    with_folded((row.record for row in table.paginated_rows), entry_filter.qs)
    return render(request, "audit/list.html", {
        "filter": entry_filter, "table": table, "filter_query": filter_query(request),
        "plan": plan, "whole_trail": can_read_whole_audit_trail(request.user, plan),
    })


@plan_reader_required
def export_csv(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The rows the page shows with the same filters, every page of them."""
    entry_filter = _filter_or_403(request, plan)
    rows = (
        [entry.sequence, timezone.localtime(entry.recorded_at),
         entry.actor_name, entry.workstream_code, entry.action_ref, entry.principal.object_kind,
         entry.principal.object_id, entry.record_label,
         entry.principal.get_change_type_display(), "\n".join(entry.change_lines),
         entry.reason, entry.hash, entry.sequences]
        for entry in changes_in_order(entry_filter.qs))
    heading = Heading(title=f"{plan.local_area}: audit trail of the {plan.vocabulary.plan_name}",
                      filters=filters_applied(entry_filter.form,
                                              none="No filters: every change you may see"),
                      made_at=timezone.now())
    return csv_response("audit-trail.csv", CSV_HEADER, rows, heading=heading)
