"""What views and forms share about GOV.UK forms."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms import Form
from django.forms.utils import pretty_name
from django.utils.text import capfirst

OPTIONAL = re.compile(r"\s*\(optional\)\s*$", re.IGNORECASE)
# Widgets answered by choosing, whose missing answer is "Select ..." rather than "Enter ...".
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select,
                  forms.CheckboxInput)


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal at the field it names, and in the error summary; a refusal
    naming no field (or a field the form lacks) goes to the summary alone."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, field_messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, field_messages)


def error_name(field: forms.Field, name: str) -> str:
    """How error messages name a field in a sentence: its own `error_name` (set where the
    label does not read well there, such as a place's name), else its label with "(optional)"
    and a closing "?" taken off and the first letter lowered, an acronym kept as written."""
    explicit = getattr(field, "error_name", "")
    if explicit:
        return str(explicit)
    return label_in_sentence(str(field.label or pretty_name(name)))


def label_in_sentence(label: str) -> str:
    label = OPTIONAL.sub("", label.strip()).rstrip("?:").strip()
    first, _, rest = label.partition(" ")
    if sum(letter.isupper() for letter in first) < 2:
        first = first[:1].lower() + first[1:]
    return f"{first} {rest}".strip()


def _wording(field: forms.Field, name: str) -> dict[str, str]:
    """GOV.UK-style messages for what Django would otherwise say in its own words."""
    words = _worded(error_name(field, name), field)
    # A message with parameters is %-formatted by Django, so a % in the label is doubled.
    escaped = _worded(error_name(field, name).replace("%", "%%"), field)
    return {code: escaped[code] if "%(" in message else message
            for code, message in words.items()}


def _worded(named: str, field: forms.Field) -> dict[str, str]:
    subject = capfirst(named)
    chooses = (isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField,
                                  forms.BooleanField))
               or isinstance(field.widget, CHOICE_WIDGETS))
    from_the_list = f"Select one of the options for {named}"
    words = {
        "required": f"Select {named}" if chooses else f"Enter {named}",
        "invalid_choice": from_the_list,
        "invalid_list": from_the_list,
        "invalid_pk_value": from_the_list,
        "min_value": f"{subject} must be %(limit_value)s or more",
        "max_value": f"{subject} must be %(limit_value)s or less",
        "step_size": f"{subject} must be a multiple of %(limit_value)s",
        "max_digits": f"{subject} must be %(max)s digits or fewer",
        "max_decimal_places": f"{subject} must have %(max)s decimal places or fewer",
        "max_whole_digits": f"{subject} must have %(max)s digits or fewer before the point",
        "null_characters_not_allowed": f"{subject} must not hold null characters",
    }
    if isinstance(field, forms.FileField):
        words |= {
            "invalid": f"Select {named} again: the file did not arrive",
            "missing": f"Select {named} again: the file did not arrive",
            "empty": f"The file selected for {named} is empty",
            "max_length": f"The name of the file selected for {named} must be %(max)d "
                          f"characters or fewer (it has %(length)d)",
            "contradiction": f"Either select a new file for {named} or remove it, not both"}
    else:
        words |= {
            "max_length": f"{subject} must be %(limit_value)d characters or fewer "
                          f"(it has %(show_value)d)",
            "min_length": f"{subject} must be %(limit_value)d characters or more "
                          f"(it has %(show_value)d)",
            "invalid": f"Enter {named} in the right format"}
    if isinstance(field, forms.DateTimeField):
        words["invalid"] = f"{subject} must be a real date and time"
    elif isinstance(field, forms.DateField):
        words["invalid"] = f"{subject} must be a real date, for example 27/3/2021"
    elif isinstance(field, forms.TimeField):
        words["invalid"] = f"{subject} must be a real time"
    elif isinstance(field, forms.IntegerField):
        words["invalid"] = f"{subject} must be a whole number"
    elif isinstance(field, (forms.DecimalField, forms.FloatField)):
        words["invalid"] = f"{subject} must be a number"
    elif isinstance(field, forms.EmailField):
        words["invalid"] = f"Enter {named} in the right format, like name@example.gov.uk"
    elif isinstance(field, forms.URLField):
        words["invalid"] = (f"Enter {named} in the right format, like "
                            f"https://www.example.org")
    return words


def _django_defaults(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults |= {code: str(message) for code, message in
                     getattr(cls, "default_error_messages", {}).items()}
    return defaults


def word_errors(field: forms.Field, name: str) -> None:
    """Give `field` a message naming it for every check Django would word for itself; a
    message the form sets itself is kept."""
    defaults = _django_defaults(field)
    for code, message in _wording(field, name).items():
        current = field.error_messages.get(code)
        if current is None or str(current) == defaults.get(code):
            field.error_messages[code] = message


class GovUkFormMixin:
    """Every error names its field, as the GOV.UK Design System asks ("Enter the value for
    Basildon and Brentwood"), never Django's "This field is required". The words are chosen
    as the form is cleaned, so fields a form adds or relabels in __init__ are worded too."""

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            word_errors(field, name)
        super().full_clean()


class GovUkForm(GovUkFormMixin, forms.Form):
    pass


class GovUkModelForm(GovUkFormMixin, forms.ModelForm):
    pass
