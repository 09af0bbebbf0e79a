"""Forms a workstream lead fills in to report on an action. Rules about what may be saved
live in actions.services; these forms turn the user's input into typed values."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from govuk.forms import GovUkForm, label_in_sentence

from .models import RAG_MEANINGS, Evidence, Rag
from .services import (
    MILESTONE_TITLE_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    REASON_MAX_CHARS,
    TITLE_MAX_CHARS,
)

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y", "%d-%m-%Y", "%d %B %Y",
                      "%d %b %Y"]
DATE_HINT = "For example, 27/3/2021"


def date_field(label: str, *, required: bool = True, missing: str = "", hint: str = DATE_HINT,
               named: str = "") -> forms.DateField:
    """A date typed as 27/3/2021. `named` is how messages name it, if not by its label."""
    field = forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, help_text=hint,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
        error_messages={"required": missing} if missing else {})
    field.error_name = named
    return field


class LongTextField(forms.CharField):
    """Text kept exactly as typed (strip=False), except that spaces and line breaks alone
    are no answer at all, so a required one is refused naming the field."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value.strip() else self.empty_value


def long_text_field(label: str, *, max_chars: int, required: bool = True, missing: str = "",
                    hint: str = "", rows: int = 5, named: str = "") -> forms.CharField:
    # No max_length on the field: the browser would then cut pasted text short without a word.
    field = LongTextField(
        label=label, required=required, help_text=hint, strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[_max_chars_validator(capfirst(named or label_in_sentence(label)),
                                         max_chars)],
        error_messages={"required": missing} if missing else {})
    field.error_name = named
    return field


def _max_chars_validator(label: str, max_chars: int):
    def validate(value: str) -> None:
        if len(value) > max_chars:
            raise ValidationError(
                f"{label} must be {max_chars:,} characters or fewer (it has {len(value):,})")

    return validate


class VersionedForm(GovUkForm):
    """Carries the action version the user saw, so a save based on old data is refused."""

    version = forms.IntegerField(
        label="Version of the action you saw", widget=forms.HiddenInput, min_value=1,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value"],
            "The version of the action you saw is missing: open the form again"))


RAG_CHOICES = [(rag.value, f"{rag.label}: {RAG_MEANINGS[rag]}") for rag in
               (Rag.BLUE, Rag.GREEN, Rag.AMBER, Rag.RED)]


class ProgressUpdateForm(VersionedForm):
    rag = forms.ChoiceField(
        label="RAG status", choices=RAG_CHOICES, widget=forms.RadioSelect,
        help_text="The colour this update reports. It becomes the action's RAG status.",
        error_messages={"required": "Select the RAG status you are reporting",
                        "invalid_choice": "Select the RAG status you are reporting"})
    narrative = long_text_field(
        "Narrative", max_chars=NARRATIVE_MAX_CHARS, rows=8,
        missing="Enter a narrative explaining the progress and the RAG status",
        hint=f"What has happened since the last update, and why the RAG status is what it is. "
             f"Up to {NARRATIVE_MAX_CHARS:,} characters.")
    period = forms.ModelChoiceField(
        label="Reporting period", queryset=None, empty_label=None,
        error_messages={"required": "Select the reporting period",
                        "invalid_choice": "Select a reporting period of this plan"})
    date = date_field("Date of the update", missing="Enter the date of the update")
    completed_date = date_field(
        "Completed date", required=False,
        hint="Only for Blue (completed). For example, 27/3/2021")
    milestones_reason = long_text_field(
        "Reason the remaining milestones are not done", required=False,
        max_chars=REASON_MAX_CHARS, rows=3,
        hint="Only for Blue (completed) when some milestones are not done.")

    def __init__(self, *args, periods, has_undone_milestones: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        if not has_undone_milestones:
            del self.fields["milestones_reason"]


class MilestoneForm(GovUkForm):
    title = forms.CharField(
        label="Milestone", max_length=MILESTONE_TITLE_MAX_CHARS,
        error_messages={"required": "Enter the milestone",
                        "max_length": f"Milestone must be {MILESTONE_TITLE_MAX_CHARS} "
                                      f"characters or fewer"})
    due_date = date_field("Due date", missing="Enter the date the milestone is due",
                          named="the date the milestone is due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.pop("maxlength", None)


class MilestoneDoneForm(GovUkForm):
    done_date = date_field("Date done", required=False,
                           hint="Leave empty for today. For example, 27/3/2021")
    reason = forms.CharField(label="Note", required=False, strip=True,
                             validators=[_max_chars_validator("Note", REASON_MAX_CHARS)])


class DueDateForm(VersionedForm):
    new_due_date = date_field("New due date", missing="Enter the new due date")
    reason = long_text_field(
        "Reason for moving the due date", max_chars=REASON_MAX_CHARS, rows=4,
        missing="Enter the reason the due date is moving",
        hint="The board and the audit trail will see this.",
        named="the reason the due date is moving")


class EvidenceForm(GovUkForm):
    title = forms.CharField(
        label="Title", max_length=TITLE_MAX_CHARS,
        error_messages={"required": "Enter a title for the evidence",
                        "max_length": f"Title must be {TITLE_MAX_CHARS} characters or fewer"})
    kind = forms.ChoiceField(
        label="Type of evidence", choices=Evidence.Kind.choices, initial=Evidence.Kind.OTHER,
        required=False,
        help_text="The monitoring pack's evidence index lists each piece by its type.",
        error_messages={"required": "Select the type of evidence",
                        "invalid_choice": "Select the type of evidence"})
    url = forms.URLField(
        label="Link", required=False, assume_scheme="https", max_length=500,
        help_text="A link that starts with https://",
        error_messages={"invalid": "Enter a link in the right format, like "
                                   "https://www.example.org/report"})
    file = forms.FileField(
        label="Or upload a file", required=False, allow_empty_file=True,
        help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG or GIF, smaller than 20 MB")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "url"):
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_kind(self) -> str:
        # Left unset (by a client that predates the field), evidence is of another type.
        return self.cleaned_data["kind"] or Evidence.Kind.OTHER
