from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .pages import current_revision


class RevisionMiddleware:
    """Reads the data's revision and the day before anything else in a page request reads
    the database (the session, the user, their roles, the plan), so whatever the page
    shows is at least as new as the key it is cached under, never older."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            request.page_day = timezone.localdate()
            try:
                request.page_revision = current_revision()
            except DatabaseError:
                # The page (or /healthz) says the database is unavailable in its own way.
                request.page_revision = None
        return self.get_response(request)
