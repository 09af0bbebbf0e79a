"""The public page's records, for reading in the admin site. Each is public text an officer
published or withdrew, or the page's settings, changed only on the publishing pages, where
every change is checked and asks for a reason: here they are read-only, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadOnlyAdminMixin

from .models import ActionSummary, PlainEnglishFinding, PublicMeasure, PublicPage, YouSaidWeDid


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read with its history; changed only on the plan's publishing pages."""


class PublishedRecordAdmin(ReadOnlyHistoryAdmin):
    list_filter = ["plan", "is_published"]


@admin.register(ActionSummary)
class ActionSummaryAdmin(PublishedRecordAdmin):
    list_display = ["action", "is_published", "published_at", "withdrawn_at", "plan"]
    list_select_related = ["action", "plan__local_area"]
    search_fields = ["action__ref", "text"]


@admin.register(PlainEnglishFinding)
class PlainEnglishFindingAdmin(PublishedRecordAdmin):
    list_display = ["weakness", "is_published", "published_at", "withdrawn_at", "plan"]
    list_select_related = ["weakness", "plan__local_area"]
    search_fields = ["text", "draft"]


@admin.register(PublicMeasure)
class PublicMeasureAdmin(PublishedRecordAdmin):
    list_display = ["name", "measure", "is_published", "published_at", "plan"]
    list_select_related = ["measure", "plan__local_area"]
    search_fields = ["name"]


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(PublishedRecordAdmin):
    list_display = ["said", "where", "weakness", "is_published", "published_at", "plan"]
    list_select_related = ["weakness", "plan__local_area"]
    search_fields = ["said", "did"]


@admin.register(PublicPage)
class PublicPageAdmin(ReadOnlyHistoryAdmin):
    """The page's settings: set on the publishing pages, where addresses are checked."""

    list_display = ["plan", "feedback_email"]
    list_select_related = ["plan__local_area"]
