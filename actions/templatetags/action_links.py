"""Links to action pages that cost no URL resolving per row: the plan and the board pack can
list thousands of actions."""

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.urls.resolvers import RFC3986_SUBDELIMS

register = template.Library()


@lru_cache(maxsize=256)
def _actions_root(plan_slug: str) -> str:
    return reverse("actions:list", kwargs={"plan_slug": plan_slug})


@register.filter
def action_href(ref: str, plan_slug: str) -> str:
    """The action page's address in the plan, quoted as {% url 'actions:detail' %} quotes
    it: {{ action.ref|action_href:current_plan.slug }}."""
    return f"{_actions_root(plan_slug)}{quote(str(ref), safe=RFC3986_SUBDELIMS + '~:@')}/"
