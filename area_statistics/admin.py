from django.contrib import admin

from audit.admin import ReadOnlyAdminMixin, TrackedAdmin

from .models import Indicator, MeasureComparator, OfstedInspection, StatisticArea


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Published figures change only by loading their file again (load_statistics)."""


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
