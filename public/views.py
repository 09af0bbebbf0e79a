"""The public page of a plan, its embed and its JSON, open to anyone; and the signed-in
pages where officers write, preview, publish and withdraw what it says."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from govuk.forms import add_service_errors
from pagecache.pages import cached, code_digest
from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_preview_public_page, can_publish

from . import selectors, services
from .accessibility import target_sentences
from .forms import (
    EntryForm,
    FindingForm,
    MeasurePublishForm,
    PublishForm,
    SettingsForm,
    SummaryForm,
)
from .models import YouSaidWeDid

# Public pages are kept by browsers and proxies but checked with the server on every view
# (no-cache): a 304 costs one query, and the page is right the moment anything changes.
PUBLIC_CACHE_CONTROL = {"public": True, "no_cache": True}


def _weakness_asked(request: HttpRequest) -> int | None:
    value = request.GET.get("weakness", "")
    return int(value) if value.isdigit() and len(value) < 4 else None


def _content(request: HttpRequest, plan: Plan) -> dict:
    """The page's content, drawn once for each revision of the data and day."""
    weakness = _weakness_asked(request)
    return cached(request, plan, lambda: selectors.public_content(plan, weakness=weakness))


def _etag(request: HttpRequest) -> str | None:
    """The page's version: the data's revision, the day and the code, with its address.
    None when the data has no revision to go by (the page cache is off)."""
    revision = getattr(request, "page_revision", None)
    if revision is None:
        return None
    version = repr((code_digest(), revision, request.page_day.isoformat(),
                    request.get_full_path()))
    return quote_etag(hashlib.sha256(version.encode()).hexdigest()[:32])


def _public(request: HttpRequest, draw) -> HttpResponse:
    """`draw()`'s response, cacheable by anyone and revalidated every time: 304 when the
    visitor already holds this version."""
    etag = _etag(request)
    if etag is not None:
        unchanged = get_conditional_response(request, etag=etag)
        if unchanged is not None:
            unchanged["ETag"] = etag
            patch_cache_control(unchanged, **PUBLIC_CACHE_CONTROL)
            return unchanged
    response = draw()
    if etag is None:
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    patch_cache_control(response, **PUBLIC_CACHE_CONTROL)
    return get_conditional_response(request, etag=etag, response=response) or response


def _page_context(request: HttpRequest, plan: Plan, content: dict, *, embed: bool) -> dict:
    page = "public:embed" if embed else "public:page"
    return {"plan": plan, "content": content, "embed": embed, "preview": False,
            "page_url": reverse(page, kwargs={"plan_slug": plan.slug}),
            "weaknesses": selectors.weakness_numbers(plan)}


