"""Milestone targets: the figure a measure should have reached by each review point, set by
those who enter its readings, with a reason the audit trail keeps."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from measures.models import Measure, MilestoneTarget
from measures.services import milestone_target_set
from plans.services import reporting_period_close
from tests.factories import ReportingPeriodFactory

from .conftest import make_measure


def target_url(measure) -> str:
    return reverse("measures:milestone_target", kwargs={"plan_slug": measure.plan.slug,
                                                       "measure_id": measure.pk})


def test_a_milestone_target_is_set_with_its_reason_in_the_audit_trail(waiting_time, period,
                                                                       officer):
    milestone_target_set(measure=waiting_time, period=period, value="24", user=officer,
                         reason="Agreed at the SEND board")

    target = MilestoneTarget.objects.get()
    assert (target.measure, target.period, target.value) == (waiting_time, period, D("24"))
    entry = AuditEntry.objects.filter(object_kind="milestone target").get()
    assert entry.reason == "Agreed at the SEND board"
    assert entry.changes["Value"] == [None, "24 weeks"]
    assert entry.object_label == "Waiting time: milestone target for 2020-21 Q2"
    assert entry.workstream_code == "JC"


def test_changing_a_target_keeps_the_old_and_new_and_a_blank_value_removes_it(
        waiting_time, period, officer):
    milestone_target_set(measure=waiting_time, period=period, value="24", user=officer,
                         reason="First plan")
    milestone_target_set(measure=waiting_time, period=period, value="22.5", user=officer,
                         reason="Revised at review")
    assert MilestoneTarget.objects.get().value == D("22.5")
    changed = AuditEntry.objects.filter(object_kind="milestone target").order_by("sequence")
    assert changed.last().changes["Value"] == ["24 weeks", "22.5 weeks"]

    assert milestone_target_set(measure=waiting_time, period=period, value="", user=officer,
                                reason="Not a review point") is None
    assert not MilestoneTarget.objects.exists()
    assert changed.last().change_type == "deleted"
    assert changed.last().reason == "Not a review point"


def test_a_target_needs_a_reason_and_a_figure_a_reading_could_be(plan, outcome, period,
                                                                  officer):
    share = make_measure(plan, outcome, Measure.Kind.PERCENTAGE)
    with pytest.raises(ValidationError) as caught:
        milestone_target_set(measure=share, period=period, value="120", user=officer,
                             reason=" ")
    errors = caught.value.message_dict
    assert errors["value"][0].startswith("Milestone target: value must be")
    assert errors["reason"] == ["Enter the reason for the milestone target"]
    assert not MilestoneTarget.objects.exists()


def test_a_closed_periods_target_stays_as_it_was_at_the_close(waiting_time, period, officer):
    reporting_period_close(period=period, user=officer)
    period.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        milestone_target_set(measure=waiting_time, period=period, value="24", user=officer,
                             reason="Late")

    assert "2020-21 Q2 (July to September 2020) is closed" in caught.value.message_dict[
        "period"][0]
    assert not MilestoneTarget.objects.exists()


def test_an_officer_sets_a_target_on_the_form_and_the_measure_page_shows_it(
        client, waiting_time, period, officer):
    later = ReportingPeriodFactory(plan=waiting_time.plan, label="2020-Q4",
                                   start=dt.date(2020, 10, 1), end=dt.date(2020, 12, 31))
    client.force_login(officer)

    page = client.get(target_url(waiting_time)).content.decode()
    assert f'<option value="{later.pk}">2020-21 Q3</option>' in page

    response = client.post(target_url(waiting_time), {"period": later.pk, "value": "21",
                                                      "reason": "Agreed at the SEND board"},
                           follow=True)
    text = response.content.decode()
    assert "Milestone target for 2020-21 Q3 set to 21 weeks." in text
    assert "2020-21 Q3: 21 weeks" in text


def test_the_form_names_each_missing_or_wrong_answer(client, waiting_time, period, officer):
    client.force_login(officer)

    response = client.post(target_url(waiting_time), {"period": period.pk, "value": "soon",
                                                      "reason": ""})

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the reason for the milestone target" in text
    assert "Milestone target: value must be" in text
    assert not MilestoneTarget.objects.exists()


def test_a_lead_of_another_workstream_cannot_set_a_target(client, waiting_time, period,
                                                          ehc_lead):
    client.force_login(ehc_lead)

    response = client.post(target_url(waiting_time), {"period": period.pk, "value": "21",
                                                      "reason": "Mine"})

    assert response.status_code == 403
    assert not MilestoneTarget.objects.exists()
