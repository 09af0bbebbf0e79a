import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accounts.roles import Role
from audit.models import AuditEntry
from tests.factories import PlanFactory, WorkstreamFactory

EXPECTED_ROLES = {
    "board": Role.BOARD_MEMBER,
    "officer": Role.OFFICER,
    "admin": Role.ADMINISTRATOR,
    "jc-lead": Role.WORKSTREAM_LEAD,
    "ehc-lead": Role.WORKSTREAM_LEAD,
}


@pytest.fixture
def essex_workstreams(db):
    plan = PlanFactory(slug="essex", local_area="Essex")
    return {code: WorkstreamFactory(plan=plan, code=code, name=code, order=order)
            for order, code in enumerate(["JC", "EHC", "PCF"])}


def test_refuses_with_debug_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("create_demo_accounts")
    assert not User.objects.exists()


def test_creates_one_account_per_role_with_leads_on_essex_workstreams(settings, essex_workstreams):
    settings.DEBUG = True
    call_command("create_demo_accounts")

    for username, role in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password(f"{username}-demo-only")
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="board").is_staff
    assert list(essex_workstreams["JC"].leads.values_list("username", flat=True)) == ["jc-lead"]
    assert list(essex_workstreams["EHC"].leads.values_list("username", flat=True)) == ["ehc-lead"]
    assert not essex_workstreams["PCF"].leads.exists()


def test_running_twice_keeps_the_same_accounts_and_their_passwords(settings, essex_workstreams,
                                                                   capsys):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    board = User.objects.get(username="board")
    board.set_password("changed by its user")
    board.save()

    call_command("create_demo_accounts")

    assert User.objects.count() == len(EXPECTED_ROLES)
    board.refresh_from_db()
    assert board.check_password("changed by its user")
    assert board.groups.count() == 1
    assert essex_workstreams["JC"].leads.count() == 1
    assert "kept board" in capsys.readouterr().out


def test_creates_accounts_without_workstreams_when_essex_is_not_loaded(settings, db):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    assert set(User.objects.values_list("username", flat=True)) == set(EXPECTED_ROLES)
    assert not User.objects.get(username="jc-lead").led_workstreams.exists()


def test_accounts_roles_and_leads_it_sets_name_the_command_in_the_audit_trail(
        settings, essex_workstreams):
    settings.DEBUG = True
    before = AuditEntry.objects.count()
    call_command("create_demo_accounts")

    entries = AuditEntry.objects.filter(sequence__gt=before)
    assert {entry.actor_label for entry in entries} == {"command: create_demo_accounts"}
    admin = User.objects.get(username="admin")
    created = entries.get(object_kind="account", object_id=str(admin.pk))
    assert created.change_type == "created"
    assert created.changes["Superuser status"] == [None, "Yes"]
    assert entries.filter(object_kind="user role", object_id=str(admin.pk),
                          changes={"Roles": [None, "Administrator"]}).exists()
    assert entries.get(object_kind="user role", workstream_code="JC").changes == {
        "Leads": [None, "J. Commissioning"]}
