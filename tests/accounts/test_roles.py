"""Who may do what in a plan (plans/permissions.py): each role's rights hold in the plan it
was given in and nowhere else; site administrators hold every right in every plan; a closed
plan is read-only for everyone."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from plans.models import Plan
from plans.permissions import (
    can_edit_workstream,
    can_enter_readings,
    can_import_and_export,
    can_read_audit_trail,
    can_read_plan,
    can_read_whole_audit_trail,
    can_read_workstream_audit_trail,
    is_administrator,
    led_workstream_ids,
    rights,
)
from tests.factories import MembershipFactory, Role, UserFactory, member

# Every persona of `plan`; all but `administrator` (also a site administrator) hold rights
# through their membership alone.
MEMBERS = ["board_member", "officer", "plan_administrator", "adviser", "jc_lead", "ehc_lead"]
PERSONAS = [*MEMBERS, "administrator"]


def writes(user, plan, *workstreams) -> dict:
    """Every right that changes the plan, for each workstream given."""
    return {
        "administrator": is_administrator(user, plan),
        "import_and_export": can_import_and_export(user, plan),
        **{f"edit {w.code}": can_edit_workstream(user, plan, w.pk) for w in workstreams},
        **{f"readings {w.code}": can_enter_readings(user, plan, w.pk) for w in workstreams},
    }


def reads(user, plan, *workstreams) -> dict:
    return {
        "plan": can_read_plan(user, plan),
        "audit trail": can_read_audit_trail(user, plan),
        "whole audit trail": can_read_whole_audit_trail(user, plan),
        **{f"trail {w.code}": can_read_workstream_audit_trail(user, plan, w.pk)
           for w in workstreams},
    }


@pytest.fixture
def closed_plan(plan):
    plan.status = Plan.Status.CLOSED
    plan.save()
    return plan


def test_lead_edits_their_own_workstream_only(jc_lead, plan, jc, ehc):
    assert can_edit_workstream(jc_lead, plan, jc.pk)
    assert not can_edit_workstream(jc_lead, plan, ehc.pk)
    assert can_enter_readings(jc_lead, plan, jc.pk)
    assert not can_enter_readings(jc_lead, plan, ehc.pk)
    assert led_workstream_ids(jc_lead, plan) == {jc.pk}
    assert not is_administrator(jc_lead, plan)
    assert not can_import_and_export(jc_lead, plan)


def test_lead_reads_the_whole_plan_but_the_audit_trail_of_their_workstream_only(
        jc_lead, plan, jc, ehc):
    assert can_read_plan(jc_lead, plan)
    assert can_read_audit_trail(jc_lead, plan)
    assert can_read_workstream_audit_trail(jc_lead, plan, jc.pk)
    assert not can_read_workstream_audit_trail(jc_lead, plan, ehc.pk)
    assert not can_read_whole_audit_trail(jc_lead, plan)


def test_lead_of_two_workstreams_edits_both(plan, jc, ehc):
    lead = member(UserFactory(username="two-hats"), plan, Role.LEAD, jc, ehc)
    assert led_workstream_ids(lead, plan) == {jc.pk, ehc.pk}
    assert can_edit_workstream(lead, plan, jc.pk) and can_edit_workstream(lead, plan, ehc.pk)


def test_officer_enters_readings_for_any_workstream_but_edits_no_actions(officer, plan, jc,
                                                                         ehc):
    assert can_enter_readings(officer, plan, jc.pk)
    assert can_enter_readings(officer, plan, ehc.pk)
    assert not can_edit_workstream(officer, plan, jc.pk)
    assert not can_edit_workstream(officer, plan, ehc.pk)
    assert can_import_and_export(officer, plan)
    assert not is_administrator(officer, plan)
    assert can_read_whole_audit_trail(officer, plan)


def test_board_member_reads_everything_and_edits_nothing(board_member, plan, jc, ehc):
    assert all(reads(board_member, plan, jc, ehc).values())
    assert not any(writes(board_member, plan, jc, ehc).values())


def test_adviser_reads_the_whole_plan_and_audit_trail_and_changes_nothing(adviser, plan, jc,
                                                                          ehc):
    assert all(reads(adviser, plan, jc, ehc).values())
    assert not any(writes(adviser, plan, jc, ehc).values())
    assert led_workstream_ids(adviser, plan) == frozenset()


def test_administrator_of_the_plan_edits_every_workstream(plan_administrator, plan, jc, ehc):
    assert is_administrator(plan_administrator, plan)
    assert can_edit_workstream(plan_administrator, plan, jc.pk)
    assert can_edit_workstream(plan_administrator, plan, ehc.pk)
    assert can_enter_readings(plan_administrator, plan, ehc.pk)
    assert can_import_and_export(plan_administrator, plan)
    assert all(reads(plan_administrator, plan, jc, ehc).values())


@pytest.mark.parametrize("persona", MEMBERS)
def test_a_role_in_one_plan_gives_nothing_in_another(request, persona, plan, jc, other_plan,
                                                     other_jc):
    user = request.getfixturevalue(persona)

    assert not any(reads(user, other_plan, other_jc).values())
    assert not any(writes(user, other_plan, other_jc).values())
    assert led_workstream_ids(user, other_plan) == frozenset()
    # Not even through a workstream of their own plan named against the other plan.
    assert not can_edit_workstream(user, other_plan, jc.pk)
    assert not can_enter_readings(user, other_plan, jc.pk)


def test_superuser_holds_every_right_in_every_plan(plan, jc, ehc, other_plan, other_jc):
    site_admin = UserFactory(username="site-admin", is_superuser=True, is_staff=True)
    for each_plan, workstreams in ((plan, (jc, ehc)), (other_plan, (other_jc,))):
        assert all(reads(site_admin, each_plan, *workstreams).values()), each_plan
        assert all(writes(site_admin, each_plan, *workstreams).values()), each_plan


def test_account_with_no_role_reads_nothing(no_role_user, plan, jc):
    assert not any(reads(no_role_user, plan, jc).values())
    assert not any(writes(no_role_user, plan, jc).values())


def test_signed_out_visitor_reads_nothing(plan, jc):
    visitor = AnonymousUser()
    assert not any(reads(visitor, plan, jc).values())
    assert not any(writes(visitor, plan, jc).values())


def test_deactivated_account_keeps_its_membership_but_reads_nothing(board_member, plan, jc):
    board_member.is_active = False
    board_member.save()
    assert board_member.memberships.filter(plan=plan).exists()
    assert not any(reads(board_member, plan, jc).values())


def test_lead_membership_in_another_plan_edits_nothing_in_this_one(plan, jc, other_plan,
                                                                   other_jc):
    # Leading JC of the other area does not make anyone a lead of this area's JC.
    lead = member(UserFactory(username="other-lead"), other_plan, Role.LEAD, other_jc)
    assert can_edit_workstream(lead, other_plan, other_jc.pk)
    assert not can_read_plan(lead, plan)
    assert not can_edit_workstream(lead, plan, jc.pk)
    assert not can_edit_workstream(lead, plan, other_jc.pk)
    assert led_workstream_ids(lead, plan) == frozenset()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_closed_plan_is_read_only_for_everyone(request, persona, closed_plan, jc, ehc):
    user = request.getfixturevalue(persona)

    assert can_read_plan(user, closed_plan)
    for workstream in (jc, ehc):
        assert not can_edit_workstream(user, closed_plan, workstream.pk), workstream.code
        assert not can_enter_readings(user, closed_plan, workstream.pk), workstream.code


def test_a_closed_plan_keeps_its_audit_trail_readable(closed_plan, board_member, adviser,
                                                      jc_lead, jc, ehc):
    assert can_read_whole_audit_trail(board_member, closed_plan)
    assert can_read_whole_audit_trail(adviser, closed_plan)
    assert can_read_workstream_audit_trail(jc_lead, closed_plan, jc.pk)
    assert not can_read_workstream_audit_trail(jc_lead, closed_plan, ehc.pk)


def test_people_with_the_same_rights_share_a_rights_key_and_others_do_not(
        plan, jc, ehc, jc_lead, ehc_lead, board_member, officer):
    # The page cache keys bodies by this: one key per set of rights, never one per person.
    other_board_member = member(UserFactory(username="board-2"), plan, Role.BOARD)
    other_jc_lead = member(UserFactory(username="jc-lead-2"), plan, Role.LEAD, jc)

    assert rights(board_member, plan).key == rights(other_board_member, plan).key
    assert rights(jc_lead, plan).key == rights(other_jc_lead, plan).key
    keys = {rights(user, plan).key for user in (jc_lead, ehc_lead, board_member, officer)}
    assert len(keys) == 4


def test_rights_follow_a_role_given_after_they_were_read(plan, jc, no_role_user):
    assert not can_read_plan(no_role_user, plan)
    member(no_role_user, plan, Role.LEAD, jc)

    # The next request reads the user afresh, and with them their rights.
    fresh = User.objects.get(pk=no_role_user.pk)
    assert can_edit_workstream(fresh, plan, jc.pk)


def test_workstreams_on_a_membership_other_than_a_leads_give_no_edit_rights(
        plan, jc, no_role_user):
    # The services refuse such a membership; one written directly still leads nothing.
    MembershipFactory(user=no_role_user, plan=plan, role=Role.BOARD, workstreams=[jc])
    assert can_read_plan(no_role_user, plan)
    assert led_workstream_ids(no_role_user, plan) == frozenset()
    assert not can_edit_workstream(no_role_user, plan, jc.pk)
    assert not can_enter_readings(no_role_user, plan, jc.pk)
