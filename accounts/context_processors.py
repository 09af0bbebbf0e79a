from django.http import HttpRequest
from django.urls import reverse

from workstreams.selectors import current_plan

from .roles import can_read_audit_trail, can_read_plan


def navigation(request: HttpRequest) -> dict:
    """The plan in view and the service navigation, for base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_read_plan(user):
        return {"current_plan": None, "nav_items": [], "shows_demo_data": False}
    links = [
        ("Dashboard", reverse("dashboard:home")),
        ("Plan", reverse("workstreams:plan")),
        ("Actions", reverse("actions:list")),
        ("Measures", reverse("measures:list")),
        ("Board pack", reverse("dashboard:board_pack")),
    ]
    if can_read_audit_trail(user):
        links.append(("Audit trail", reverse("audit:list")))
    path = request.path
    nav_items = [
        {"text": text, "href": href,
         "active": path == href if href == "/" else path.startswith(href)}
        for text, href in links
    ]
    plan = current_plan(request)
    return {"current_plan": plan, "nav_items": nav_items,
            "shows_demo_data": bool(plan and plan.has_demo_data)}
