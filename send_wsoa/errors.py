"""Styled error pages that say what happened and nothing about why inside the code."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
