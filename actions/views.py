from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from audit.selectors import latest_entries_for_action
from dashboard.selectors import exceptions_awaiting_commentary
from govuk.forms import add_service_errors
from pagecache.pages import render_page
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import (
    can_edit_workstream,
    can_import_returns,
    can_read_workstream_audit_trail,
    has_own_actions,
    led_workstream_ids,
)
from plans.selectors import current_period, periods_for_plan, source_of, workstream_lead_names
from public.selectors import published_text
from send_wsoa.errors import Refusal
from send_wsoa.middleware import allows_file_of
from workstreams.models import Workstream

from . import selectors, services
from .filters import action_filter_for, filter_query
from .forms import DueDateForm, EvidenceForm, MilestoneDoneForm, MilestoneForm, ProgressUpdateForm
from .models import RAG_MEANINGS, Action, Rag
from .tables import ActionTable


def _list_context(request: HttpRequest, plan) -> dict:
    action_filter = action_filter_for(request, plan, timezone.localdate())
    table = ActionTable(action_filter.qs, caption="Actions", plan_slug=plan.slug)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return {"plan": plan, "filter": action_filter, "table": table,
            "filter_query": filter_query(request),
            "can_import": can_import_returns(request.user, plan),
            "has_errors": bool(action_filter.form.errors)}


