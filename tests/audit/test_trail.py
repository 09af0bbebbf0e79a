import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from accounts.roles import Role
from actions.models import Rag
from audit.context import acting_as
from audit.models import AuditEntry
from tests.factories import ActionFactory, MilestoneFactory, UserFactory


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-sequence").first()


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC8", ref_number=8, rag=Rag.AMBER)


def test_change_through_a_service_records_who_what_before_after_and_why(action, jc_lead):
    jc_lead.first_name, jc_lead.last_name = "Jo", "Smith"
    jc_lead.save()
    with transaction.atomic():
        action.rag = Rag.GREEN
        action._change_reason = "waiting list cleared"
        action._history_user = jc_lead
        action.save()

    entry = last_entry()
    assert entry.change_type == "changed"
    assert entry.object_kind == "action"
    assert entry.object_label == str(action)
    assert entry.changes == {"RAG": ["Amber", "Green"]}
    assert entry.reason == "waiting list cleared"
    assert entry.actor == jc_lead
    assert entry.actor_label == "J. Smith"
    assert (entry.workstream_code, entry.action_ref, entry.plan_id) == ("JC", "JC8",
                                                                       action.plan_id)
    assert entry.change_lines == ["RAG changed from Amber to Green"]


def test_changes_made_by_a_command_carry_its_name(action):
    with acting_as("command: load_essex_plan"), transaction.atomic():
        action.current_due_date = dt.date(2021, 6, 30)
        action._change_reason = "Loaded from the published plan"
        action.save()

    entry = last_entry()
    assert entry.actor is None
    assert entry.actor_label == "command: load_essex_plan"
    assert entry.changes == {"Current due date": ["31 Mar 2021", "30 Jun 2021"]}
    assert entry.reason == "Loaded from the published plan"


def test_creating_and_deleting_a_milestone_are_recorded_against_its_action(action):
    with acting_as("command: test"):
        milestone = MilestoneFactory(action=action, title="Clear the backlog",
                                     due_date=dt.date(2020, 11, 3))
        created = last_entry()
        milestone._change_reason = "Duplicate"
        milestone.delete()
        deleted = last_entry()

    assert created.change_type == "created"
    assert created.object_kind == "milestone"
    assert created.action_ref == "JC8"
    assert created.changes["Title"] == [None, "Clear the backlog"]
    assert created.changes["Due date"] == [None, "3 Nov 2020"]
    assert created.change_lines == ["Milestone ‘Clear the backlog’ added"]
    assert deleted.change_type == "deleted"
    assert deleted.reason == "Duplicate"
    assert deleted.changes["Title"] == ["Clear the backlog", None]
    assert deleted.change_lines == ["Milestone ‘Clear the backlog’ removed"]


def test_saving_without_a_change_adds_no_entry(action):
    before = AuditEntry.objects.count()
    action.save()
    assert AuditEntry.objects.count() == before


def test_adding_a_user_to_officer_is_recorded_as_a_role_change(db):
    person = UserFactory(username="newcomer", first_name="Ann", last_name="Lee")
    with acting_as("command: create_demo_accounts"):
        person.groups.add(Group.objects.get(name=Role.OFFICER))

    entry = last_entry()
    assert entry.object_kind == "user role"
    assert entry.object_label == "A. Lee"
    assert entry.changes == {"Roles": [None, "Officer"]}
    assert entry.actor_label == "command: create_demo_accounts"


def test_removing_a_role_from_the_group_side_is_recorded(board_member):
    Group.objects.get(name=Role.BOARD_MEMBER).user_set.remove(board_member)
    entry = last_entry()
    assert entry.object_kind == "user role"
    assert entry.object_id == str(board_member.pk)
    assert entry.changes == {"Roles": ["Board member", None]}


def test_making_someone_lead_of_a_workstream_is_recorded(jc):
    person = UserFactory(username="lead-to-be", first_name="Kim", last_name="Ode")
    jc._change_reason = "New head of commissioning"
    jc.leads.add(person)

    entry = last_entry()
    assert entry.object_kind == "user role"
    assert entry.workstream_code == "JC"
    assert entry.changes == {"Leads": [None, "K. Ode"]}
    assert entry.reason == "New head of commissioning"


def test_contributors_before_and_after_are_named(action):
    from tests.factories import OrganisationFactory

    nhs = OrganisationFactory(plan=action.plan, name="Mid Essex CCG")
    action.contributors.add(nhs)
    assert last_entry().changes == {"Contributors": [None, "Mid Essex CCG"]}


def test_entries_form_a_chain(action):
    for rag in (Rag.GREEN, Rag.RED, Rag.BLUE):
        action.rag = rag
        action.save()
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash


def test_verify_audit_reports_an_intact_trail(action, capsys):
    action.rag = Rag.GREEN
    action.save()
    call_command("verify_audit")
    count = AuditEntry.objects.count()
    assert capsys.readouterr().out.strip() == f"audit trail intact: {count} entries"


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_audit_finds_an_entry_altered_in_the_database(action):
    action.rag = Rag.GREEN
    action._change_reason = "waiting list cleared"
    action.save()
    target = last_entry()
    _tamper("UPDATE audit_auditentry SET reason = %s WHERE id = %s",
            ["nothing to see", target.pk])

    with pytest.raises(CommandError, match=f"broken at entry {target.sequence}: its content"):
        call_command("verify_audit")


def test_verify_audit_finds_an_entry_removed_from_the_database(action):
    action.rag = Rag.GREEN
    action.save()
    action.rag = Rag.RED
    action.save()
    removed = last_entry().sequence - 1
    _tamper("DELETE FROM audit_auditentry WHERE sequence = %s", [removed])

    with pytest.raises(CommandError,
                       match=f"broken at entry {removed}: entry {removed} is missing"):
        call_command("verify_audit")


def test_loading_the_plan_on_an_empty_database_names_the_command(db):
    call_command("load_essex_plan", verbosity=0)

    entries = AuditEntry.objects.all()
    assert entries.filter(object_kind="action").exists()
    assert {entry.actor_label for entry in entries} == {"command: load_essex_plan"}
    assert not entries.filter(actor__isnull=False).exists()
