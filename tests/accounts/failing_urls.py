"""The project's URLs plus one view that fails, to see what a user gets from a server error."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from accounts.decorators import reader_required
from send_wsoa.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@reader_required
def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail: password=hunter2 in /srv/app/views.py")


urlpatterns = [path("fails/", fails), *urlpatterns]
