from functools import cached_property

from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist


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

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._builtin.get_template(template_name)
