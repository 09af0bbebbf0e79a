import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from actions.filters import actions_for_listing
from measures.selectors import described_variation_rows, measures_with_trend
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.selectors import as_at

from .selectors import (
    changes_since,
    first_printed_milestones,
    first_printed_rows,
    latest_board_meeting,
    measure_status_counts,
    needs_attention,
    plan_totals,
    printed_milestones,
    printed_rows,
    workstream_rag_counts,
)

# The dashboard fits one screen: longer lists show their first rows and a count.
SHOWN_ON_DASHBOARD = 10


def _shortened(rows: list, count: int) -> dict:
    return {"rows": rows, "count": count, "more": max(count - SHOWN_ON_DASHBOARD, 0)}


def _overview(plan: Plan, today: dt.date, limit: int | None = None,
              measures: list | None = None) -> dict:
    """What the dashboard and the board pack both show; `measures` (with their status) when
    the caller has already read them."""
    rag_rows = workstream_rag_counts(plan)
    meeting = latest_board_meeting(plan, today)
    return {
        "plan": plan,
        "today": today,
        "rag_rows": rag_rows,
        "rag_totals": plan_totals(rag_rows),
        "meeting": meeting,
        "changes": changes_since(plan, meeting.date, today, limit) if meeting else None,
        "attention": needs_attention(plan, today),
        "measure_rows": measure_status_counts(plan, [row.workstream for row in rag_rows],
                                              measures),
    }


def _home_context(plan: Plan, today: dt.date) -> dict:
    context = _overview(plan, today, limit=SHOWN_ON_DASHBOARD)
    attention = context["attention"]
    context.update({
        "shown": SHOWN_ON_DASHBOARD,
        # Each list's first rows and its full count in one query.
        "red": _shortened(*first_printed_rows(attention.red, SHOWN_ON_DASHBOARD)),
        "overdue": _shortened(*first_printed_rows(attention.overdue, SHOWN_ON_DASHBOARD)),
        "without_update": _shortened(*first_printed_rows(attention.without_update,
                                                         SHOWN_ON_DASHBOARD)),
        "milestones_overdue": _shortened(*first_printed_milestones(
            attention.milestones_overdue, SHOWN_ON_DASHBOARD)),
        "shows_demo_data": _shows_demo_data(plan, context["meeting"]),
    })
    return context


def _shows_demo_data(plan: Plan, meeting) -> bool:
    return plan.has_demo_data or bool(meeting and meeting.is_demo)


@plan_reader_required
def home(request: HttpRequest, plan: Plan) -> HttpResponse:
    today = as_at(plan, timezone.localdate())
    return render_page(
        request, plan, "dashboard/home.html", {"plan": plan, "today": today},
        body_template="dashboard/_home_body.html",
        build=lambda: _home_context(plan, today), keep=["shows_demo_data"])


def _actions_by_workstream(plan: Plan) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for action in printed_rows(actions_for_listing(plan), "last_update"):
        grouped.setdefault(action["workstream_id"], []).append(action)
    return grouped


def _board_pack_context(plan: Plan, today: dt.date) -> dict:
    measures = measures_with_trend(plan, today)
    context = _overview(plan, today, measures=measures)
    actions = _actions_by_workstream(plan)
    for row in context["rag_rows"]:
        row.actions = actions.get(row.workstream.pk, [])
        row.measures = [m for m in measures if m.outcome.workstream_id == row.workstream.pk]
    attention = context["attention"]
    context.update({
        "red": printed_rows(attention.red),
        "overdue": printed_rows(attention.overdue),
        "without_update": printed_rows(attention.without_update),
        "milestones_overdue": printed_milestones(attention.milestones_overdue),
        "variation_rows": described_variation_rows(plan),
        "has_measures": bool(measures),
        "shows_demo_data": _shows_demo_data(plan, context["meeting"]),
    })
    return context


@plan_reader_required
def board_pack(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The dashboard, what needs attention, the measures' trends and variation between areas
    and every workstream's actions, ready to print."""
    today = as_at(plan, timezone.localdate())
    return render_page(
        request, plan, "dashboard/board_pack.html",
        {"plan": plan, "printed_at": timezone.localtime()},
        body_template="dashboard/_board_pack_body.html",
        build=lambda: _board_pack_context(plan, today), keep=["shows_demo_data"])
