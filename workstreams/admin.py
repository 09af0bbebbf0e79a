from django.contrib import admin

from audit.admin import TrackedAdmin
from govuk.forms import GovUkModelForm

from .models import Area, FeedbackPoint, Organisation, Weakness, WeaknessPoint, Workstream


@admin.register(Organisation)
class OrganisationAdmin(TrackedAdmin):
    list_display = ["name", "short_name", "kind", "key", "plan"]
    list_filter = ["plan", "kind"]
    search_fields = ["name", "short_name", "key"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = GovUkModelForm
    list_display = ["name", "breakdown", "order", "plan"]
    list_filter = ["plan", "breakdown"]
    search_fields = ["name"]


class WeaknessPointInline(admin.TabularInline):
    form = GovUkModelForm
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
    form = GovUkModelForm
    list_display = ["weakness", "order", "text"]
    list_filter = ["weakness__plan", "weakness"]
    search_fields = ["text"]


@admin.register(Workstream)
class WorkstreamAdmin(TrackedAdmin):
    list_display = ["code", "name", "weakness", "order", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "name", "description"]


@admin.register(FeedbackPoint)
class FeedbackPointAdmin(TrackedAdmin):
    list_display = ["number", "letter_date", "action_refs_as_written", "plan"]
    list_filter = ["plan", "letter_date"]
    search_fields = ["text", "response", "action_refs_as_written"]
    filter_horizontal = ["actions"]
