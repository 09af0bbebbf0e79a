from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render

from .permissions import can_import_new_plan, has_own_actions
from .selectors import plans_readable_by


def index(request: HttpRequest) -> HttpResponse:
    """The plans the person may read; straight to the plan when there is only one: to a
    lead's own actions, to the dashboard for everyone else."""
    plans = plans_readable_by(request.user)
    if len(plans) == 1:
        landing = "your_actions" if has_own_actions(request.user, plans[0]) else "dashboard:home"
        return redirect(landing, plan_slug=plans[0].slug)
    # A person holds roles in a few plans at most: one look-up of rights each.
    own_actions = {plan.pk for plan in plans if has_own_actions(request.user, plan)}
    return render(request, "plans/index.html", {
        "plans": plans, "own_actions": own_actions,
        "can_import_new_plan": can_import_new_plan(request.user)})


def old_address(request: HttpRequest, rest: str) -> HttpResponse:
    """Addresses from before every page named its plan (/actions/JC10/) were the Essex
    plan's: they move to that plan's address, with their query string, for good."""
    query = request.META.get("QUERY_STRING", "")
    target = f"/{settings.PLAN_OF_OLD_ADDRESSES}/{rest}"
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
