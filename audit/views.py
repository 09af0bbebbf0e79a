"""The audit trail page and its CSV download."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_read_audit_trail, can_read_whole_audit_trail
from send_wsoa.exports import csv_response

from .filters import AuditEntryFilter
from .selectors import entries_visible_to, filter_query
from .tables import AuditEntryTable

CSV_HEADER = ["Sequence", "When (UK time)", "Who", "Workstream", "Action", "Record",
              "Record id", "Record name", "Change", "What changed", "Reason", "Hash"]


def _filter_or_403(request: HttpRequest, plan: Plan) -> AuditEntryFilter:
    if not can_read_audit_trail(request.user, plan):
        raise PermissionDenied
    return AuditEntryFilter(request.GET or None, queryset=entries_visible_to(request.user, plan),
                            plan=plan)


@plan_reader_required
def list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Every change to the plan the reader may see, newest first, filtered by GET."""
    entry_filter = _filter_or_403(request, plan)
    table = AuditEntryTable(entry_filter.qs, caption="Changes to the plan")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "audit/list.html", {
        "filter": entry_filter, "table": table, "filter_query": filter_query(request),
        "plan": plan, "whole_trail": can_read_whole_audit_trail(request.user, plan),
    })


@plan_reader_required
def export_csv(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The rows the page shows with the same filters, every page of them."""
    entry_filter = _filter_or_403(request, plan)
    rows = (
        [entry.sequence, timezone.localtime(entry.recorded_at).strftime("%Y-%m-%d %H:%M:%S"),
         entry.actor_label, entry.workstream_code, entry.action_ref, entry.object_kind,
         entry.object_id, entry.object_label, entry.get_change_type_display(),
         "\n".join(entry.change_lines), entry.reason, entry.hash]
        for entry in entry_filter.qs.order_by("sequence").iterator(chunk_size=2000))
    return csv_response("audit-trail.csv", CSV_HEADER, rows)
