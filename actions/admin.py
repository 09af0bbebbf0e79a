from django.contrib import admin
from django.db import models

from workstreams.admin import TrackedAdmin

from .models import Action, Evidence, Milestone, ProgressUpdate


@admin.register(Action)
class ActionAdmin(TrackedAdmin):
    list_display = ["ref", "title", "workstream", "owner", "rag", "current_due_date",
                    "completed_date", "plan"]
    list_filter = ["plan", "workstream", "rag", "owner"]
    search_fields = ["ref", "title", "description", "success_criteria"]
    list_select_related = ["workstream", "owner", "plan"]
    filter_horizontal = ["contributors"]
    readonly_fields = ["version"]


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


@admin.register(Evidence)
class EvidenceAdmin(TrackedAdmin):
    list_display = ["title", "action", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["action__plan", "action__workstream", "content_type"]
    search_fields = ["title", "url", "action__ref"]
    list_select_related = ["action", "uploaded_by"]
    raw_id_fields = ["action", "uploaded_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
