import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from plans.models import Membership
from tests.factories import PlanFactory, Role, WorkstreamFactory

# username -> (role in the plan, workstream codes led)
EXPECTED_ROLES = {
    "board": (Role.BOARD, []),
    "officer": (Role.OFFICER, []),
    "admin": (Role.ADMIN, []),
    "jc-lead": (Role.LEAD, ["JC"]),
    "ehc-lead": (Role.LEAD, ["EHC"]),
}


def plan_with_workstreams(slug: str, area: str):
    plan = PlanFactory(slug=slug, local_area__name=area)
    workstreams = {code: WorkstreamFactory(plan=plan, code=code, name=code, order=order)
                   for order, code in enumerate(["JC", "EHC", "PCF"])}
    return plan, workstreams


@pytest.fixture
def essex_workstreams(db):
    return plan_with_workstreams("essex", "Essex")[1]


def memberships_of(username: str) -> list[tuple[str, str, list[str]]]:
    """(plan slug, role, workstream codes led) of each of the account's memberships."""
    return [(m.plan.slug, m.role, sorted(m.workstreams.values_list("code", flat=True)))
            for m in Membership.objects.filter(user__username=username).order_by("plan", "role")]


def test_refuses_with_debug_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("create_demo_accounts")
    assert not User.objects.exists()
    assert not Membership.objects.exists()


def test_creates_one_account_per_role_with_memberships_of_essex(settings, essex_workstreams):
    settings.DEBUG = True
    call_command("create_demo_accounts")

    for username, (role, codes) in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert memberships_of(username) == [("essex", role, codes)], username
        assert user.check_password(f"{username}-demo-only")
        assert not user.groups.exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for username in ("board", "officer", "jc-lead", "ehc-lead"):
        user = User.objects.get(username=username)
        assert not user.is_staff and not user.is_superuser, username
    assert not essex_workstreams["PCF"].lead_memberships.exists()


def test_the_plan_named_gets_the_memberships_and_no_other(settings, essex_workstreams):
    settings.DEBUG = True
    demo_plan, demo_workstreams = plan_with_workstreams("demo-area", "Demo Area")

    call_command("create_demo_accounts", plan="demo-area")

    for username, (role, codes) in EXPECTED_ROLES.items():
        assert memberships_of(username) == [("demo-area", role, codes)], username
    assert not Membership.objects.filter(plan__slug="essex").exists()
    assert list(demo_workstreams["JC"].lead_memberships.values_list(
        "user__username", flat=True)) == ["jc-lead"]
    assert not essex_workstreams["JC"].lead_memberships.exists()


def test_running_twice_keeps_the_same_accounts_their_passwords_and_memberships(
        settings, essex_workstreams, capsys):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    board = User.objects.get(username="board")
    board.set_password("changed by its user")
    board.save()
    entries = AuditEntry.objects.filter(object_kind="membership").count()

    call_command("create_demo_accounts")

    assert User.objects.count() == len(EXPECTED_ROLES)
    board.refresh_from_db()
    assert board.check_password("changed by its user")
    assert Membership.objects.count() == len(EXPECTED_ROLES)
    for username, (role, codes) in EXPECTED_ROLES.items():
        assert memberships_of(username) == [("essex", role, codes)], username
    assert essex_workstreams["JC"].lead_memberships.count() == 1
    assert AuditEntry.objects.filter(object_kind="membership").count() == entries
    assert "kept board" in capsys.readouterr().out


def test_creates_accounts_without_memberships_when_essex_is_not_loaded(settings, db):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    assert set(User.objects.values_list("username", flat=True)) == set(EXPECTED_ROLES)
    assert not Membership.objects.exists()
    assert User.objects.get(username="admin").is_superuser


def test_accounts_and_memberships_it_sets_name_the_command_in_the_audit_trail(
        settings, essex_workstreams):
    settings.DEBUG = True
    before = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    essex = essex_workstreams["JC"].plan
    call_command("create_demo_accounts")

    entries = AuditEntry.objects.filter(sequence__gt=before)
    assert {entry.actor_label for entry in entries} == {"command: create_demo_accounts"}
    admin = User.objects.get(username="admin")
    created = entries.get(object_kind="account", object_id=str(admin.pk))
    assert created.change_type == "created"
    assert created.plan_id is None
    assert created.changes["Superuser status"] == [None, "Yes"]

    admin_membership = Membership.objects.get(user=admin, plan=essex)
    granted = entries.get(object_kind="membership", object_id=str(admin_membership.pk))
    assert granted.change_type == "created"
    assert granted.plan_id == essex.pk
    assert granted.changes["Role"] == [None, "Administrator"]
    assert granted.reason == "Demo account for trying the service locally"

    jc_membership = Membership.objects.get(user__username="jc-lead", plan=essex)
    led = entries.filter(object_kind="membership", object_id=str(jc_membership.pk),
                         changes__has_key="Workstreams").get()
    assert led.changes["Workstreams"] == [None, "JC: JC"]
    assert led.plan_id == essex.pk
    assert not entries.filter(object_kind="user role").exists()
