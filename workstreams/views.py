from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tables2 import RequestConfig

from actions.filters import actions_for_listing
from actions.tables import ActionTable
from dashboard.charts import rag_stacked_bars
from dashboard.selectors import workstream_rag_counts, workstream_rag_over_time
from measures.selectors import measures_with_status
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.selectors import review_meetings_for_plan

from .selectors import (
    feedback_points,
    outcome_groups,
    plan_tree,
    workstream_for_plan_or_404,
    workstream_heading_or_404,
)


@plan_reader_required
def plan(request: HttpRequest, current: Plan) -> HttpResponse:

    def build() -> dict:
        today = timezone.localdate()
        meetings = list(review_meetings_for_plan(current))
        points = feedback_points(current.pk)
        return {
            "plan": current,
            "sections": plan_tree(current, points),
            "feedback_points": points,
            "next_meetings": [m for m in meetings if m.date >= today],
            "past_meetings": [m for m in meetings if m.date < today][::-1],
        }

    return render_page(request, current, "workstreams/plan.html", {"plan": current},
                       body_template="workstreams/_plan_body.html", build=build)


def _detail_context(request: HttpRequest, current, workstream) -> dict:
    today = timezone.localdate()
    table = ActionTable(actions_for_listing(current).filter(workstream=workstream),
                        caption=f"Actions of workstream {workstream.code}",
                        exclude=("workstream",), plan_slug=current.slug)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    counts = workstream_rag_counts(current, only=workstream)[0]
    measures = [m for m in measures_with_status(current, today)
                if m.outcome.workstream_id == workstream.pk]
    bars = workstream_rag_over_time(workstream, today)
    return {
        "plan": current,
        "workstream": workstream,
        "points": list(workstream.weakness.points.all()) if workstream.weakness else [],
        "outcome_groups": outcome_groups(workstream),
        "counts": counts,
        "table": table,
        "measures": measures,
        "chart": rag_stacked_bars(bars, f"RAG of workstream {workstream.code} actions at "
                                        "the end of each reporting period"),
    }


@plan_reader_required
def detail(request: HttpRequest, current: Plan, code: str) -> HttpResponse:
    """One workstream: its weakness, outcomes, actions, measures and RAG history."""
    workstream = workstream_heading_or_404(current, code)
    return render_page(
        request, current, "workstreams/detail.html", {"plan": current, "workstream": workstream},
        body_template="workstreams/_detail_body.html",
        build=lambda: _detail_context(request, current,
                                      workstream_for_plan_or_404(current, pk=workstream["pk"])))
