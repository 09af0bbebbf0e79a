"""Admin changes to plan data ask why, and the reason lands in the audit trail; the trail
itself is read-only here."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from govuk.forms import GovUkFormMixin, GovUkModelForm

from .models import AuditEntry

REASON_FIELD = "change_reason"


class ReasonRequiredAdminMixin:
    """Adds a required "Reason for change" to the add and change forms and records it
    through simple-history's `_change_reason`. Plan data is not deleted in admin."""

    reason_help_text = "Recorded in the audit trail with the change."

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        base = kwargs.get("form")
        if base is None:
            add_form = getattr(self, "add_form", None)
            base = add_form if obj is None and add_form is not None else self.form
        if REASON_FIELD not in getattr(base, "base_fields", {}):
            # Django's own admin forms (the user's, say) name their fields in errors too.
            bases = (base,) if issubclass(base, GovUkFormMixin) else (GovUkFormMixin, base)
            base = type(f"{base.__name__}WithReason", bases, {
                REASON_FIELD: forms.CharField(
                    label="Reason for change", required=True, max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}), help_text=self.reason_help_text),
            })
        kwargs["form"] = base
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if REASON_FIELD not in flatten_fieldsets(fieldsets):
            fieldsets.append(("Reason for change", {"fields": [REASON_FIELD]}))
        return fieldsets

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        obj._change_reason = form.cleaned_data[REASON_FIELD]
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Removing plan data goes through the service pages, which record a reason.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A closed plan's records are kept for reading; the plan itself can be reopened.
        if obj is not None and _plan_is_closed(obj):
            return False
        return super().has_change_permission(request, obj)


class TrackedAdmin(ReasonRequiredAdminMixin, SimpleHistoryAdmin):
    """Plan data: a reason for every change, a history page, no deletion here."""


def _plan_is_closed(obj) -> bool:
    from plans.models import Plan

    if isinstance(obj, Plan):
        return False
    holder = obj
    for step in ("action", "measure"):
        holder = getattr(holder, step, holder)
    plan = getattr(holder, "plan", None)
    return bool(plan is not None and plan.is_closed)


class ReadOnlyAdminMixin:
    """Records the admin site shows and never adds, changes or deletes: they change only
    where their own rules are checked (the trail by the services, published figures by
    loading their file, public text on the publishing pages)."""

    form = GovUkModelForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sequence", "recorded_at", "actor_label", "workstream_code", "action_ref",
                    "object_kind", "object_label", "change_type"]
    list_filter = ["change_type", "object_kind", "workstream_code"]
    search_fields = ["actor_label", "action_ref", "object_label", "reason"]
    date_hierarchy = "recorded_at"
