from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import can_read_plan


def reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in is enforced by middleware; this refuses signed-in accounts with no role."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_read_plan(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
