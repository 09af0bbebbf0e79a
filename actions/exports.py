"""Downloads of the actions list: the same filtered rows as the page, as CSV or Excel, headed
with the plan, the filters applied and when the download was made."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pagecache.pages import cached
from plans.decorators import plan_reader_required
from plans.models import Plan
from send_wsoa.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Heading,
    csv_bytes,
    download_response,
    filters_applied,
    xlsx_bytes,
)

from .filters import action_filter_for
from .models import Action, ProgressUpdate, Rag

# Each RAG's word, looked up once rather than through the enum for every row.
RAG_WORDS = {**dict(Rag.choices), "": "Not reported"}
HEADER = ["Ref", "Title", "Workstream", "Owner", "Contributors", "Action lead",
          "Action lead role", "Sponsoring director", "Sponsoring director role", "Lead agency",
          "Delivery team", "Start date", "Original due date", "Current due date", "RAG",
          "Completed date", "Last update", "Latest progress narrative"]


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


def _download(request: HttpRequest, plan: Plan) -> tuple[Heading, Iterator[list]]:
    """The heading and rows of a download of the actions the list's filters select."""
    action_filter = action_filter_for(request, plan, timezone.localdate())
    narrative = (ProgressUpdate.objects.filter(action=OuterRef("pk"))
                 .order_by("-date", "-created_at", "-id").values("narrative")[:1])
    actions = action_filter.qs.annotate(latest_narrative=Subquery(narrative))
    contributors = _contributors_by_action(actions)
    heading = Heading(title=f"{plan.local_area}: actions of the {plan.vocabulary.plan_name}",
                      filters=filters_applied(action_filter.form,
                                              none="No filters: every action of the plan"),
                      made_at=timezone.now())
    return heading, ([ref, title, workstream, owner or "", contributors.get(pk, ""), lead,
                      lead_role, director, director_role, agency or "", team or "", start,
                      original_due, current_due, RAG_WORDS[rag or ""], completed, last_update,
                      latest_narrative or ""]
                     for pk, ref, title, workstream, owner, lead, lead_role, director,
                     director_role, agency, team, start, original_due, current_due, rag,
                     completed, last_update, latest_narrative in actions.values_list(
                         "pk", "ref", "title", "workstream__code", "owner__name",
                         "action_lead_name", "action_lead_role", "sponsoring_director_name",
                         "sponsoring_director_role", "lead_agency__name",
                         "delivery_team__name", "start_date", "original_due_date",
                         "current_due_date", "rag", "completed_date", "last_update",
                         "latest_narrative"))


def _filename(plan: Plan, extension: str) -> str:
    return f"{plan.slug}-actions-{timezone.localdate():%Y-%m-%d}.{extension}"


@plan_reader_required
def export_csv(request: HttpRequest, plan: Plan) -> HttpResponse:
    def build() -> bytes:
        heading, rows = _download(request, plan)
        return csv_bytes(HEADER, rows, heading=heading)

    content = cached(request, plan, build)
    return download_response(_filename(plan, "csv"), content, CSV_CONTENT_TYPE)


@plan_reader_required
def export_xlsx(request: HttpRequest, plan: Plan) -> HttpResponse:
    def build() -> bytes:
        heading, rows = _download(request, plan)
        return xlsx_bytes("Actions", HEADER, rows, heading=heading)

    content = cached(request, plan, build)
    return download_response(_filename(plan, "xlsx"), content, XLSX_CONTENT_TYPE)
