"""Per-row helpers for the board's long tables (the board pack can list thousands of
actions), shared with the rest of the service."""

from django import template

from actions.templatetags.action_links import action_href
from govuk.templatetags.govuk import rag

register = template.Library()
register.filter("rag", rag)
register.filter("action_href", action_href)
