from django import forms
from django.utils.text import capfirst, slugify

from govuk.forms import GovUkForm
from plans.models import Plan

from .reader import PLAN_WORKBOOK

MAX_MB = PLAN_WORKBOOK.max_bytes // (1024 * 1024)


class WorkbookField(forms.FileField):
    def clean(self, *args, **kwargs):
        upload = super().clean(*args, **kwargs)
        named = capfirst(getattr(self, "error_name", "") or "the selected file")
        if upload is not None and not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"{named} must be an Excel workbook (.xlsx)")
        if upload is not None and upload.size > PLAN_WORKBOOK.max_bytes:
            raise forms.ValidationError(f"{named} must be {MAX_MB} MB or smaller")
        return upload


class ReturnsUploadForm(GovUkForm):
    file = WorkbookField(
        label="Returns workbook (.xlsx)",
        help_text=f"Up to {MAX_MB} MB. Rows are matched to actions by their reference.",
        error_messages={"required": "Select the returns workbook to upload"})
    file.error_name = "the returns workbook"


class NewPlanUploadForm(GovUkForm):
    name = forms.CharField(label="Local area", max_length=100,
                           help_text="Such as Norfolk. The plan's web address is made from it.",
                           error_messages={"required": "Enter the local area's name"})
    kind = forms.ChoiceField(label="Kind of plan", choices=Plan.Kind.choices,
                             initial=Plan.Kind.WSOA)
    file = WorkbookField(label="Plan workbook (.xlsx)",
                         help_text=f"Up to {MAX_MB} MB, in the council's own layout.",
                         error_messages={"required": "Select the plan workbook to upload"})
    file.error_name = "the plan workbook"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not slugify(name):
            raise forms.ValidationError("Enter the local area's name in letters, such as "
                                        "Norfolk")
        return name
