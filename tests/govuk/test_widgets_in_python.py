"""Django's own widgets drawn in Python give exactly what their templates give, so every
form looks and behaves as before, only faster."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from govuk.renderers import DRAWN_IN_PYTHON, GovUkFormRenderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="As on the plan")
    count = forms.IntegerField(min_value=0, required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False)
    email = forms.EmailField(required=False)
    site = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    agreed = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rag = forms.ChoiceField(choices=[("", "Any"), ("red", "Red <&> \"worst\""), ("blue", 7)])
    grouped = forms.ChoiceField(choices=[
        ("Workstreams", [("JC", "Joint commissioning"), ("EHC", "EHC plans")]),
        ("", "None"), (dt.date(2021, 3, 31), dt.date(2021, 3, 31))], required=False)
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", mark_safe("<b>B</b>"))],
                                        required=False)
    disabled = forms.CharField(disabled=True, required=False)


@pytest.mark.parametrize("data", [
    None,
    {"name": 'O\'Neil & "Sons" <x>', "count": "12", "when": "2021-03-31",
     "at": "2021-03-31 10:00", "email": "a@b.c", "site": "http://x.y", "secret": "p&w",
     "version": "4", "agreed": "on", "notes": "line one\n<b>two</b> & three", "rag": "red",
     "grouped": "2021-03-31", "several": ["a", "b"], "disabled": "x"},
    {"name": "", "count": "lots", "when": "31/02/2021", "rag": "nope", "grouped": "EHC"},
])
def test_every_widget_drawn_in_python_matches_its_template(data):
    form = Everything(data, initial={"version": 3, "disabled": "fixed"})
    form.is_valid()
    ours = GovUkFormRenderer()
    drawn = 0
    for bound in form:
        widget = bound.field.widget
        context = widget.get_context(bound.html_name, bound.value(), bound.build_widget_attrs(
            {"id": bound.auto_id, "class": "govuk-input"}))
        if widget.template_name not in DRAWN_IN_PYTHON:
            continue
        drawn += 1
        assert ours.render(widget.template_name, context) == TemplatesSetting.render(
            ours, widget.template_name, context), bound.name
    assert drawn == len(form.fields)
