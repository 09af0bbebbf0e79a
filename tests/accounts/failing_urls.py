"""The project's URLs plus one plan page that fails, to see what a reader of the plan gets
from a server error."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from plans.decorators import plan_reader_required
from plans.models import Plan
from send_wsoa.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@plan_reader_required
def fails(request: HttpRequest, plan: Plan) -> HttpResponse:
    raise RuntimeError("secret detail: password=hunter2 in /srv/app/views.py")


urlpatterns = [path("<slug:plan_slug>/fails/", fails), *urlpatterns]
