import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from actions.models import Rag
from audit.context import acting_as
from audit.models import AuditEntry
from audit.selectors import entries_visible_to
from audit.services import append_entry, person_label
from plans.services import membership_grant, membership_revoke
from tests.factories import ActionFactory, MilestoneFactory, Role, UserFactory, member


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


def test_granting_a_role_is_recorded_with_who_why_and_the_plan(plan, administrator):
    administrator.first_name, administrator.last_name = "Ada", "Min"
    administrator.save()
    person = UserFactory(username="newcomer", first_name="Ann", last_name="Lee")

    membership, changed = membership_grant(user=person, plan=plan, role=Role.OFFICER,
                                           reason="Joined the SEND team", actor=administrator)

    assert changed
    entry = last_entry()
    assert entry.object_kind == "membership"
    assert entry.object_id == str(membership.pk)
    assert entry.object_label == "Officer: A. Lee"
    assert entry.change_type == "created"
    assert entry.plan_id == plan.pk
    assert entry.changes["Role"] == [None, "Officer"]
    assert entry.changes["User"] == [None, "A. Lee"]
    assert entry.reason == "Joined the SEND team"
    assert entry.actor == administrator
    assert entry.actor_label == "A. Min"


def test_a_role_granted_by_a_command_carries_its_name(plan):
    person = UserFactory(username="newcomer", first_name="Ann", last_name="Lee")
    with acting_as("command: grant"):
        membership_grant(user=person, plan=plan, role=Role.OFFICER, reason="New officer")

    entry = last_entry()
    assert (entry.object_kind, entry.plan_id) == ("membership", plan.pk)
    assert entry.actor is None
    assert entry.actor_label == "command: grant"
    assert entry.reason == "New officer"


def test_revoking_a_role_is_recorded_with_who_why_and_the_plan(board_member, administrator,
                                                              plan):
    membership = board_member.memberships.get(plan=plan, role=Role.BOARD)

    assert membership_revoke(user=board_member, plan=plan, role=Role.BOARD,
                             reason="Left the board", actor=administrator)

    entry = last_entry()
    assert entry.object_kind == "membership"
    assert entry.object_id == str(membership.pk)
    assert entry.change_type == "deleted"
    assert entry.plan_id == plan.pk
    assert entry.changes["Role"] == ["Board member", None]
    assert entry.reason == "Left the board"
    assert entry.actor == administrator
    assert entry.change_lines == [f"Membership ‘Board member: {person_label(board_member)}’ "
                                  "removed"]


def test_making_someone_lead_of_a_workstream_is_recorded(plan, jc, administrator):
    person = UserFactory(username="lead-to-be", first_name="Kim", last_name="Ode")
    before = last_entry().sequence

    membership, _ = membership_grant(user=person, plan=plan, role=Role.LEAD,
                                     workstreams=[jc], reason="New head of commissioning",
                                     actor=administrator)

    entries = AuditEntry.objects.filter(sequence__gt=before, object_kind="membership",
                                        object_id=str(membership.pk))
    assert {entry.plan_id for entry in entries} == {plan.pk}
    assert {entry.reason for entry in entries} == {"New head of commissioning"}
    assert {entry.actor for entry in entries} == {administrator}
    led = entries.get(changes__has_key="Workstreams")
    assert led.changes == {"Workstreams": [None, "JC: Joint commissioning"]}
    assert entries.get(change_type="created").changes["Role"] == [None, "Workstream lead"]


def test_granting_a_role_already_held_records_nothing(board_member, plan):
    before = AuditEntry.objects.count()

    _, changed = membership_grant(user=board_member, plan=plan, role=Role.BOARD,
                                  reason="Again")

    assert not changed
    assert AuditEntry.objects.count() == before


def test_a_role_is_neither_granted_nor_revoked_without_a_reason(board_member, plan):
    person = UserFactory(username="newcomer")
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationError, match="Say why"):
        membership_grant(user=person, plan=plan, role=Role.OFFICER, reason="  ")
    with pytest.raises(ValidationError, match="Say why"):
        membership_revoke(user=board_member, plan=plan, role=Role.BOARD, reason="")

    assert AuditEntry.objects.count() == before
    assert not person.memberships.exists()
    assert board_member.memberships.filter(plan=plan, role=Role.BOARD).exists()


