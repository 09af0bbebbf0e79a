from django.contrib import admin
from django.http import HttpRequest

from audit.admin import TrackedAdmin
from govuk.forms import GovUkModelForm

from .models import Measure, MeasureReading, Outcome
from .services import parse_value


class MeasureReadingAdminForm(GovUkModelForm):
    """Checks the value by the measure's kind, as the readings pages do: the database's range
    checks name `kind`, which the form leaves out, so they would only fail on saving."""

    def clean(self) -> dict:
        cleaned = super().clean()
        measure, value = cleaned.get("measure"), cleaned.get("value")
        if measure is not None and value is not None:
            try:
                cleaned["value"] = parse_value(measure, value)
            except ValueError as error:
                self.add_error("value", f"The value {error}.")
        return cleaned


@admin.register(Outcome)
class OutcomeAdmin(TrackedAdmin):
    list_display = ["key", "what_will_be_different", "workstream", "for_whom", "plan"]
    list_filter = ["plan", "workstream", "for_whom"]
    search_fields = ["key", "outcome", "what_will_be_different", "action_refs_as_written"]
    list_select_related = ["workstream", "plan"]
    filter_horizontal = ["actions"]


@admin.register(Measure)
class MeasureAdmin(TrackedAdmin):
    list_display = ["title", "outcome", "kind", "direction", "baseline", "target", "plan"]
    list_filter = ["plan", "outcome__workstream", "kind", "direction", "area_breakdown"]
    search_fields = ["title", "how_measured", "data_source"]
    list_select_related = ["outcome", "plan"]


@admin.register(MeasureReading)
class MeasureReadingAdmin(TrackedAdmin):
    list_display = ["measure", "period", "area", "value", "entered_by", "entered_at", "is_demo"]
    list_filter = ["measure__plan", "measure__outcome__workstream", "period", "is_demo"]
    search_fields = ["measure__title", "source", "note"]
    list_select_related = ["measure", "period", "area", "entered_by"]
    raw_id_fields = ["measure", "entered_by"]
    form = MeasureReadingAdminForm
    # Copied from the measure, so the database's range checks match what is measured.
    readonly_fields = ["kind"]

    def save_model(self, request: HttpRequest, obj: MeasureReading, form, change: bool) -> None:
        obj.kind = obj.measure.kind
        super().save_model(request, obj, form, change)
