"""Links to action pages that cost no URL resolving per row: the plan and the board pack can
list thousands of actions."""

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.urls.resolvers import RFC3986_SUBDELIMS

register = template.Library()


@lru_cache(maxsize=1)
def _actions_root() -> str:
    return reverse("actions:list")


@register.filter
def action_href(ref: str) -> str:
    """The action page's address, quoted as {% url 'actions:detail' ref %} quotes it."""
    return f"{_actions_root()}{quote(str(ref), safe=RFC3986_SUBDELIMS + '~:@')}/"