@login_not_required
@require_safe
def page(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """What the area is doing about each weakness, in plain English, for families."""
    plan = selectors.public_plan_or_404(plan_slug)
    return _public(request, lambda: render(
        request, "public/page.html",
        _page_context(request, plan, _content(request, plan), embed=False)))


@login_not_required
@require_safe
def embed(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """The page without the service's header and footer, for the council's Local Offer
    site to show in a frame: only the sites the plan names may frame it."""
    plan = selectors.public_plan_or_404(plan_slug)

    def draw() -> HttpResponse:
        response = render(request, "public/embed.html",
                          _page_context(request, plan, _content(request, plan), embed=True))
        origins = selectors.page_settings(plan).origins
        if origins:
            response._csp_replace = {"frame-ancestors": origins}
            # The Content-Security-Policy says who may frame it; X-Frame-Options cannot
            # name a site, so it would forbid them all.
            response.xframe_options_exempt = True
        return response

    return _public(request, draw)


@login_not_required
@require_safe
def as_json(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """The page's content as JSON, for the council's web team."""
    plan = selectors.public_plan_or_404(plan_slug)

    def draw() -> HttpResponse:
        response = JsonResponse(_content(request, plan),
                                json_dumps_params={"ensure_ascii": False, "indent": 1})
        # Public data, read with no credentials: any site's script may fetch it.
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return _public(request, draw)


@login_not_required
@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """How accessible the service is, its public pages included, and whom to tell."""
    return render(request, "accessibility.html", {
        "contact": settings.ACCESSIBILITY_CONTACT,
        "targets": target_sentences(settings.ACCESSIBILITY_TARGETS,
                                    today=timezone.localdate())})


# Signed in: writing, previewing and publishing ---------------------------------------

def _readers_only(request: HttpRequest, plan: Plan) -> None:
    if not can_preview_public_page(request.user, plan):
        raise PermissionDenied


def _publishers_only(request: HttpRequest, plan: Plan) -> None:
    if not can_publish(request.user, plan):
        raise PermissionDenied



def _manage_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("publishing:manage", kwargs={"plan_slug": plan.slug})
    return f"{url}#{anchor}" if anchor else url


@plan_reader_required
@require_GET
def manage(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Everything the public page may say, drafted and published, with what to do next."""
    _readers_only(request, plan)
    return render(request, "public/manage.html", {
        "plan": plan, **selectors.publishing_overview(plan),
        "can_publish": can_publish(request.user, plan),
        "public_url": request.build_absolute_uri(
            reverse("public:page", kwargs={"plan_slug": plan.slug}))})


@plan_reader_required
@require_GET
def preview(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The public page as it would be with every draft published."""
    _readers_only(request, plan)
    content = selectors.public_content(plan, preview=True, weakness=_weakness_asked(request))
    return render(request, "public/preview.html", {
        "plan": plan, "content": content, "embed": False, "preview": True,
        "page_url": reverse("publishing:preview", kwargs={"plan_slug": plan.slug}),
        "weaknesses": selectors.weakness_numbers(plan)})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, plan: Plan, ref: str) -> HttpResponse:
    """Draft an action's public summary."""
    _publishers_only(request, plan)
    action = selectors.action_for_publishing_or_404(plan, ref)
    if request.method == "POST":
        form = SummaryForm(request.POST)
        if form.is_valid():
            try:
                services.summary_draft_save(action=action, user=request.user,
                                            **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Public summary of {action.ref} saved as a draft: "
                                          "publish it for families to read it")
                return redirect(_manage_url(plan, f"action-{action.ref}"))
    else:
        form = SummaryForm(initial={"text": action.public_summary})
    return render(request, "public/summary_form.html", {"plan": plan, "action": action,
                                                        "form": form})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, plan: Plan, number: int) -> HttpResponse:
    """Draft a plain-English version of what the inspectors found about one weakness."""
    _publishers_only(request, plan)
    weakness = selectors.weakness_for_publishing_or_404(plan, number)
    part = plan.vocabulary.part
    if request.method == "POST":
        form = FindingForm(request.POST)
        if form.is_valid():
            try:
                services.finding_draft_save(weakness=weakness, user=request.user,
                                            **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "What the inspectors found about "
                                          f"{part} {weakness.number}, in plain English, saved "
                                          "as a draft: publish it for families to read it")
                return redirect(_manage_url(plan, f"weakness-{weakness.number}"))
    else:
        finding = getattr(weakness, "plain_english", None)
        form = FindingForm(initial={"text": finding.draft if finding else ""})
    return render(request, "public/finding_form.html", {"plan": plan, "weakness": weakness,
                                                        "form": form})


def _target(plan: Plan, kind: str, key: str):
    """The thing a publish or withdraw names, what families will read of it, and its name."""
    if kind == "actions":
        action = selectors.action_for_publishing_or_404(plan, key)
        return action, action.public_summary, f"the public summary of {action.ref}"
    if not key.isdigit():
        raise Http404("No such record.")
    if kind == "weaknesses":
        weakness = selectors.weakness_for_publishing_or_404(plan, int(key))
        finding = getattr(weakness, "plain_english", None)
        return (weakness, finding.draft if finding else "",
                f"what the inspectors found about {plan.vocabulary.part} {weakness.number}, "
                "in plain English")
    if kind == "measures":
        measure = selectors.measure_for_publishing_or_404(plan, int(key))
        return measure, measure.title, f"the measure “{measure.title}”"
    entry = selectors.entry_or_404(plan, int(key))
    return entry, entry.said, "the “You said, we did” entry"


PUBLISH = {
    "actions": services.summary_publish,
    "weaknesses": services.finding_publish,
    "measures": services.measure_publish,
    "you-said-we-did": services.entry_publish,
}
WITHDRAW = {
    "actions": services.summary_withdraw,
    "weaknesses": services.finding_withdraw,
    "measures": services.measure_withdraw,
    "you-said-we-did": services.entry_withdraw,
}
ARGUMENT = {"actions": "action", "weaknesses": "weakness", "measures": "measure",
            "you-said-we-did": "entry"}


@plan_reader_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, plan: Plan, kind: str, key: str) -> HttpResponse:
    return _change_publication(request, plan, kind, key, publishing=True)


@plan_reader_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, plan: Plan, kind: str, key: str) -> HttpResponse:
    return _change_publication(request, plan, kind, key, publishing=False)


