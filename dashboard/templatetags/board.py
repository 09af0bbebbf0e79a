"""Cheap per-row helpers for long tables (the board pack can list thousands of actions)."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from govuk.templatetags.govuk import rag_tag

register = template.Library()


@lru_cache(maxsize=16)
def _rag_html(key: str) -> SafeString:
    return render_to_string("govuk/rag_tag.html", rag_tag(key))


@register.filter
def rag(value) -> SafeString:
    """The same GOV.UK tag as {% rag_tag %}, rendered once per colour rather than per row."""
    return _rag_html(str(getattr(value, "value", value) or ""))


@register.filter
def action_href(ref: str) -> str:
    """The action page's address; refs are letters and digits, so no escaping is needed."""
    return f"{_actions_root()}{ref}/"


@lru_cache(maxsize=1)
def _actions_root() -> str:
    return reverse("actions:list")
