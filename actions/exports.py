"""Downloads of the actions list: the same filtered rows as the page, as CSV or Excel."""

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.decorators import reader_required
from send_wsoa.exports import csv_response, xlsx_response
from workstreams.selectors import current_plan_or_404

from .filters import action_filter_for
from .models import Rag

HEADER = ["Ref", "Title", "Workstream", "Owner", "Contributors", "Start date",
          "Original due date", "Current due date", "RAG", "Completed date", "Last update"]


def _rows(request: HttpRequest) -> tuple[str, Iterator[list]]:
    plan = current_plan_or_404(request)
    actions = action_filter_for(request, plan, timezone.localdate()).qs.prefetch_related(
        "contributors")
    rows = ([action.ref, action.title, action.workstream.code,
             action.owner.name if action.owner else "",
             "; ".join(org.name for org in action.contributors.all()),
             action.start_date, action.original_due_date, action.current_due_date,
             Rag(action.rag).label if action.rag else "Not reported",
             action.completed_date, action.last_update]
            for action in actions)
    return f"{plan.slug}-actions-{timezone.localdate():%Y-%m-%d}", rows


@reader_required
def export_csv(request: HttpRequest) -> HttpResponse:
    filename, rows = _rows(request)
    return csv_response(f"{filename}.csv", HEADER, rows)


@reader_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    filename, rows = _rows(request)
    return xlsx_response(f"{filename}.xlsx", "Actions", HEADER, rows)
