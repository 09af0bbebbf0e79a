"""The move from site-wide role groups to roles in a plan: today's accounts keep the powers
they had, now as roles in each plan, and each change is in the audit trail."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEntry
from audit.services import verify_chain
from plans.models import Membership, Plan

BEFORE = [("plans", "0001_initial"), ("workstreams", "0003_weakness_carried_from")]


def _old_apps():
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps


@pytest.fixture
def before_memberships(transactional_db):
    call_command("migrate", "workstreams", "0003", verbosity=0)
    call_command("migrate", "plans", "0001", verbosity=0)
    yield _old_apps()
    # Every table as the code expects it again, triggers included.
    call_command("migrate", verbosity=0)


def test_role_groups_become_the_same_roles_in_every_plan(before_memberships):
    apps = before_memberships
    User, Group = apps.get_model("auth", "User"), apps.get_model("auth", "Group")
    Plan_, Workstream = apps.get_model("plans", "Plan"), apps.get_model("workstreams", "Workstream")
    essex = Plan_.objects.create(slug="essex", local_area="Essex", title="Essex WSOA")
    suffolk = Plan_.objects.create(slug="suffolk", local_area="Suffolk", title="Suffolk WSOA")
    jc = Workstream.objects.create(plan=essex, code="JC", name="Joint commissioning")
    s1 = Workstream.objects.create(plan=suffolk, code="S", name="Speech and language")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in
              ("Board member", "Workstream lead", "Officer", "Administrator")}
    board = User.objects.create(username="board", first_name="Bola", last_name="Member")
    board.groups.add(groups["Board member"])
    lead = User.objects.create(username="jc-lead")
    lead.groups.add(groups["Workstream lead"])
    jc.leads.add(lead)
    s1.leads.add(lead)
    User.objects.create(username="nobody")

    call_command("migrate", verbosity=0)

    held = {(m.plan.slug, m.user.username, m.role, tuple(w.code for w in m.workstreams.all()))
            for m in Membership.objects.all()}
    assert held == {("essex", "board", "board", ()), ("suffolk", "board", "board", ()),
                    ("essex", "jc-lead", "lead", ("JC",)), ("suffolk", "jc-lead", "lead", ("S",))}
    assert not Membership.objects.filter(user__username="nobody").exists()
    area = Plan.objects.get(slug="essex").local_area
    assert (area.name, area.ons_code, area.region) == ("Essex", "E10000012", "East of England")
    checked, first_break = verify_chain()
    assert first_break is None
    # Two plans given their local area, four roles given.
    assert checked == 6


def test_the_next_edit_of_a_plan_shows_only_its_own_change(before_memberships):
    apps = before_memberships
    apps.get_model("plans", "Plan").objects.create(slug="essex", local_area="Essex",
                                                   title="Essex WSOA")
    call_command("migrate", verbosity=0)

    plan = Plan.objects.get(slug="essex")
    plan.expected_revisit = "Spring 2022"
    plan._change_reason = "The revisit is booked"
    plan.save()

    moved = AuditEntry.objects.filter(object_kind="plan").order_by("sequence")
    assert [entry.changes for entry in moved] == [
        {"Local area": [None, "Essex"]}, {"Expected revisit": [None, "Spring 2022"]}]
    assert moved[0].actor_label == "Migration: local areas"
