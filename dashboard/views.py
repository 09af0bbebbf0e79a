import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.checkpoints import pack_attestation
from govuk.forms import add_service_errors
from measures.selectors import described_variation_rows, measures_with_trend
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_edit_workstream, can_schedule_board_meetings
from plans.selectors import as_at, next_evidence_deadline
from send_wsoa.errors import Refusal

from . import services
from .forms import BoardMeetingForm, CommentaryForm
from .models import BoardException
from .selectors import (
    ATTENTION_LISTS,
    changes_since_meeting,
    first_listed,
    latest_board_meeting,
    listed_in_full,
    measure_status_counts,
    meeting_exceptions,
    needs_attention,
    next_board_meeting,
    plan_totals,
    printed_actions_with_last_update,
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
        "changes": changes_since_meeting(plan, meeting, limit) if meeting else None,
        "attention": needs_attention(plan, today),
        "measure_rows": measure_status_counts(plan, [row.workstream for row in rag_rows],
                                              measures),
    }


def _exceptions(plan: Plan, today: dt.date) -> dict:
    """The next board meeting's exceptions with their commentaries, for the dashboard and
    the board pack."""
    meeting = next_board_meeting(plan, today)
    return {"next_meeting": meeting, "exceptions": meeting_exceptions(meeting)}


def _home_context(plan: Plan, today: dt.date) -> dict:
    context = _overview(plan, today, limit=SHOWN_ON_DASHBOARD)
    context.update(_exceptions(plan, today))
    attention = context["attention"]
    context.update({
        "shown": SHOWN_ON_DASHBOARD,
        # Each list's first rows, and its full count when there are more.
        **{name: _shortened(*first_listed(attention, name, SHOWN_ON_DASHBOARD))
           for name in ATTENTION_LISTS},
        "shows_demo_data": _shows_demo_data(plan, context["meeting"]),
        "evidence_deadline": next_evidence_deadline(plan, today),
    })
    return context


def _shows_demo_data(plan: Plan, meeting) -> bool:
    return plan.has_demo_data or bool(meeting and meeting.is_demo)


@plan_reader_required
def home(request: HttpRequest, plan: Plan) -> HttpResponse:
    today = as_at(plan, timezone.localdate())
    return render_page(
        request, plan, "dashboard/home.html",
        {"plan": plan, "today": today,
         "can_schedule": can_schedule_board_meetings(request.user, plan)},
        body_template="dashboard/_home_body.html",
        build=lambda: _home_context(plan, today), keep=["shows_demo_data"])


def _actions_by_workstream(plan: Plan) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for action in printed_actions_with_last_update(plan.pk):
        grouped.setdefault(action["workstream_id"], []).append(action)
    return grouped


def _board_pack_context(plan: Plan, today: dt.date) -> dict:
    measures = measures_with_trend(plan, today)
    context = _overview(plan, today, measures=measures)
    context.update(_exceptions(plan, today))
    actions = _actions_by_workstream(plan)
    for row in context["rag_rows"]:
        row.actions = actions.get(row.workstream.pk, [])
        row.measures = [m for m in measures if m.outcome.workstream_id == row.workstream.pk]
    attention = context["attention"]
    context.update({
        **{name: listed_in_full(attention, name) for name in ATTENTION_LISTS},
        "variation_rows": described_variation_rows(plan),
        "has_measures": bool(measures),
        "shows_demo_data": _shows_demo_data(plan, context["meeting"]),
        # Current whenever the body is: a new audit entry is a change, and redraws it.
        "attestation": pack_attestation(),
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



@plan_reader_required
@require_http_methods(["GET", "POST"])
def board_meeting_new(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Schedule the board's next meeting: its exceptions are raised for the leads."""
    if not can_schedule_board_meetings(request.user, plan):
        raise Refusal("Officers and administrators of the plan schedule the board's "
                      "meetings.", reverse("dashboard:home", args=[plan.slug]),
                      "Back to the dashboard")
    form = BoardMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.board_meeting_schedule(plan=plan, user=request.user,
                                                      **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = meeting.exceptions.count()
            messages.success(request, f"Board meeting scheduled for {meeting.date:%-d %B %Y}: "
                                      f"{count} exception{'s' if count != 1 else ''} for "
                                      "their leads to explain")
            return redirect(f"{reverse('dashboard:home', args=[plan.slug])}#exceptions")
    return render(request, "dashboard/board_meeting_form.html", {"plan": plan, "form": form},
                  status=400 if form.errors else 200)


def _exception_for_lead_or_403(request: HttpRequest, plan: Plan,
                               exception_id: int) -> BoardException:
    exception = (BoardException.objects.select_related("action", "action__workstream",
                                                       "meeting")
                 .filter(plan=plan, pk=exception_id).first())
    if exception is None:
        raise Http404("No such exception in this plan.")
    if not can_edit_workstream(request.user, plan, exception.action.workstream_id):
        raise PermissionDenied
    return exception


@plan_reader_required
@require_http_methods(["GET", "POST"])
def exception_commentary(request: HttpRequest, plan: Plan, exception_id: int) -> HttpResponse:
    """The lead's commentary on an exception, for the board's next meeting."""
    exception = _exception_for_lead_or_403(request, plan, exception_id)
    initial = {"what_went_wrong": exception.what_went_wrong,
               "what_is_being_done": exception.what_is_being_done,
               "board_asked_to": exception.board_asked_to}
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exception_commentary_write(exception=exception, user=request.user,
                                                **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Commentary on {exception.action.ref} saved for the "
                                      "board")
            return redirect("your_actions", plan_slug=plan.slug)
    return render(request, "dashboard/exception_form.html",
                  {"plan": plan, "exception": exception, "form": form},
                  status=400 if form.errors else 200)