@plan_reader_required
def list(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Every action in one sortable, paginated table, filtered by GET parameters."""
    return render_page(request, plan, "actions/list.html", {"plan": plan},
                       body_template="actions/_list_body.html",
                       build=lambda: _list_context(request, plan), keep=["has_errors"])


HISTORY_LIMIT = 50
CONFLICT_MESSAGE = "Someone else changed this action while you were editing"


def _action_for_lead_or_403(request: HttpRequest, plan: Plan, ref: str) -> Action:
    """The action, if the user leads its workstream or is an administrator of the plan."""
    action = selectors.action_for_plan_or_404(plan, ref)
    if not can_edit_workstream(request.user, plan, action.workstream_id):
        raise _refusal(request, plan, action)
    return action


def _in_words(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _refusal(request: HttpRequest, plan: Plan, action: Action) -> Refusal:
    """Why this person may not change the action: whose it is, and what they lead."""
    back = (_detail_url(action), f"Back to {action.ref}")
    if plan.is_closed:
        return Refusal(f"{plan.title} is closed, so nothing in it can be changed.", *back)
    led = [*Workstream.objects.filter(pk__in=led_workstream_ids(request.user, plan))
           .order_by("order", "code").values_list("code", flat=True)]
    you = f"You lead {_in_words(led)}." if led else "You do not lead a workstream of this plan."
    leads = workstream_lead_names(plan, action.workstream_id)
    whose = f"led by {_in_words(leads)}" if leads else "which has no lead yet"
    return Refusal(f"{you} {action.ref} belongs to {action.workstream.code}, {whose}. Only its "
                   f"leads and the plan's administrators can change it.", *back)


def _detail_url(action: Action, tab: str = "") -> str:
    url = reverse("actions:detail", kwargs={"plan_slug": action.plan.slug, "ref": action.ref})
    return f"{url}#{tab}" if tab else url



def _done_prefix(milestone) -> str:
    return f"milestone-{milestone.pk}"


def _stash_key(kind: str, action: Action) -> str:
    return f"actions:{kind}:{action.pk}"


def _stash(request: HttpRequest, kind: str, action: Action, form: Form) -> None:
    """Keep the answers being checked so "Change" reopens the form with them in it."""
    request.session[_stash_key(kind, action)] = {
        name: form.data.get(name, "") for name in form.fields}


def _stashed(request: HttpRequest, kind: str, action: Action) -> dict | None:
    if request.GET.get("change"):
        return request.session.get(_stash_key(kind, action))
    return None


def _with_version(form_class, request: HttpRequest, version: int, **kwargs) -> Form:
    """The user's own answers, re-bound with the action's current version so they can be
    sent again once the user has seen what changed."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, CONFLICT_MESSAGE)
    return form


def _history_context(action: Action, shows_history: bool) -> dict:
    """The History tab, for those who may read this workstream's audit trail: the latest
    entries, and a link to the whole trail of the action when there are more."""
    if not shows_history:
        return {"shows_history": False}
    entries, has_more = latest_entries_for_action(action, limit=HISTORY_LIMIT)
    audit_url = reverse("audit:list", kwargs={"plan_slug": action.plan.slug})
    more_url = f"{audit_url}?{urlencode({'action': action.ref})}"
    return {"shows_history": True, "history_entries": entries,
            "history_more_url": more_url if has_more else ""}


def _detail_context(action: Action, *, can_edit: bool, shows_history: bool,
                    done_form: MilestoneDoneForm | None = None) -> dict:
    """The action page's body. Who may edit and read the history are decided once, by the
    caller, so the body always matches the cache key it is stored under."""
    # `list` in this module is the action list view, hence the unpacking below.
    milestones = [*action.milestones.all()]
    for milestone in milestones:
        if can_edit and milestone.done_date is None:
            milestone.done_form = (
                done_form if done_form and done_form.prefix == _done_prefix(milestone)
                else MilestoneDoneForm(prefix=_done_prefix(milestone)))
    updates = [*action.progress_updates.all()]
    public_text = published_text(action)
    draft = action.public_summary.strip()
    return {
        "action": action,
        "public_text": public_text,
        "unpublished_draft": draft if draft != public_text else "",
        "rag_meaning": RAG_MEANINGS.get(action.rag, "") if action.rag else "",
        "contributors": [*action.contributors.all()],
        "milestones": milestones,
        "milestones_overdue": sum(1 for milestone in milestones if milestone.overdue),
        "updates": updates,
        "evidence": [*action.evidence.all()],
        "outcomes": [*action.outcomes.all()],
        "feedback_points": [*action.feedback_points.all()],
        "source": source_of(action),
        **_history_context(action, shows_history),
        "can_edit": can_edit,
        "done_form": done_form,
        "has_errors": bool(done_form and done_form.errors),
        "shows_demo_data": action.plan.has_demo_data or any(
            record.is_demo for record in [*milestones, *updates]),
    }


def _render_detail(request: HttpRequest, plan: Plan, action: selectors.ActionHeading,
                   done_form: MilestoneDoneForm | None = None, status: int = 200) -> HttpResponse:
    # A lead's page holds forms of their own, so it is drawn afresh; a reader's is the same
    # for everyone who may (or may not) read the action's history.
    can_edit = can_edit_workstream(request.user, plan, action.workstream_id)
    shows_history = can_read_workstream_audit_trail(request.user, plan, action.workstream_id)
    return render_page(
        request, plan, "actions/detail.html", {"plan": plan, "action": action},
        body_template="actions/_detail_body.html", keep=["shows_demo_data", "has_errors"],
        build=lambda: _detail_context(
            selectors.action_detail_or_404(plan, pk=action.pk), can_edit=can_edit,
            shows_history=shows_history, done_form=done_form),
        cache_body=not can_edit, status=status)


@plan_reader_required
def detail(request: HttpRequest, plan: Plan, ref: str) -> HttpResponse:
    """One action: what it is, who owns it, its RAG history, milestones and evidence."""
    return _render_detail(request, plan, selectors.action_heading_or_404(plan, ref))


def _update_saved(request: HttpRequest, action: Action) -> HttpResponse:
    request.session.pop(_stash_key("update", action), None)
    messages.success(request, f"Progress update added to {action.ref}")
    return redirect(_detail_url(action, "progress"))


@plan_reader_required
@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest, plan: Plan, ref: str) -> HttpResponse:
    """Add a progress update: the only way an action's RAG status changes."""
    action = _action_for_lead_or_403(request, plan, ref)
    form_kwargs = {
        "periods": periods_for_plan(plan),
        "has_undone_milestones": action.milestones.filter(done_date__isnull=True).exists(),
    }
    conflict = None
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            answers = {"rag": data["rag"], "narrative": data["narrative"],
                       "period": data["period"], "date": data["date"],
                       "completed_date": data["completed_date"],
                       "milestones_reason": data.get("milestones_reason", "")}
            try:
                services.check_version(action, data["version"])
                # Every update is checked before saving; the confirmation carries the answers
                # back, so saving validates them again as if they were typed afresh.
                if request.POST.get("confirm") != "1":
                    services.validate_progress_update(action=action, **answers)
                    _stash(request, "update", action, form)
                    latest = services.latest_report_date(action)
                    sets_colour = services.report_sets_colour(data["date"], latest)
                    return render(request, "actions/update_check.html", {
                        "action": action, "form": form, "answers": answers,
                        "new_rag_label": Rag(data["rag"]).label,
                        "later_report": None if sets_colour else latest,
                        "worsening_to_red": sets_colour and data["rag"] == Rag.RED
                        and action.rag != Rag.RED})
                services.progress_update_create(action=action, user=request.user,
                                                expected_version=data["version"], **answers)
            except services.ConflictError as error:
                if request.POST.get("confirm") == "1" and services.repeats_own_update(
                        error, user=request.user, **answers):
                    return _update_saved(request, action)
                conflict = error
                form = _with_version(ProgressUpdateForm, request, error.action.version,
                                     **form_kwargs)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _update_saved(request, action)
    else:
        today = timezone.localdate()
        # No colour is chosen for the user: each update's colour is a fresh judgement.
        initial = _stashed(request, "update", action) or {
            "date": today, "period": current_period(plan, today)}
        # The stashed version stays, so a change made meanwhile is still caught on saving.
        initial.setdefault("version", action.version)
        form = ProgressUpdateForm(initial=initial, **form_kwargs)
    return render(request, "actions/update_form.html", {
        "action": action, "form": form, "conflict": conflict,
        "rag_meaning": RAG_MEANINGS.get(action.rag, "") if action.rag else ""})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def milestone_new(request: HttpRequest, plan: Plan, ref: str) -> HttpResponse:
    action = _action_for_lead_or_403(request, plan, ref)
    if request.method == "POST":
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_create(action=action, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Milestone added to {action.ref}")
                return redirect(_detail_url(action, "milestones"))
    else:
        form = MilestoneForm()
    return render(request, "actions/milestone_form.html", {"action": action, "form": form})


@plan_reader_required
@require_POST
def milestone_done(request: HttpRequest, plan: Plan, ref: str, milestone_id: int
                   ) -> HttpResponse:
    action = _action_for_lead_or_403(request, plan, ref)
    milestone = selectors.milestone_for_action_or_404(action, milestone_id)
    form = MilestoneDoneForm(request.POST, prefix=_done_prefix(milestone))
    if form.is_valid():
        try:
            services.milestone_mark_done(milestone=milestone, user=request.user,
                                         **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Milestone marked done: {milestone.title}")
            return redirect(_detail_url(action, "milestones"))
    return _render_detail(request, plan, selectors.action_heading_or_404(plan, action.ref),
                          form, status=400)


@plan_reader_required
@require_http_methods(["GET", "POST"])
def due_date(request: HttpRequest, plan: Plan, ref: str) -> HttpResponse:
    """Move the current due date, with a reason; the original due date is kept."""
    action = _action_for_lead_or_403(request, plan, ref)
    conflict = None
    if request.method == "POST":
        form = DueDateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.check_version(action, data["version"])
                if request.POST.get("confirm") != "1":
                    services.validate_due_date_move(action=action,
                                                    new_due_date=data["new_due_date"],
                                                    reason=data["reason"])
                    _stash(request, "due-date", action, form)
                    return render(request, "actions/due_date_check.html", {
                        "action": action, "form": form, "answers": data})
                services.due_date_move(action=action, user=request.user,
                                       expected_version=data["version"],
                                       new_due_date=data["new_due_date"], reason=data["reason"])
            except services.ConflictError as error:
                conflict = error
                form = _with_version(DueDateForm, request, error.action.version)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session.pop(_stash_key("due-date", action), None)
                messages.success(request, f"Due date of {action.ref} moved")
                return redirect(_detail_url(action))
    else:
        initial = _stashed(request, "due-date", action) or {}
        initial.setdefault("version", action.version)
        form = DueDateForm(initial=initial)
    return render(request, "actions/due_date_form.html", {
        "action": action, "form": form, "conflict": conflict})


@allows_file_of(settings.EVIDENCE_MAX_BYTES)
@plan_reader_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest, plan: Plan, ref: str) -> HttpResponse:
    action = _action_for_lead_or_403(request, plan, ref)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.evidence_add(action=action, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Evidence added to {action.ref}")
                return redirect(_detail_url(action, "evidence"))
    else:
        form = EvidenceForm()
    return render(request, "actions/evidence_form.html", {"action": action, "form": form})


@plan_reader_required
def evidence_download(request: HttpRequest, plan: Plan, ref: str, evidence_id: int
                      ) -> FileResponse:
    """An evidence file, always as a download so the browser never runs it as a page."""
    evidence = selectors.evidence_file_or_404(plan, ref, evidence_id)
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404("The evidence file is missing.") from missing
    extension = PurePath(evidence.file.name).suffix.lower()
    response = FileResponse(handle, as_attachment=True,
                            filename=f"{slugify(evidence.title) or 'evidence'}{extension}",
                            content_type=evidence.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@plan_reader_required
def yours(request: HttpRequest, plan: Plan) -> HttpResponse:
    """A lead's own page: the actions of the workstreams they lead that need something from
    them now. Drawn for each person, so never cached."""
    if not has_own_actions(request.user, plan):
        return render(request, "actions/yours.html", {"plan": plan, "leads": False})
    today, led = timezone.localdate(), led_workstream_ids(request.user, plan)
    return render(request, "actions/yours.html", {
        "plan": plan, "leads": True, "worklist": selectors.worklist(plan, today, led),
        "exceptions": exceptions_awaiting_commentary(plan, today, led)})
