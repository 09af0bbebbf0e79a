"""The quarterly DfE / NHS England monitoring: the plan's periods and review meetings, closing
and reopening periods, the monitoring pack, sending it for a meeting and recording what the
meeting decided. Every member of the plan reads; officers and administrators act."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.models import Action
from audit.services import person_label
from govuk.forms import add_service_errors
from plans import services as plan_services
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_close_periods, can_reopen_periods
from plans.selectors import (
    next_evidence_deadline,
    period_for_plan_or_404,
    periods_for_plan,
    review_meeting_for_plan_or_404,
    review_meetings_for_plan,
)
from send_wsoa.exports import XLSX_CONTENT_TYPE, download_response

from . import services
from .forms import ClosePeriodForm, OutcomeForm, ReopenPeriodForm, ReviewMeetingForm


def _home(plan: Plan) -> str:
    return reverse("monitoring:home", kwargs={"plan_slug": plan.slug})


def _closer_or_403(request: HttpRequest, plan: Plan) -> None:
    if not can_close_periods(request.user, plan):
        raise PermissionDenied


@plan_reader_required
@require_GET
def home(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The plan's reporting periods, each with its pack and whether it is closed, and its
    review meetings with their evidence deadlines."""
    today = timezone.localdate()
    periods = list(periods_for_plan(plan).filter(start__lte=today).select_related(
        "closed_by").order_by("-start"))
    meetings = list(review_meetings_for_plan(plan))
    return render(request, "monitoring/home.html", {
        "plan": plan, "periods": periods, "today": today,
        "past_meetings": [m for m in meetings if m.date < today][::-1],
        "next_meetings": [m for m in meetings if m.date >= today],
        "deadline": next_evidence_deadline(plan, today),
        "can_close": can_close_periods(request.user, plan),
        "can_reopen": can_reopen_periods(request.user, plan)})


@plan_reader_required
@require_GET
def pack(request: HttpRequest, plan: Plan, period_slug: str) -> HttpResponse:
    """The period's monitoring pack: as at its close once closed, else as the plan is now."""
    period = period_for_plan_or_404(plan, period_slug)
    name, content = services.monitoring_pack(plan=plan, period=period,
                                             generated_by=person_label(request.user))
    return download_response(name, content, XLSX_CONTENT_TYPE)


@plan_reader_required
@require_http_methods(["GET", "POST"])
def period_close(request: HttpRequest, plan: Plan, period_slug: str) -> HttpResponse:
    _closer_or_403(request, plan)
    period = period_for_plan_or_404(plan, period_slug)
    form = ClosePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.reporting_period_close(period=period, user=request.user,
                                                 reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{period.name} closed: its monitoring pack is final")
            return redirect(_home(plan))
    return render(request, "monitoring/period_close.html", {
        "plan": plan, "period": period, "form": form})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def period_reopen(request: HttpRequest, plan: Plan, period_slug: str) -> HttpResponse:
    if not can_reopen_periods(request.user, plan):
        raise PermissionDenied
    period = period_for_plan_or_404(plan, period_slug)
    form = ReopenPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.reporting_period_reopen(period=period, user=request.user,
                                                  reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{period.name} reopened")
            return redirect(_home(plan))
    return render(request, "monitoring/period_reopen.html", {
        "plan": plan, "period": period, "form": form})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, plan: Plan) -> HttpResponse:
    _closer_or_403(request, plan)
    periods = periods_for_plan(plan)
    form = ReviewMeetingForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = set(data["invited"])
        try:
            meeting = plan_services.review_meeting_create(
                plan=plan, user=request.user, kind=data["kind"], number=data["number"],
                date=data["date"], period=data["period"],
                evidence_deadline=data["evidence_deadline"],
                invites_dfe_adviser="invites_dfe_adviser" in invited,
                invites_nhse_adviser="invites_nhse_adviser" in invited,
                invites_parent_carer_forum="invites_parent_carer_forum" in invited)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{meeting.title} added: evidence is due by "
                                      f"{meeting.evidence_deadline:%-d %B %Y}")
            return redirect(_meeting_url(meeting))
    return render(request, "monitoring/meeting_form.html", {"plan": plan, "form": form})


