"""Plans, their areas and calendar, and who holds which role in them. Memberships are
managed by site administrators (superusers), like accounts."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from audit.admin import TrackedAdmin
from govuk.forms import GovUkModelForm
from workstreams.models import Workstream

from .models import BoardMeeting, LocalArea, Membership, Plan, ReportingPeriod, SourceDocument
from .services import check_workstreams

REVOKED_IN_ADMIN = "Revoked in the admin site"


@admin.register(LocalArea)
class LocalAreaAdmin(TrackedAdmin):
    list_display = ["name", "ons_code", "region"]
    search_fields = ["name", "ons_code", "region"]


@admin.register(Plan)
class PlanAdmin(TrackedAdmin):
    list_display = ["local_area", "title", "slug", "kind", "status", "report_published",
                    "has_demo_data"]
    list_filter = ["kind", "status", "has_demo_data"]
    search_fields = ["local_area__name", "title", "slug"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(TrackedAdmin):
    list_display = ["file", "publisher", "title", "published_on"]
    search_fields = ["file", "publisher", "title"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(TrackedAdmin):
    list_display = ["label", "start", "end", "closed_at", "plan"]
    # Closed and reopened on the plan's periods page, where the rules are checked.
    readonly_fields = ["closed_at", "closed_by"]
    list_filter = ["plan", "closed_at"]
    search_fields = ["label"]


@admin.register(BoardMeeting)
class BoardMeetingAdmin(TrackedAdmin):
    list_display = ["date", "plan", "is_demo"]
    list_filter = ["plan", "is_demo"]
    search_fields = ["notes"]
    date_hierarchy = "date"


class PlanWorkstreamField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Workstream) -> str:
        # Plans share workstream codes, so each is named with its plan.
        return f"{obj.plan.local_area}: {obj}"


class MembershipForm(GovUkModelForm):
    workstreams = PlanWorkstreamField(
        queryset=Workstream.objects.select_related("plan__local_area").order_by(
            "plan__local_area__name", "order", "code"),
        required=False, widget=admin.widgets.FilteredSelectMultiple("workstreams", False),
        help_text="The workstreams a lead leads, in the membership's plan.")

    class Meta:
        model = Membership
        fields = ["user", "plan", "role", "workstreams"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("plan") and cleaned.get("role"):
            try:
                check_workstreams(cleaned["plan"], cleaned["role"], cleaned.get("workstreams"))
            except ValidationError as error:
                self.add_error("workstreams", error.message_dict["workstreams"])
        return cleaned


@admin.register(Membership)
class MembershipAdmin(TrackedAdmin):
    form = MembershipForm
    list_display = ["user", "plan", "role"]
    list_filter = ["plan", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    reason_help_text = "Recorded in the audit trail with the change; it applies from the " \
                       "person's next page."

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Revoking a role is removing its membership; the trail records who and when.
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj) -> None:
        obj._change_reason = REVOKED_IN_ADMIN
        obj._history_user = request.user
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for membership in queryset:
            self.delete_model(request, membership)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The workstreams' history row carries the same reason as the membership's.
        form.instance._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_related(request, form, formsets, change)
