from django import forms

from govuk.forms import GovUkForm
from measures.models import Measure
from measures.services import MAX_REASON

from .models import Indicator, MeasureComparator
from .selectors import indicators_for_plan


class ComparatorForm(GovUkForm):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(), label="Published figure",
        empty_label="Choose a figure",
        help_text="Figures published for the area, loaded from the government's files.")
    use = forms.ChoiceField(label="How the figure is used", choices=MeasureComparator.Use.choices,
                            widget=forms.RadioSelect, initial=MeasureComparator.Use.COMPARATOR)
    reason = forms.CharField(label="Reason", max_length=MAX_REASON,
                             help_text="Kept in the audit trail, such as “Agreed at the May "
                                       "board”.")

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators_for_plan(measure.plan)
