"""The move from site-wide role groups to roles in a plan: today's accounts keep the powers
they had, now in the Essex plan, and each change is in the audit trail."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


def test_role_groups_become_roles_in_the_essex_plan(before_memberships):
    apps = before_memberships
    User, Group = apps.get_model("auth", "User"), apps.get_model("auth", "Group")
    plan = apps.get_model("plans", "Plan").objects.create(
        slug="essex", local_area="Essex", title="Essex WSOA")
    jc = apps.get_model("workstreams", "Workstream").objects.create(
        plan=plan, code="JC", name="Joint commissioning")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in
              ("Board member", "Workstream lead", "Officer", "Administrator")}
    board = User.objects.create(username="board", first_name="Bola", last_name="Member")
    board.groups.add(groups["Board member"])
    lead = User.objects.create(username="jc-lead")
    lead.groups.add(groups["Workstream lead"])
    jc.leads.add(lead)
    User.objects.create(username="nobody")

    call_command("migrate", verbosity=0)

    essex = Plan.objects.get(slug="essex")
    assert (essex.local_area.name, essex.local_area.ons_code) == ("Essex", "E10000012")
    held = {(m.user.username, m.role, tuple(w.code for w in m.workstreams.all()))
            for m in Membership.objects.filter(plan=essex)}
    assert held == {("board", "board", ()), ("jc-lead", "lead", ("JC",))}
    assert not Membership.objects.filter(user__username="nobody").exists()
    checked, first_break = verify_chain()
    assert first_break is None
    assert checked == 2
