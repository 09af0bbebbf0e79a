"""Forms for entering readings: one period's values for the whole area and each area at
once, and a spreadsheet upload."""

from django import forms
from django.core.exceptions import ValidationError

from govuk.forms import GovUkForm
from plans.models import ReportingPeriod
from send_wsoa.numbers import HOW_TO_WRITE, WRITTEN
from workstreams.models import Area

from .models import Measure
from .services import (
    DURATION_UNITS,
    MAX_NOTE,
    MAX_REASON,
    MAX_SOURCE,
    SAMPLE_SIZE_MAX,
    is_survey,
    kind_rule,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class WrittenIntegerField(forms.IntegerField):
    """A whole number written in the digits 0-9, commas only between thousands: Django's own
    reads full-width digits as numbers."""

    def to_python(self, value):
        if value not in self.empty_values and not WRITTEN.fullmatch(str(value).strip()):
            raise ValidationError(self.error_messages["written"], code="written")
        if isinstance(value, str):
            value = value.replace(",", "")
        return super().to_python(value)


class PeriodChoiceForm(GovUkForm):
    """Chooses the period the readings form opens on. A separate GET form, so the figures
    shown are always the chosen period's and never carried into another period."""

    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(),
                                    label="Reporting period", empty_label=None)

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.for_plan(
            measure.plan_id).order_by("-start")


class ReadingForm(GovUkForm):
    # Hidden: the period is chosen with PeriodChoiceForm, which reloads its figures.
    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(),
                                    label="Reporting period", widget=forms.HiddenInput,
                                    error_messages={
                                        "required": "Select the reporting period",
                                        "invalid_choice": "Select a reporting period of "
                                                          "this plan"})
    value = forms.CharField(label="Whole local area", max_length=40,
                            widget=forms.TextInput(attrs={"class": "govuk-input--width-5",
                                                          "inputmode": "decimal"}),
                            error_messages={"required": "Enter a value for the whole local "
                                                        "area"})
    value.error_name = "value for the whole local area"
    note = forms.CharField(label="Note (optional)", required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Source of the figures (optional)", required=False,
                             max_length=MAX_SOURCE,
                             widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}))
    reason = forms.CharField(
        label="Reason for the correction", required=False, max_length=MAX_REASON,
        help_text="Needed only when the period already has readings and you change them.")

    def __init__(self, *args, measure: Measure, areas: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.areas = areas
        self.fields["period"].queryset = ReportingPeriod.objects.for_plan(
            measure.plan_id).order_by("-start")
        rule = kind_rule(measure)
        if measure.kind == Measure.Kind.DELIVERABLE:
            self.fields["value"] = forms.ChoiceField(
                label="Delivered for the whole local area?", widget=forms.RadioSelect,
                choices=[("yes", "Yes"), ("no", "No")],
                error_messages={
                    "required": "Select yes if it was delivered for the whole local area, "
                                "or no",
                    "invalid_choice": "Select yes or no: delivered for the whole local area"})
            self.fields["achieved_on"] = forms.DateField(
                label="Date delivered", required=False,
                input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
                widget=forms.DateInput(format="%d/%m/%Y",
                                       attrs={"class": "govuk-input--width-10"}),
                help_text="Needed when the answer is yes. For example, 31/03/2021")
        else:
            self.fields["value"].help_text = f"Enter {rule}."
        if measure.kind == Measure.Kind.DURATION:
            self.fields["unit"] = forms.ChoiceField(
                label="Unit", choices=[(unit, unit.capitalize()) for unit in DURATION_UNITS],
                initial=measure.unit or "weeks", widget=forms.RadioSelect)
            self.fields["unit"].error_name = "the unit"
        if is_survey(measure):
            self.fields["sample_size"] = WrittenIntegerField(
                label="Sample size (n)", min_value=1, max_value=SAMPLE_SIZE_MAX, required=False,
                error_messages={"max_value": f"Sample size (n) must be {SAMPLE_SIZE_MAX:,} "
                                             "or fewer",
                                "min_value": "Sample size (n) must be a whole number, 1 or more",
                                "invalid": "Sample size (n) must be a whole number, 1 or more",
                                "written": f"Sample size (n) {HOW_TO_WRITE}"},
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
                help_text="How many people answered the survey for the whole-area figure.")
        else:
            # Not asked for, but carried so a correction keeps a sample size already entered.
            self.fields["sample_size"] = WrittenIntegerField(
                label="Sample size (n)", min_value=1, max_value=SAMPLE_SIZE_MAX, required=False,
                widget=forms.HiddenInput,
                error_messages={"written": f"Sample size (n) {HOW_TO_WRITE}"})
        for area in areas:
            self.fields[f"area_{area.pk}"] = forms.CharField(
                label=area.name, required=False, max_length=40,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5",
                                              "inputmode": "decimal"}),
                help_text=None if measure.kind != Measure.Kind.DELIVERABLE
                else "Yes or no")
            # Messages name the place: "Value for Basildon and Brentwood must be ...".
            self.fields[f"area_{area.pk}"].error_name = f"value for {area.name}"
        for name in ("note", "source", "reason"):
            self.fields[name] = self.fields.pop(name)

    @staticmethod
    def initial_for(measure: Measure, period: int, readings: dict) -> dict:
        """The form filled in with a period's readings (`readings` maps None and area pks to
        readings), every field the form has, so saving it unchanged changes nothing."""
        initial: dict = {"period": period}
        whole = readings.get(None)
        if whole is not None:
            initial.update(note=whole.note, source=whole.source, sample_size=whole.sample_size,
                           achieved_on=whole.achieved_on)
            if whole.unit:
                initial["unit"] = whole.unit
        for area_id, reading in readings.items():
            initial["value" if area_id is None else f"area_{area_id}"] = shown_value(
                measure, reading.value)
        return initial

    def area_fields(self):
        return [self[f"area_{area.pk}"] for area in self.areas]

    def values_by_area(self) -> dict:
        data = self.cleaned_data
        values: dict = {None: data.get("value")}
        for area in self.areas:
            values[area] = data.get(f"area_{area.pk}", "")
        return values


def shown_value(measure: Measure, value) -> str:
    if measure.kind == Measure.Kind.DELIVERABLE:
        return "yes" if value else "no"
    return format(value.normalize(), "f")


class UploadForm(GovUkForm):
    file = forms.FileField(label="Spreadsheet (.xlsx)",
                           error_messages={"required": "Select the spreadsheet to upload"})
    file.error_name = "the spreadsheet"
    reason = forms.CharField(
        label="Reason for any corrections", required=False, max_length=MAX_REASON,
        help_text="Needed only when the file changes readings already entered.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The spreadsheet must be an Excel workbook (.xlsx)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The spreadsheet must be smaller than 2 MB")
        return upload
