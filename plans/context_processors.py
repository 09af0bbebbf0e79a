from django.http import HttpRequest
from django.urls import reverse

from .models import Plan
from .permissions import can_preview_public_page, can_read_audit_trail, has_own_actions


def navigation(request: HttpRequest) -> dict:
    """The plan the page belongs to (the one its address names) and that plan's
    navigation, for base.html. Pages outside a plan have none. Worked out once a request:
    a page's body, its layout and its tables are each drawn with the request's context."""
    worked_out = getattr(request, "_navigation", None)
    if worked_out is None:
        worked_out = request._navigation = _navigation(request)
    return worked_out


def _navigation(request: HttpRequest) -> dict:
    plan: Plan | None = getattr(request, "plan", None)
    user = getattr(request, "user", None)
    if plan is None or user is None or not user.is_authenticated:
        return {"current_plan": None, "nav_items": [], "vocabulary": None,
                "shows_demo_data": False}
    slug = {"plan_slug": plan.slug}
    links = [
        ("Dashboard", reverse("dashboard:home", kwargs=slug)),
        *([("Your actions", reverse("your_actions", kwargs=slug))]
          if has_own_actions(user, plan) else []),
        ("Plan", reverse("workstreams:plan", kwargs=slug)),
        ("Actions", reverse("actions:list", kwargs=slug)),
        ("Measures", reverse("measures:list", kwargs=slug)),
        ("Statistics", reverse("statistics:list", kwargs=slug)),
        ("Board pack", reverse("dashboard:board_pack", kwargs=slug)),
        ("Monitoring", reverse("monitoring:home", kwargs=slug)),
    ]
    if can_read_audit_trail(user, plan):
        links.append(("Audit trail", reverse("audit:list", kwargs=slug)))
    if can_preview_public_page(user, plan):
        links.append(("Public page", reverse("publishing:manage", kwargs=slug)))
    home = links[0][1]
    path = request.path
    nav_items = [
        {"text": text, "href": href,
         "active": path == href if href == home else path.startswith(href)}
        for text, href in links
    ]
    # Every page of a plan with demo data says so; a page may say more (a demo reading).
    return {"current_plan": plan, "nav_items": nav_items, "vocabulary": plan.vocabulary,
            "shows_demo_data": plan.has_demo_data}
