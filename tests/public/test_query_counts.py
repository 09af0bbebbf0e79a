"""The public page costs the same number of queries whatever the plan's size, and a visitor
who already holds the page is answered 304 from the data's revision alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public import services
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OutcomeFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    WeaknessFactory,
    WorkstreamFactory,
    member,
)

pytestmark = pytest.mark.django_db


def _grow(plan, officer, period, size: int) -> None:
    for number in range(1, size + 1):
        weakness = WeaknessFactory(plan=plan, number=number)
        workstream = WorkstreamFactory(plan=plan, code=f"W{number}", weakness=weakness)
        for _ in range(size):
            action = ActionFactory(plan=plan, workstream=workstream)
            services.summary_draft_save(action=action, text="Work.", user=officer, reason="R")
            services.summary_publish(action=action, user=officer, reason="R")
        outcome = OutcomeFactory(plan=plan, workstream=workstream)
        measure = MeasureFactory(plan=plan, outcome=outcome)
        MeasureReadingFactory(measure=measure, period=period, value=size)
        services.measure_publish(measure=measure, name="Weeks", user=officer, reason="R")
        entry = services.entry_save(plan=plan, user=officer, reason="R", weakness=weakness,
                                    said="Said.", where="survey", did="Did.")
        services.entry_publish(entry=entry, user=officer, reason="R")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_at_any_size(client, plan, officer, period, settings,
                                                     other_plan):
    settings.PAGE_CACHE = False
    _grow(plan, officer, period, 2)
    bigger_officer = member(UserFactory(username="bigger"), other_plan, Role.OFFICER)
    _grow(other_plan, bigger_officer, ReportingPeriodFactory(plan=other_plan), 6)

    assert _queries(client, "/public/test-area/") == _queries(client, "/public/other-area/")


def test_a_visitor_holding_the_page_gets_304_without_the_page_being_drawn(client, plan,
                                                                          officer, period):
    _grow(plan, officer, period, 2)
    first = client.get("/public/test-area/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/public/test-area/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    # The revision and the plan: nothing of the page is read.
    assert len(queries) <= 2
