"""Forms an officer fills in for the quarterly monitoring: rules about what may be saved
live in plans.services; these turn what was typed into typed values."""

from django import forms

from actions.forms import date_field, long_text_field
from actions.services import NARRATIVE_MAX_CHARS, REASON_MAX_CHARS
from govuk.forms import GovUkForm
from plans.models import ReviewMeeting


class ClosePeriodForm(GovUkForm):
    reason = long_text_field(
        "Note for the audit trail (optional)", max_chars=REASON_MAX_CHARS, required=False,
        rows=3, hint="For example, figures agreed at the SEND Improvement Board.")


class ReopenPeriodForm(GovUkForm):
    reason = long_text_field(
        "Reason for reopening the period", max_chars=REASON_MAX_CHARS, rows=4,
        missing="Enter the reason the period is being reopened",
        named="the reason the period is being reopened",
        hint="The audit trail keeps this. A pack already sent stays as it was sent.")


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ReviewMeetingForm(GovUkForm):
    kind = forms.ChoiceField(
        label="Kind of meeting", choices=ReviewMeeting.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of meeting"})
    number = forms.IntegerField(
        label="Meeting number (support and challenge meetings only)", required=False,
        min_value=1, max_value=99, help_text="For example, 3",
        error_messages={"invalid": "The meeting number must be a whole number, such as 3",
                        "min_value": "The meeting number must be between 1 and 99",
                        "max_value": "The meeting number must be between 1 and 99"})
    date = date_field("Date of the meeting", missing="Enter the date of the meeting")
    period = PeriodChoiceField(
        label="Reporting period it reviews", queryset=None, empty_label=None,
        error_messages={"required": "Select the reporting period the meeting reviews",
                        "invalid_choice": "Select a reporting period of this plan"})
    evidence_deadline = date_field(
        "Evidence deadline (optional)", required=False,
        hint="Leave blank for 10 working days before the meeting, England and Wales bank "
             "holidays excluded. For example, 27/3/2021")
    invited = forms.MultipleChoiceField(
        label="Who is invited", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("invites_dfe_adviser", "DfE SEND adviser"),
                 ("invites_nhse_adviser", "NHS England adviser"),
                 ("invites_parent_carer_forum", "Parent carer forum")],
        initial=["invites_dfe_adviser", "invites_nhse_adviser", "invites_parent_carer_forum"])

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["number"].widget.attrs["inputmode"] = "numeric"
        self.fields["number"].error_name = "meeting number"
        self.fields["period"].error_name = "reporting period"


class AgreedActionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return (f"{obj.ref}: due {obj.current_due_date:%-d %B %Y}, first due "
                f"{obj.original_due_date:%-d %B %Y}")


class OutcomeForm(GovUkForm):
    feedback = long_text_field(
        "The advisers' feedback", max_chars=NARRATIVE_MAX_CHARS, required=False, rows=8,
        hint="Their words, or a summary of their letter.")
    file = forms.FileField(
        label="Their letter (optional)", required=False, allow_empty_file=True,
        help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG or GIF, smaller than 20 MB")
    agreed_actions = AgreedActionsField(
        label="Due-date moves agreed at the meeting", required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each move ticked is shown in the monitoring pack as agreed with DfE/NHSE "
                  "at this meeting.")

    def __init__(self, *args, moved_actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_actions"].queryset = moved_actions
