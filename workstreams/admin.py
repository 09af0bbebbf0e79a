from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReasonRequiredAdminMixin

from .models import (
    Area,
    BoardMeeting,
    FeedbackPoint,
    Organisation,
    Plan,
    ReportingPeriod,
    Weakness,
    WeaknessPoint,
    Workstream,
)


class TrackedAdmin(ReasonRequiredAdminMixin, SimpleHistoryAdmin):
    """Plan data: a reason for every change, a history page, no deletion here."""


@admin.register(Plan)
class PlanAdmin(TrackedAdmin):
    list_display = ["local_area", "title", "slug", "report_published", "statement_submitted",
                    "has_demo_data"]
    list_filter = ["has_demo_data"]
    search_fields = ["local_area", "title", "slug"]


@admin.register(Organisation)
class OrganisationAdmin(TrackedAdmin):
    list_display = ["name", "short_name", "kind", "key", "plan"]
    list_filter = ["plan", "kind"]
    search_fields = ["name", "short_name", "key"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "breakdown", "order", "plan"]
    list_filter = ["plan", "breakdown"]
    search_fields = ["name"]


class WeaknessPointInline(admin.TabularInline):
    model = WeaknessPoint
    extra = 0


@admin.register(Weakness)
class WeaknessAdmin(TrackedAdmin):
    list_display = ["number", "summary", "revisit_judgement", "revisit_date", "plan"]
    list_filter = ["plan", "revisit_judgement"]
    search_fields = ["summary", "text", "revisit_text"]
    inlines = [WeaknessPointInline]


@admin.register(WeaknessPoint)
class WeaknessPointAdmin(admin.ModelAdmin):
    list_display = ["weakness", "order", "text"]
    list_filter = ["weakness__plan", "weakness"]
    search_fields = ["text"]


@admin.register(Workstream)
class WorkstreamAdmin(TrackedAdmin):
    list_display = ["code", "name", "weakness", "order", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "name", "description", "leads__username", "leads__last_name"]
    filter_horizontal = ["leads"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end", "frozen_at", "plan"]
    list_filter = ["plan", "frozen_at"]
    search_fields = ["label"]


@admin.register(BoardMeeting)
class BoardMeetingAdmin(TrackedAdmin):
    list_display = ["date", "plan", "is_demo"]
    list_filter = ["plan", "is_demo"]
    search_fields = ["notes"]
    date_hierarchy = "date"


@admin.register(FeedbackPoint)
class FeedbackPointAdmin(TrackedAdmin):
    list_display = ["number", "letter_date", "action_refs_as_written", "plan"]
    list_filter = ["plan", "letter_date"]
    search_fields = ["text", "response", "action_refs_as_written"]
    filter_horizontal = ["actions"]
