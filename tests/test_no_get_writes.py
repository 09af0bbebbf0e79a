"""The guard round every test request: a page that writes on GET fails its test."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from plans.models import ReportingPeriod
from tests.no_get_writes import GetRequestWroteError, NoWritesOnGetMiddleware


def _view_that_writes(plan):
    def view(request):
        ReportingPeriod.objects.create(plan=plan, label="2031-Q1", start=dt.date(2031, 1, 1),
                                       end=dt.date(2031, 3, 31))
        return HttpResponse("drawn")

    return view


def test_a_get_request_that_writes_fails(plan):
    guarded = NoWritesOnGetMiddleware(_view_that_writes(plan))

    with pytest.raises(GetRequestWroteError, match="wrote to workstreams_reportingperiod"):
        guarded(RequestFactory().get("/test-area/"))


def test_a_post_request_may_write(plan):
    guarded = NoWritesOnGetMiddleware(_view_that_writes(plan))

    assert guarded(RequestFactory().post("/test-area/")).content == b"drawn"
