from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

# Marks a view that takes a larger body than REQUEST_MAX_BYTES (see allows_file_of).
BODY_LIMIT_ATTRIBUTE = "request_max_bytes"


class PrivateByDefaultMiddleware:
    """Every page and download is kept by no shared proxy and no browser cache: they hold a
    person's plan data, and a public computer must not show them to the next person. Static
    files never reach here (WhiteNoise answers them first); a page that is public and meant
    to be cached says so itself with its own Cache-Control."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


def allows_file_of(max_bytes: int) -> Callable:
    """A view that takes a file larger than REQUEST_MAX_BYTES (an evidence upload) says how
    large, so only its own address accepts it, with the form's own few bytes around it."""
    def mark(view: Callable) -> Callable:
        setattr(view, BODY_LIMIT_ATTRIBUTE, max_bytes)
        return view
    return mark


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class RequestSizeLimitMiddleware:
    """A request whose stated length is over the limit is refused before Django reads a
    byte of it: Django would otherwise spool an upload of any size to disk while it parses
    it, holding a worker, whatever the form then says of the file. Without a
    Content-Length Django reads no body at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stated = request.META.get("CONTENT_LENGTH") or "0"
        if not stated.isdigit():
            return HttpResponse("Bad request: Content-Length is not a number.", status=400,
                                content_type="text/plain")
        allowed, shown = self._limit(request)
        if int(stated) > allowed:
            page = loader.get_template("413.html").render({"limit": _megabytes(shown)})
            response = HttpResponse(page, status=413)
            # Nothing of the body was read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)

    @staticmethod
    def _limit(request: HttpRequest) -> tuple[int, int]:
        """(bytes allowed, the limit as the page states it)."""
        try:
            file_limit = getattr(resolve(request.path_info).func, BODY_LIMIT_ATTRIBUTE, None)
        except Resolver404:
            file_limit = None
        if file_limit is None:
            return settings.REQUEST_MAX_BYTES, settings.REQUEST_MAX_BYTES
        return file_limit + settings.FILE_FORM_OVERHEAD_BYTES, file_limit
