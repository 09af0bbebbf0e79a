from django.apps import AppConfig


class GovukConfig(AppConfig):
    """GOV.UK Frontend templates, form renderer, template tags and table base class."""

    name = "govuk"
    verbose_name = "GOV.UK Frontend integration"
