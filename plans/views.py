from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render

from .permissions import can_import_new_plan
from .selectors import plans_readable_by


def index(request: HttpRequest) -> HttpResponse:
    """The plans the person may read; straight to the plan when there is only one."""
    plans = plans_readable_by(request.user)
    if len(plans) == 1:
        return redirect("dashboard:home", plan_slug=plans[0].slug)
    return render(request, "plans/index.html", {
        "plans": plans, "can_import_new_plan": can_import_new_plan(request.user)})


def old_address(request: HttpRequest, rest: str) -> HttpResponse:
    """Addresses from before every page named its plan (/actions/JC10/) were the Essex
    plan's: they move to that plan's address, with their query string, for good."""
    query = request.META.get("QUERY_STRING", "")
    target = f"/{settings.PLAN_OF_OLD_ADDRESSES}/{rest}"
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
