"""Forms an officer fills in to write and publish what the public page says. Rules about
what may be saved live in public.services; these forms turn input into typed values."""

from django import forms

from actions.forms import long_text_field
from govuk.forms import GovUkForm
from workstreams.models import Weakness

from .models import YouSaidWeDid
from .services import PEOPLE_MAX, REASON_MAX_CHARS, TEXT_MAX_CHARS

PLAIN_ENGLISH = "Short sentences in everyday words; explain any acronym."


def reason_field(hint: str = "The audit trail keeps this with the change.") -> forms.CharField:
    return long_text_field("Reason for change", max_chars=REASON_MAX_CHARS, rows=2, hint=hint,
                           missing="Enter the reason for this change",
                           named="the reason for this change")


class SummaryForm(GovUkForm):
    text = long_text_field(
        "Public summary", max_chars=TEXT_MAX_CHARS, required=False, rows=6,
        hint=f"What is being done, for families to read. {PLAIN_ENGLISH} No one's name. "
             "Saving keeps it as a draft: families read it only once it is published.")
    reason = reason_field()


class PublishForm(GovUkForm):
    reason = reason_field()


class MeasurePublishForm(GovUkForm):
    name = long_text_field(
        "What the measure shows", max_chars=TEXT_MAX_CHARS, rows=3,
        missing="Enter what the measure shows, in words families use",
        hint=f"The name families will read above its latest result. {PLAIN_ENGLISH}")
    reason = reason_field()


class EntryForm(GovUkForm):
    weakness = forms.ModelChoiceField(
        label="Which weakness it is about", queryset=Weakness.objects.none(), required=False,
        empty_label="Not about one weakness",
        error_messages={"invalid_choice": "Select a weakness of this plan"})
    weakness.error_name = "weakness"
    said = long_text_field("What families said", max_chars=TEXT_MAX_CHARS, rows=4,
                           hint=PLAIN_ENGLISH)
    where = forms.ChoiceField(label="Where they said it", choices=YouSaidWeDid.Where.choices,
                              widget=forms.RadioSelect,
                              error_messages={"required": "Select where families said it"})
    where.error_name = "where families said it"
    where_detail = forms.CharField(
        label="Which survey, forum or theme", required=False, max_length=200,
        help_text="Such as the POET survey, summer 2021",
        error_messages={"max_length": "Which survey, forum or theme must be 200 characters "
                                      "or fewer"})
    people = forms.IntegerField(
        label="How many people said it", required=False, min_value=0, max_value=PEOPLE_MAX,
        help_text="Leave empty if not known. The page shows 1 to 4 as “fewer than 5”.",
        error_messages={"invalid": "How many people said it must be a whole number, like 12",
                        "min_value": "How many people said it must be 0 or more",
                        "max_value": f"How many people said it must be {PEOPLE_MAX:,} or "
                                     "fewer"})
    did = long_text_field("What we did", max_chars=TEXT_MAX_CHARS, rows=4, hint=PLAIN_ENGLISH)
    evidence = long_text_field(
        "How families can see the change", max_chars=TEXT_MAX_CHARS, required=False, rows=3,
        hint="Optional. Public information only: nothing about one child or family.")
    not_possible = long_text_field(
        "What we could not change, and why", max_chars=TEXT_MAX_CHARS, required=False, rows=3,
        hint="Optional. Where a change was not possible, say why not.")
    reason = reason_field("The audit trail keeps this with the change. Saving keeps the entry "
                          "as a draft until it is published.")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weakness"].queryset = Weakness.objects.filter(plan=plan)
        self.fields["where_detail"].widget.attrs.pop("maxlength", None)


class SettingsForm(GovUkForm):
    feedback_email = forms.EmailField(
        label="Feedback email address", required=False,
        help_text="Families who use the page's feedback link write to this address.",
        error_messages={"invalid": "Enter the feedback email address in the right format, "
                                   "like send.feedback@example.gov.uk"})
    frame_origins = long_text_field(
        "Sites that may show the page in a frame", max_chars=2000, required=False, rows=3,
        hint="One address a line, such as https://www.essexlocaloffer.org.uk. Leave empty "
             "and no other site can frame the page.")
    reason = reason_field()
