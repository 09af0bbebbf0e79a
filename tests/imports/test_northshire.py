"""The fictional Northshire plan: a complete plan in a council's own layout, loaded through
the importer with history up to the current quarter, saying on every page that it is
fictional, with the demo accounts holding the same roles as in Essex."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, ProgressUpdate
from audit.models import AuditEntry
from imports.northshire import WORKBOOK, write_workbook
from plans.models import Membership, Plan
from plans.services import quarter_bounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def northshire():
    call_command("load_northshire_demo", verbosity=0)
    return Plan.objects.get(slug="northshire")


def _values(path):
    book = load_workbook(path)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets}


def test_the_committed_workbook_is_what_the_script_writes(tmp_path):
    assert _values(write_workbook(tmp_path / "northshire.xlsx")) == _values(WORKBOOK)


def test_every_action_is_complete_with_history_up_to_this_quarter_through_the_importer(
        northshire):
    # One load for several checks: loading takes seconds.
    actions = Action.objects.filter(plan=northshire)
    assert actions.count() == 21
    for action in actions:
        assert action.owner and action.lead_agency and action.delivery_team, action.ref
        assert action.action_lead_name and action.action_lead_role, action.ref
        assert action.sponsoring_director_name and action.start_date, action.ref
        assert action.current_due_date and action.rag and action.milestones.count() == 2
    assert AuditEntry.objects.filter(actor_label="Import of northshire_plan.xlsx").exists()
    periods = set(ProgressUpdate.objects.filter(action__plan=northshire)
                  .values_list("period__label", flat=True))
    assert quarter_bounds(timezone.localdate())[0] in periods
    assert len(periods) >= 4
    # Running it again changes nothing.
    updates = ProgressUpdate.objects.count()
    call_command("load_northshire_demo", verbosity=0)
    assert ProgressUpdate.objects.count() == updates


def test_every_page_says_it_is_fictional_to_demo_accounts_holding_their_essex_roles(
        client, northshire, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", "--plan", "northshire", verbosity=0)
    held = {(m.user.username, m.role, tuple(m.workstreams.values_list("code", flat=True)))
            for m in Membership.objects.filter(plan=northshire)}
    assert held == {("board", "board", ()), ("officer", "officer", ()), ("admin", "admin", ()),
                    ("jc-lead", "lead", ("JC",)), ("ehc-lead", "lead", ("EHC",))}
    client.login(username="board", password="board-demo-only")
    for name, kwargs in (("dashboard:home", {}), ("actions:list", {}),
                         ("actions:detail", {"ref": "JC1"}), ("workstreams:plan", {}),
                         ("measures:list", {}), ("dashboard:board_pack", {})):
        page = client.get(reverse(name, kwargs={"plan_slug": "northshire", **kwargs}))
        assert "Northshire is a fictional area" in page.content.decode(), name