def _meeting_url(meeting) -> str:
    return reverse("monitoring:meeting", kwargs={"plan_slug": meeting.plan.slug,
                                                 "meeting_id": meeting.pk})


def _moved_actions(plan: Plan):
    return [action for action in Action.objects.for_plan(plan).natural_order()
            if action.due_date_moved]


@plan_reader_required
@require_GET
def meeting(request: HttpRequest, plan: Plan, meeting_id: int) -> HttpResponse:
    meeting = review_meeting_for_plan_or_404(plan, meeting_id)
    today = timezone.localdate()
    return render(request, "monitoring/meeting.html", {
        "plan": plan, "meeting": meeting, "today": today,
        "submissions": meeting.submissions.select_related("submitted_by").defer("content"),
        "agreed": meeting.agreed_due_dates.select_related("action").order_by(
            "action__workstream__order", "action__ref_number"),
        "can_act": can_close_periods(request.user, plan)})


@plan_reader_required
@require_POST
def meeting_submit(request: HttpRequest, plan: Plan, meeting_id: int) -> HttpResponse:
    _closer_or_403(request, plan)
    meeting = review_meeting_for_plan_or_404(plan, meeting_id)
    try:
        submission = services.pack_submit(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{submission.filename} sent for {meeting.title} and kept "
                                  "exactly as sent")
    return redirect(_meeting_url(meeting))


@plan_reader_required
@require_GET
def submitted_pack(request: HttpRequest, plan: Plan, meeting_id: int,
                   submission_id: int) -> HttpResponse:
    """A pack exactly as it was sent: the stored bytes, never made again."""
    meeting = review_meeting_for_plan_or_404(plan, meeting_id)
    submission = meeting.submissions.filter(pk=submission_id).first()
    if submission is None:
        raise Http404("No such pack.")
    return download_response(submission.filename, bytes(submission.content),
                             XLSX_CONTENT_TYPE)


@plan_reader_required
@require_http_methods(["GET", "POST"])
def meeting_outcome(request: HttpRequest, plan: Plan, meeting_id: int) -> HttpResponse:
    _closer_or_403(request, plan)
    meeting = review_meeting_for_plan_or_404(plan, meeting_id)
    moved = Action.objects.filter(pk__in=[a.pk for a in _moved_actions(plan)]).order_by(
        "workstream__order", "ref_number")
    initial = {"feedback": meeting.feedback}
    form = OutcomeForm(request.POST or None, request.FILES or None, moved_actions=moved,
                       initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_services.review_outcome_record(
                meeting=meeting, user=request.user, feedback=data["feedback"],
                file=data["file"], agreed_actions=data["agreed_actions"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Outcome of {meeting.title} recorded")
            return redirect(_meeting_url(meeting))
    return render(request, "monitoring/outcome_form.html", {
        "plan": plan, "meeting": meeting, "form": form})


@plan_reader_required
@require_GET
def meeting_letter(request: HttpRequest, plan: Plan, meeting_id: int) -> FileResponse:
    """The advisers' letter, always as a download so the browser never runs it as a page."""
    meeting = review_meeting_for_plan_or_404(plan, meeting_id)
    if not meeting.feedback_file:
        raise Http404("No letter is attached.")
    try:
        handle = default_storage.open(meeting.feedback_file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404("The letter is missing.") from missing
    extension = PurePath(meeting.feedback_file.name).suffix.lower()
    response = FileResponse(handle, as_attachment=True,
                            filename=f"review-meeting-{meeting.date:%Y-%m-%d}-letter{extension}",
                            content_type=meeting.feedback_content_type
                            or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
