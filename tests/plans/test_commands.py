"""`grant`, `revoke` and `extend_reporting_periods`: what an operator types, what changes,
and what the audit trail then says."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEntry
from plans.models import Membership, ReportingPeriod
from plans.permissions import can_edit_workstream, can_read_plan
from tests.factories import UserFactory

Role = Membership.Role


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_grant_makes_a_lead_of_the_named_workstreams_and_records_why(plan, jc, ehc):
    person = UserFactory(username="new-lead", first_name="Nia", last_name="Lead")

    said = run("grant", "new-lead", "lead", "--plan", "test-area", "--workstream", "jc",
               "--reason", "Took over joint commissioning")

    assert "new-lead is now workstream lead leading JC in test-area" in said
    assert can_edit_workstream(person, plan, jc.pk)
    assert not can_edit_workstream(person, plan, ehc.pk)
    entry = AuditEntry.objects.filter(object_kind="membership").order_by("-sequence").first()
    assert entry.plan_id == plan.pk
    assert entry.actor_label == "command: grant"
    assert entry.reason == "Took over joint commissioning"
    assert entry.object_label == "Workstream lead: N. Lead"


def test_grant_is_for_one_plan_only(plan, other_plan):
    person = UserFactory(username="reader")

    run("grant", "reader", "board", "--plan", "other-area")

    assert can_read_plan(person, other_plan)
    assert not can_read_plan(person, plan)


def test_granting_a_role_already_held_changes_nothing(plan):
    UserFactory(username="reader")
    run("grant", "reader", "board", "--plan", "test-area")
    entries = AuditEntry.objects.count()

    said = run("grant", "reader", "board", "--plan", "test-area")

    assert "already board member in test-area: nothing changed" in said
    assert AuditEntry.objects.count() == entries


def test_revoke_takes_the_role_away_on_the_next_request(client, plan):
    person = UserFactory(username="reader")
    run("grant", "reader", "officer", "--plan", "test-area")
    client.force_login(person)
    assert client.get("/test-area/").status_code == 200

    said = run("revoke", "reader", "officer", "--plan", "test-area", "--reason", "Left")

    assert "reader is no longer officer in test-area" in said
    assert client.get("/test-area/").status_code == 404
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.object_kind, entry.change_type, entry.reason) == ("membership", "deleted",
                                                                    "Left")


def test_revoking_a_role_not_held_says_so_and_succeeds(plan):
    UserFactory(username="reader")

    said = run("revoke", "reader", "admin", "--plan", "test-area")

    assert "reader does not hold the role administrator in test-area: nothing to revoke" in said


@pytest.mark.parametrize("args,message", [
    (["nobody", "board", "--plan", "test-area"], "No account with the username 'nobody'"),
    (["reader", "board", "--plan", "nowhere"], "No plan with the slug 'nowhere'"),
    (["reader", "lead", "--plan", "test-area"], "Name the workstreams a lead leads"),
    (["reader", "lead", "--plan", "test-area", "--workstream", "SEMH"],
     "test-area has no workstream SEMH"),
    (["reader", "board", "--plan", "test-area", "--workstream", "JC"],
     "Only a workstream lead leads workstreams"),
])
def test_grant_refuses_what_cannot_be_granted_and_says_why(plan, jc, args, message):
    UserFactory(username="reader")

    with pytest.raises(CommandError, match=message):
        run("grant", *args)

    assert not Membership.objects.filter(user__username="reader").exists()


def test_extend_reporting_periods_makes_the_quarters_ahead_once(plan):
    plan.starts_on = dt.date(2020, 4, 6)
    plan.ends_on = dt.date(2021, 3, 31)
    plan.save()

    said = run("extend_reporting_periods", "--plan", "test-area")
    again = run("extend_reporting_periods", "--plan", "test-area")

    assert "4 reporting periods added; the last is 2020-21 Q4" in said
    assert "0 reporting periods added" in again
    assert list(ReportingPeriod.objects.filter(plan=plan).values_list("label", flat=True)) == [
        "2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1"]
