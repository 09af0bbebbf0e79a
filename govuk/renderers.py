from functools import cached_property

from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime


class GovUkFormRenderer(TemplatesSetting):
    """Renders every form and field as GOV.UK Frontend markup.

    TemplatesSetting, so the form and field templates come from the project's TEMPLATES and
    can use the govuk template tags. Django's own widget templates are found there when
    "django.forms" is in INSTALLED_APPS; otherwise they come from Django's built-in engine."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    @cached_property
    def _builtin(self) -> DjangoTemplates:
        return DjangoTemplates()

    def render(self, template_name, context, request=None):
        draw = DRAWN_IN_PYTHON.get(template_name)
        html = draw(context["widget"]) if draw is not None else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._builtin.get_template(template_name)


# Django's own widget templates, drawn in Python with exactly their output: a filter form of
# five selects drew its options through a hundred template renders, a third of the actions
# list's time. A widget whose template is not one of these is drawn by its template.
def _text(value) -> str:
    """`{{ value }}` in a template."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` in a template."""
    text = "%s" % (value,)  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(widget: dict) -> str:
    return "".join(
        f" {_text(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in widget["attrs"].items() if value is not False)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
            f"{_attrs(widget)}>")


def _option(option: dict) -> str:
    return (f'<option value="{_formatted(option["value"])}"{_attrs(option)}>'
            f'{_text(option["label"])}</option>\n')


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget)}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget)}>\n{value}</textarea>'


OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
DRAWN_IN_PYTHON = {
    **{f"django/forms/widgets/{name}.html": _input for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "checkbox", "search", "tel", "color")},
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/textarea.html": _textarea,
}
