"""Downloads of the actions list: the same filtered rows as the page, as CSV or Excel."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pagecache.pages import cached
from plans.decorators import plan_reader_required
from plans.models import Plan
from send_wsoa.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    download_response,
    xlsx_bytes,
)

from .filters import action_filter_for
from .models import Action, Rag

# Each RAG's word, looked up once rather than through the enum for every row.
RAG_WORDS = {**dict(Rag.choices), "": "Not reported"}
HEADER = ["Ref", "Title", "Workstream", "Owner", "Contributors", "Action lead",
          "Action lead role", "Sponsoring director", "Sponsoring director role", "Lead agency",
          "Delivery team", "Start date", "Original due date", "Current due date", "RAG",
          "Completed date", "Last update"]


def _contributors_by_action(actions: QuerySet) -> dict[int, str]:
    """Each action's contributors in one query of names, not a model object per link."""
    links = (Action.contributors.through.objects
             .filter(action__in=actions.values("pk"))
             .order_by("organisation__name")
             .values_list("action_id", "organisation__name"))
    names: dict[int, list[str]] = defaultdict(list)
    for action_id, name in links:
        names[action_id].append(name)
    return {action_id: "; ".join(each) for action_id, each in names.items()}


def _rows(request: HttpRequest, plan: Plan) -> Iterator[list]:
    actions = action_filter_for(request, plan, timezone.localdate()).qs
    contributors = _contributors_by_action(actions)
    return ([ref, title, workstream, owner or "", contributors.get(pk, ""), lead, lead_role,
             director, director_role, agency or "", team or "", start, original_due,
             current_due, RAG_WORDS[rag or ""], completed, last_update]
            for pk, ref, title, workstream, owner, lead, lead_role, director, director_role,
            agency, team, start, original_due, current_due, rag, completed, last_update
            in actions.values_list(
                "pk", "ref", "title", "workstream__code", "owner__name", "action_lead_name",
                "action_lead_role", "sponsoring_director_name", "sponsoring_director_role",
                "lead_agency__name", "delivery_team__name", "start_date",
                "original_due_date", "current_due_date", "rag", "completed_date",
                "last_update"))


def _filename(plan: Plan, extension: str) -> str:
    return f"{plan.slug}-actions-{timezone.localdate():%Y-%m-%d}.{extension}"


@plan_reader_required
def export_csv(request: HttpRequest, plan: Plan) -> HttpResponse:
    content = cached(request, plan, lambda: csv_bytes(HEADER, _rows(request, plan)))
    return download_response(_filename(plan, "csv"), content, CSV_CONTENT_TYPE)


@plan_reader_required
def export_xlsx(request: HttpRequest, plan: Plan) -> HttpResponse:
    content = cached(request, plan, lambda: xlsx_bytes("Actions", HEADER, _rows(request, plan)))
    return download_response(_filename(plan, "xlsx"), content, XLSX_CONTENT_TYPE)
