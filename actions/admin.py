"""Plan data in admin, within the rules the action pages enforce: RAG, the completed date and
the due dates change only on the action's page, which records the narrative or reason, and
evidence is added only there, where its type is judged by its content and its size checked."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from audit.admin import REASON_FIELD, TrackedAdmin

from .models import Action, Evidence, Milestone, ProgressUpdate

MOVE_DUE_DATE = ("To move it, use ‘Move the due date’ on the action's page, which records "
                 "the reason.")
ACTION_PAGE_HELP = {
    "rag": "To change it, add a progress update on the action's page, which records the "
           "lead's narrative.",
    "completed_date": "Set by a Blue (completed) progress update on the action's page, which "
                      "records the lead's narrative.",
    "original_due_date": f"The due date the plan published, kept when it moves. {MOVE_DUE_DATE}",
    "current_due_date": MOVE_DUE_DATE,
    "version": "Goes up with every change, so someone editing the action at the same time "
               "is told rather than overwriting it.",
}
# Owned by the action page's services; read-only here once the action exists.
ACTION_PAGE_FIELDS = ["rag", "completed_date", "original_due_date", "current_due_date",
                      "version"]
# A new action has no progress update yet, but takes its due dates from the plan.
ACTION_PAGE_FIELDS_ON_ADD = ["rag", "completed_date", "version"]


@admin.register(Action)
class ActionAdmin(TrackedAdmin):
    list_display = ["ref", "title", "workstream", "owner", "rag", "current_due_date",
                    "completed_date", "plan"]
    list_filter = ["plan", "workstream", "rag", "owner"]
    search_fields = ["ref", "title", "description", "success_criteria"]
    list_select_related = ["workstream", "owner", "plan"]
    filter_horizontal = ["contributors"]

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        kwargs.setdefault("help_texts", ACTION_PAGE_HELP)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ACTION_PAGE_FIELDS if obj is not None else ACTION_PAGE_FIELDS_ON_ADD

    def save_model(self, request: HttpRequest, obj: Action, form, change: bool) -> None:
        if change:
            # Re-read under a lock (admin saves in a transaction): a progress update saved
            # while this request runs is kept, and the new version follows it.
            current = Action.objects.select_for_update().get(pk=obj.pk)
            for name in ACTION_PAGE_FIELDS:
                setattr(obj, name, getattr(current, name))
            if set(form.changed_data) - {REASON_FIELD}:
                obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Milestone)
class MilestoneAdmin(TrackedAdmin):
    list_display = ["title", "action", "due_date", "done_date", "is_demo"]
    list_filter = ["action__plan", "action__workstream", "is_demo"]
    search_fields = ["title", "action__ref"]
    list_select_related = ["action"]
    raw_id_fields = ["action"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(TrackedAdmin):
    list_display = ["action", "date", "period", "rag", "author", "is_demo"]
    list_filter = ["action__plan", "action__workstream", "rag", "period", "is_demo"]
    search_fields = ["action__ref", "narrative"]
    list_select_related = ["action", "period", "author"]
    raw_id_fields = ["action", "author"]
    date_hierarchy = "date"
    # Updates carry an action's RAG history, which the board's lists are computed from, so
    # they are added through the action page; here only their wording can be corrected.
    readonly_fields = ["action", "date", "period", "rag", "author", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Removing one would rewrite the RAG history the board has read.
        return False


@admin.register(Evidence)
class EvidenceAdmin(TrackedAdmin):
    list_display = ["title", "action", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["action__plan", "action__workstream", "content_type"]
    search_fields = ["title", "url", "action__ref"]
    list_select_related = ["action", "uploaded_by"]
    raw_id_fields = ["action", "uploaded_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Files come through the action page, which checks their type by content and their size.
    readonly_fields = ["file", "content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