def _account_change(person, reason: str) -> AuditEntry:
    person.is_staff = not person.is_staff
    person._change_reason = reason
    person.save()
    entry = last_entry()
    assert (entry.object_kind, entry.object_id, entry.plan_id) == ("account", str(person.pk),
                                                                   None)
    return entry


def test_account_changes_show_in_a_plans_trail_only_for_its_members(
        plan, other_plan, board_member, officer, jc_lead):
    other_member = member(UserFactory(username="other-member"), other_plan, Role.BOARD)
    outsider = UserFactory(username="outsider")
    ours = _account_change(officer, "Manages the plan workbook")
    theirs = _account_change(other_member, "Chairs the other board")
    nobodys = _account_change(outsider, "Not in any plan")

    ours_visible = set(entries_visible_to(board_member, plan).values_list("pk", flat=True))
    theirs_visible = set(entries_visible_to(other_member, other_plan).values_list("pk",
                                                                                   flat=True))

    assert ours.pk in ours_visible
    assert theirs.pk not in ours_visible and nobodys.pk not in ours_visible
    assert theirs.pk in theirs_visible
    assert ours.pk not in theirs_visible and nobodys.pk not in theirs_visible
    # A lead reads their workstreams' entries, not accounts.
    assert ours.pk not in set(entries_visible_to(jc_lead, plan).values_list("pk", flat=True))


def test_a_members_role_changes_from_before_plans_show_only_in_that_plans_trail(
        plan, other_plan, board_member, officer):
    # Role-group entries recorded before roles were memberships: they belong to no plan.
    other_member = member(UserFactory(username="other-member"), other_plan, Role.BOARD)
    old = append_entry(recorded_at=timezone.now(), actor=None,
                       actor_label="command: create_demo_accounts", plan_id=None,
                       workstream_code="", action_ref="", object_kind="user role",
                       object_id=str(officer.pk), object_label="O. Officer",
                       change_type="changed", changes={"Roles": [None, "Officer"]}, reason="")

    assert entries_visible_to(board_member, plan).filter(pk=old.pk).exists()
    assert not entries_visible_to(other_member, other_plan).filter(pk=old.pk).exists()


def test_membership_changes_show_only_in_their_own_plans_trail(plan, other_plan, board_member):
    other_member = member(UserFactory(username="other-member"), other_plan, Role.BOARD)
    person = UserFactory(username="newcomer")
    membership_grant(user=person, plan=other_plan, role=Role.OFFICER, reason="Other area")
    granted = last_entry()

    assert granted.plan_id == other_plan.pk
    assert entries_visible_to(other_member, other_plan).filter(pk=granted.pk).exists()
    assert not entries_visible_to(board_member, plan).filter(pk=granted.pk).exists()
    # Nor the newcomer's account, who is no member of this plan.
    assert not entries_visible_to(board_member, plan).filter(
        object_kind="account", object_id=str(person.pk)).exists()


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
    assert capsys.readouterr().out.splitlines()[0] == (
        f"audit trail intact: {count} entries, head hash {last_entry().hash}")


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

    with pytest.raises(CommandError,
                       match=f"broken chain: at entry {target.sequence}: its content"):
        call_command("verify_audit")


def test_verify_audit_finds_an_entry_removed_from_the_database(action):
    action.rag = Rag.GREEN
    action.save()
    action.rag = Rag.RED
    action.save()
    removed = last_entry().sequence - 1
    _tamper("DELETE FROM audit_auditentry WHERE sequence = %s", [removed])

    with pytest.raises(CommandError,
                       match=f"broken chain: at entry {removed}: entry {removed} is missing"):
        call_command("verify_audit")


def test_loading_the_plan_on_an_empty_database_names_the_command(db):
    call_command("load_essex_plan", verbosity=0)

    entries = AuditEntry.objects.all()
    assert entries.filter(object_kind="action").exists()
    assert {entry.actor_label for entry in entries} == {"command: load_essex_plan"}
    assert not entries.filter(actor__isnull=False).exists()
