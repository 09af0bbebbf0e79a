from accounts.roles import (
    can_edit_workstream,
    can_enter_readings,
    can_import_and_export,
    can_read_audit_trail,
    can_read_plan,
    can_read_whole_audit_trail,
    led_workstream_ids,
)


def test_lead_edits_their_own_workstream_only(jc_lead, jc, ehc):
    assert can_edit_workstream(jc_lead, jc.pk)
    assert not can_edit_workstream(jc_lead, ehc.pk)
    assert can_enter_readings(jc_lead, jc.pk)
    assert not can_enter_readings(jc_lead, ehc.pk)
    assert led_workstream_ids(jc_lead) == {jc.pk}


def test_officer_enters_readings_for_any_workstream_but_edits_no_actions(officer, jc, ehc):
    assert can_enter_readings(officer, jc.pk)
    assert can_enter_readings(officer, ehc.pk)
    assert not can_edit_workstream(officer, jc.pk)
    assert can_import_and_export(officer)


def test_board_member_reads_everything_and_edits_nothing(board_member, jc):
    assert can_read_plan(board_member)
    assert can_read_whole_audit_trail(board_member)
    assert not can_edit_workstream(board_member, jc.pk)
    assert not can_enter_readings(board_member, jc.pk)
    assert not can_import_and_export(board_member)


def test_administrator_edits_every_workstream(administrator, jc, ehc):
    assert can_edit_workstream(administrator, jc.pk)
    assert can_edit_workstream(administrator, ehc.pk)
    assert can_import_and_export(administrator)


def test_lead_reads_the_audit_trail_of_their_workstream_only(jc_lead):
    assert can_read_audit_trail(jc_lead)
    assert not can_read_whole_audit_trail(jc_lead)


def test_account_with_no_role_reads_nothing(no_role_user, jc):
    assert not can_read_plan(no_role_user)
    assert not can_read_audit_trail(no_role_user)
    assert not can_enter_readings(no_role_user, jc.pk)
    assert not can_import_and_export(no_role_user)


def test_lead_assigned_to_a_workstream_without_the_lead_role_edits_nothing(no_role_user, jc):
    jc.leads.add(no_role_user)
    assert not can_edit_workstream(no_role_user, jc.pk)
