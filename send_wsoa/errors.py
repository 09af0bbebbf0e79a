"""Styled error pages that say what happened and nothing about why inside the code."""

import logging
import sys

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger("send_wsoa.outage")
# How long a browser or load balancer is told to wait before trying again.
RETRY_AFTER_SECONDS = 30


class Refusal(PermissionDenied):
    """A refusal that explains itself: why this person may not, and where to go back to."""

    def __init__(self, reason: str, back_url: str, back_text: str) -> None:
        super().__init__(reason)
        self.reason, self.back_url, self.back_text = reason, back_url, back_text


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    refusal = exception if isinstance(exception, Refusal) else None
    return render(request, "403.html", {"refusal": refusal}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    if isinstance(sys.exc_info()[1], DatabaseError):
        return service_unavailable(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The database cannot be reached, whichever part of a request first asked it (the
    session, the user, the page): an outage, said as one, not a fault in the code. Django
    reconnects by itself once the database is back (CONN_HEALTH_CHECKS)."""
    logger.warning("Service unavailable: the database cannot be reached (%s %s)",
                   request.method, request.path)
    if request.path == "/healthz":
        response = JsonResponse({"status": "database unavailable"}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once above, as a warning without a traceback, rather than as an application
    # error by Django's request logger.
    response._has_been_logged = True
    return response
