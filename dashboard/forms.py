"""Forms for the board's cycle; what may be saved is decided by dashboard.services."""

from django import forms

from actions.forms import date_field, long_text_field
from actions.services import NARRATIVE_MAX_CHARS
from govuk.forms import GovUkForm

from .models import BoardException


class BoardMeetingForm(GovUkForm):
    date = date_field("Date of the meeting", missing="Enter the date of the meeting")
    commentary_deadline = date_field(
        "Commentaries due by", missing="Enter the date commentaries are due",
        named="the date commentaries are due",
        hint="Leads write a commentary on each exception by this date. For example, 27/3/2021")
    notes = long_text_field("Notes", max_chars=NARRATIVE_MAX_CHARS, required=False, rows=3,
                            hint="Optional: the venue, or what the board will focus on.")


ASK_CHOICES = [
    (BoardException.Ask.NOTE.value, "Note: the board is told, and nothing more is needed"),
    (BoardException.Ask.DECIDE.value, "Decide: the board is asked to make a decision"),
    (BoardException.Ask.ESCALATE.value,
     "Escalate: the board is asked to take it to the partners' leaders"),
]


class CommentaryForm(GovUkForm):
    what_went_wrong = long_text_field("What went wrong", max_chars=NARRATIVE_MAX_CHARS)
    what_is_being_done = long_text_field("What is being done", max_chars=NARRATIVE_MAX_CHARS)
    board_asked_to = forms.ChoiceField(
        label="What the board is asked to do", choices=ASK_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Select what the board is asked to do"})
