from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from .selectors import plan_for_reader_or_404


def plan_reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolves the plan the URL names for a person who may read it, and passes it to the
    view. Sign-in is enforced by middleware; a plan the person holds no role in is a 404,
    so its existence is not revealed."""

    @wraps(view)
    def wrapper(request: HttpRequest, plan_slug: str, *args, **kwargs) -> HttpResponse:
        plan = plan_for_reader_or_404(request.user, plan_slug)
        request.plan = plan
        return view(request, plan, *args, **kwargs)

    return wrapper
