"""Upload pages for plan workbooks: officers and administrators bring a quarter's returns
into their plan; site administrators import a new plan. Each upload is checked and shown
as a preview (per action: field, old -> new); confirming applies exactly what the preview
showed, or, when the plan has changed since, says so and shows the new preview."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from area_statistics.selectors import ofsted_offer
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_import_new_plan, can_import_returns

from .forms import NewPlanUploadForm, ReturnsUploadForm
from .services import (
    Prepared,
    apply_import,
    forget_upload,
    keep_upload,
    prepare_new_plan,
    prepare_returns,
)

FILE_NAME_MAX_CHARS = 100


def _file_name(upload) -> str:
    """The uploader's file name, as the audit trail names the import; never a path."""
    name = PurePath(upload.name or "workbook.xlsx").name
    return name if len(name) <= FILE_NAME_MAX_CHARS else name[-FILE_NAME_MAX_CHARS:]


def _keep(request: HttpRequest, key: str, upload, file_name: str, **more) -> None:
    """The uploaded file, kept under a random name until the import is confirmed."""
    stored = keep_upload(upload)
    _forget(request, key)
    request.session[key] = {"stored": stored, "file_name": file_name, **more}


def _forget(request: HttpRequest, key: str) -> None:
    kept = request.session.pop(key, None)
    if kept:
        forget_upload(kept["stored"])


def _problem_count(prepared: Prepared) -> str:
    count = len(prepared.problems)
    return (f"The file was not imported: {count} problem{'s' if count != 1 else ''} to fix, "
            "listed below. Nothing was saved.")


def _upload_page(request: HttpRequest, template: str, form, prepared: Prepared | None,
                 **context) -> HttpResponse:
    return render(request, template, {
        "form": form, "problems": prepared.problem_lines if prepared else [],
        "notes": prepared.notes if prepared else [], **context},
        status=400 if form.errors else 200)


def _check_page(request: HttpRequest, prepared: Prepared, *, changed: bool,
                **context) -> HttpResponse:
    return render(request, "imports/check.html", {
        "prepared": prepared, "changed": changed, "notes": prepared.notes, **context})


# Returns into a plan ------------------------------------------------------------------

def _returns_key(plan: Plan) -> str:
    return f"imports:returns:{plan.pk}"


def _returns_importer_or_403(request: HttpRequest, plan: Plan) -> None:
    if not can_import_returns(request.user, plan):
        raise PermissionDenied


@plan_reader_required
@require_http_methods(["GET", "POST"])
def returns_upload(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Upload a returns workbook: the whole file is checked before anything is shown."""
    _returns_importer_or_403(request, plan)
    form = ReturnsUploadForm(request.POST or None, request.FILES or None)
    prepared = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file_name = _file_name(upload)
        try:
            prepared = prepare_returns(plan=plan, file=upload, file_name=file_name,
                                       today=timezone.localdate())
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            if prepared.is_valid:
                _keep(request, _returns_key(plan), upload, file_name)
                return redirect("imports:returns_check", plan_slug=plan.slug)
            form.add_error("file", _problem_count(prepared))
    return _upload_page(request, "imports/returns_upload.html", form, prepared, plan=plan)


@plan_reader_required
@require_http_methods(["GET", "POST"])
def returns_check(request: HttpRequest, plan: Plan) -> HttpResponse:
    """What the uploaded returns would change; confirming applies exactly that."""
    _returns_importer_or_403(request, plan)
    kept = request.session.get(_returns_key(plan))
    upload_url = reverse("imports:returns_upload", kwargs={"plan_slug": plan.slug})
    if not kept or not default_storage.exists(kept["stored"]):
        messages.info(request, "Upload the returns workbook to check it")
        return redirect(upload_url)
    with default_storage.open(kept["stored"], "rb") as file:
        file.size = default_storage.size(kept["stored"])
        prepared = prepare_returns(plan=plan, file=file, file_name=kept["file_name"],
                                   today=timezone.localdate())
    changed = request.method == "POST" and request.POST.get("state") != prepared.state
    if request.method == "POST" and not changed and prepared.is_valid:
        apply_import(prepared, user=request.user)
        _forget(request, _returns_key(plan))
        messages.success(request, f"Imported {kept['file_name']}: {prepared.change_count} "
                                  f"change{'s' if prepared.change_count != 1 else ''} to "
                                  f"{len(prepared.actions)} action"
                                  f"{'s' if len(prepared.actions) != 1 else ''}")
        return redirect("actions:list", plan_slug=plan.slug)
    return _check_page(request, prepared, changed=changed, plan=plan, upload_url=upload_url,
                       action_url=reverse("imports:returns_check",
                                          kwargs={"plan_slug": plan.slug}))


# A new plan ---------------------------------------------------------------------------

NEW_PLAN_KEY = "imports:new-plan"


def _new_plan_importer_or_403(request: HttpRequest) -> None:
    if not can_import_new_plan(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def new_plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload a council's plan workbook to make a new plan of it."""
    _new_plan_importer_or_403(request)
    form = NewPlanUploadForm(request.POST or None, request.FILES or None)
    prepared = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        file_name = _file_name(upload)
        try:
            prepared = prepare_new_plan(file=upload, file_name=file_name, name=data["name"],
                                        kind=data["kind"], today=timezone.localdate())
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            if prepared.is_valid:
                _keep(request, NEW_PLAN_KEY, upload, file_name, name=data["name"],
                      kind=data["kind"])
                return redirect("new_plan_check")
            form.add_error("file", _problem_count(prepared))
    return _upload_page(request, "imports/new_plan_upload.html", form, prepared)


@require_http_methods(["GET", "POST"])
def new_plan_check(request: HttpRequest) -> HttpResponse:
    """What the new plan would hold; confirming creates exactly that."""
    _new_plan_importer_or_403(request)
    kept = request.session.get(NEW_PLAN_KEY)
    upload_url = reverse("new_plan_upload")
    if not kept or not default_storage.exists(kept["stored"]):
        messages.info(request, "Upload the plan workbook to check it")
        return redirect(upload_url)
    with default_storage.open(kept["stored"], "rb") as file:
        file.size = default_storage.size(kept["stored"])
        prepared = prepare_new_plan(file=file, file_name=kept["file_name"], name=kept["name"],
                                    kind=kept["kind"], today=timezone.localdate())
    # Offered to accept or not: Ofsted's facts of the area's inspection, where its file
    # has the area.
    ofsted = ofsted_offer(area_name=kept["name"])
    changed = request.method == "POST" and request.POST.get("state") != prepared.state
    if request.method == "POST" and not changed and prepared.is_valid:
        accepted = ofsted if request.POST.get("ofsted") == "accept" else None
        plan = apply_import(prepared, user=request.user, ofsted=accepted)
        _forget(request, NEW_PLAN_KEY)
        messages.success(request, f"Imported {kept['file_name']} as the {plan.local_area} "
                                  f"plan: {len(prepared.actions)} actions"
                                  + (", with Ofsted's facts of its inspection"
                                     if accepted else ""))
        return redirect("dashboard:home", plan_slug=plan.slug)
    return _check_page(request, prepared, changed=changed, upload_url=upload_url,
                       action_url=reverse("new_plan_check"), ofsted=ofsted)
