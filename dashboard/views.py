import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import reader_required
from actions.filters import actions_for_listing
from pagecache.pages import render_with_cached_body
from workstreams.models import Plan
from workstreams.selectors import SESSION_PLAN_KEY, current_plan_or_404, plans

from .selectors import (
    changes_since,
    latest_board_meeting,
    measure_status_counts,
    needs_attention,
    plan_totals,
    printed_rows,
    workstream_rag_counts,
)

# The dashboard fits one screen: longer lists show their first rows and a count.
SHOWN_ON_DASHBOARD = 10


class PlanChoiceForm(forms.Form):
    plan = forms.ChoiceField(label="Plan to show")

    def __init__(self, *args, plans: list[Plan], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(plan.slug, str(plan)) for plan in plans]


def _shortened(queryset, count: int) -> dict:
    return {"rows": list(queryset[:SHOWN_ON_DASHBOARD]) if count else [], "count": count,
            "more": max(count - SHOWN_ON_DASHBOARD, 0)}


def _overview(plan: Plan, today: dt.date, limit: int | None = None) -> dict:
    """What the dashboard and the board pack both show."""
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
        "measure_rows": measure_status_counts(plan, [row.workstream for row in rag_rows]),
    }


def _home_context(plan: Plan, today: dt.date) -> dict:
    context = _overview(plan, today, limit=SHOWN_ON_DASHBOARD)
    attention = context["attention"]
    context.update({
        "shown": SHOWN_ON_DASHBOARD,
        "red": _shortened(attention.red, attention.red.count()),
        "overdue": _shortened(attention.overdue, attention.overdue.count()),
        "without_update": _shortened(attention.without_update,
                                     attention.without_update.count()),
        "milestones_overdue": _shortened(attention.milestones_overdue,
                                         attention.milestones_overdue.count()),
        "shows_demo_data": _shows_demo_data(plan, context["meeting"]),
    })
    return context


def _shows_demo_data(plan: Plan, meeting) -> bool:
    return plan.has_demo_data or bool(meeting and meeting.is_demo)


def _home(request: HttpRequest, plan: Plan, form: PlanChoiceForm, status: int = 200
          ) -> HttpResponse:
    today = timezone.localdate()
    return render_with_cached_body(
        request, "dashboard/home.html",
        {"plan": plan, "today": today,
         "plan_form": form if len(form.fields["plan"].choices) > 1 else None},
        name="dashboard", vary=(plan.pk,), body_template="dashboard/_home_body.html",
        build=lambda: _home_context(plan, today), keep=["shows_demo_data"], status=status)


@reader_required
def home(request: HttpRequest) -> HttpResponse:
    plan = current_plan_or_404(request)
    return _home(request, plan, PlanChoiceForm(initial={"plan": plan.slug}, plans=plans(request)))


@require_POST
@reader_required
def select_plan(request: HttpRequest) -> HttpResponse:
    """Keep the chosen plan in the session; every page then shows that plan."""
    form = PlanChoiceForm(request.POST, plans=plans(request))
    if form.is_valid():
        request.session[SESSION_PLAN_KEY] = form.cleaned_data["plan"]
        return redirect("dashboard:home")
    return _home(request, current_plan_or_404(request), form, status=400)


def _actions_by_workstream(plan: Plan) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for action in printed_rows(actions_for_listing(plan), "last_update"):
        grouped.setdefault(action["workstream_id"], []).append(action)
    return grouped


def _board_pack_context(plan: Plan, today: dt.date) -> dict:
    context = _overview(plan, today)
    actions = _actions_by_workstream(plan)
    for row in context["rag_rows"]:
        row.actions = actions.get(row.workstream.pk, [])
    attention = context["attention"]
    context.update({
        "red": printed_rows(attention.red),
        "overdue": printed_rows(attention.overdue),
        "without_update": printed_rows(attention.without_update),
        "milestones_overdue": list(attention.milestones_overdue),
        "shows_demo_data": _shows_demo_data(plan, context["meeting"]),
    })
    return context


@reader_required
def board_pack(request: HttpRequest) -> HttpResponse:
    """The dashboard, what needs attention and every workstream's actions, ready to print."""
    plan = current_plan_or_404(request)
    today = timezone.localdate()
    return render_with_cached_body(
        request, "dashboard/board_pack.html",
        {"plan": plan, "printed_at": timezone.localtime()},
        name="board-pack", vary=(plan.pk,), body_template="dashboard/_board_pack_body.html",
        build=lambda: _board_pack_context(plan, today), keep=["shows_demo_data"],
        whole_page=False)  # each print says when it was printed
