from django import forms

from govuk.forms import GovUkForm

from .models import ReminderChoice


class ReminderChoiceForm(GovUkForm):
    frequency = forms.ChoiceField(
        label="How often do you want reminders?", choices=ReminderChoice.Frequency.choices,
        widget=forms.RadioSelect,
        help_text="Reminders list the updates and commentaries you still owe for this plan.",
        error_messages={"required": "Select how often you want reminders"})
    frequency.error_name = "how often you want reminders"