def _change_publication(request: HttpRequest, plan: Plan, kind: str, key: str, *,
                        publishing: bool) -> HttpResponse:
    """Publish or withdraw one thing, with a reason, after seeing what families will read."""
    _publishers_only(request, plan)
    target, text, name = _target(plan, kind, key)
    if kind in ("actions", "weaknesses") and not publishing:
        # What families read now, which may differ from a later draft.
        published = getattr(target, "published_summary" if kind == "actions"
                            else "plain_english", None)
        text = published.text if published is not None and published.is_published else ""
    form_class = MeasurePublishForm if kind == "measures" and publishing else PublishForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            change = (PUBLISH if publishing else WITHDRAW)[kind]
            try:
                change(**{ARGUMENT[kind]: target}, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = "published" if publishing else "withdrawn from the public page"
                messages.success(request, f"{name[0].upper()}{name[1:]} {done}")
                return redirect(_manage_url(plan))
    else:
        initial = {}
        if kind == "measures":
            publication = getattr(target, "publication", None)
            initial["name"] = publication.name if publication else target.title
        form = form_class(initial=initial)
    return render(request, "public/publish_form.html", {
        "plan": plan, "form": form, "publishing": publishing, "kind": kind, "name": name,
        "text": text, "entry": target if kind == "you-said-we-did" else None})


def _entry_form_page(request: HttpRequest, plan: Plan, entry: YouSaidWeDid | None
                     ) -> HttpResponse:
    _publishers_only(request, plan)
    if request.method == "POST":
        form = EntryForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                saved = services.entry_save(plan=plan, entry=entry, user=request.user,
                                            **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "“You said, we did” entry saved as a draft: "
                                          "publish it for families to read it")
                return redirect(_manage_url(plan, f"entry-{saved.pk}"))
    else:
        initial = {}
        if entry is not None:
            initial = {name: getattr(entry, name) for name in (
                "weakness", "said", "where", "where_detail", "people", "did", "evidence",
                "not_possible")}
        form = EntryForm(initial=initial, plan=plan)
    return render(request, "public/entry_form.html", {"plan": plan, "form": form,
                                                      "entry": entry})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Write a "You said, we did" entry, kept as a draft until it is published."""
    return _entry_form_page(request, plan, None)


@plan_reader_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, plan: Plan, entry_id: int) -> HttpResponse:
    return _entry_form_page(request, plan, selectors.entry_or_404(plan, entry_id))


@plan_reader_required
@require_http_methods(["GET", "POST"])
def page_settings(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Where feedback goes and which sites may frame the page."""
    _publishers_only(request, plan)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.page_settings_save(plan=plan, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Public page settings saved")
                return redirect(_manage_url(plan))
    else:
        current = selectors.page_settings(plan)
        form = SettingsForm(initial={"feedback_email": current.feedback_email,
                                     "frame_origins": current.frame_origins})
    return render(request, "public/settings_form.html", {"plan": plan, "form": form})
