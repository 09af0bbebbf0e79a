from django.contrib import admin
from django.http import HttpRequest

from audit.admin import TrackedAdmin
from govuk.forms import GovUkModelForm

from .models import Indicator, MeasureComparator, OfstedInspection, StatisticArea


class ReadOnlyAdmin(admin.ModelAdmin):
    """Published figures change only by loading their file again (load_statistics)."""

    form = GovUkModelForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "column", "selection", "unit", "better", "source"]
    list_filter = ["source", "unit"]
    search_fields = ["name", "column"]


@admin.register(StatisticArea)
class StatisticAreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "code", "region"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


@admin.register(MeasureComparator)
class MeasureComparatorAdmin(TrackedAdmin):
    list_display = ["measure", "indicator", "use", "plan"]
    list_filter = ["plan", "use"]
    raw_id_fields = ["measure", "indicator"]


@admin.register(OfstedInspection)
class OfstedInspectionAdmin(TrackedAdmin):
    list_display = ["area_name", "ons_code", "inspection_start", "revisit_start",
                    "revisit_outcome", "plan"]
    readonly_fields = ["source", "row"]
