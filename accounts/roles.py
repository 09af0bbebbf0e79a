"""Who may do what. Roles are Django groups; a workstream lead's reach is the workstreams
they are assigned to. Views call these helpers; templates only show what views allow."""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    BOARD_MEMBER = "Board member"
    WORKSTREAM_LEAD = "Workstream lead"
    OFFICER = "Officer"
    ADMINISTRATOR = "Administrator"


AnyUser = User | AnonymousUser


def role_names(user: AnyUser) -> frozenset[str]:
    """The user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_send_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR}
        user._send_role_names = cached
    return cached


def is_administrator(user: AnyUser) -> bool:
    return Role.ADMINISTRATOR in role_names(user)


def is_officer(user: AnyUser) -> bool:
    return Role.OFFICER in role_names(user)


def can_read_plan(user: AnyUser) -> bool:
    """Every role reads the whole plan; a signed-in account with no role reads nothing."""
    return bool(role_names(user) & set(Role))


def led_workstream_ids(user: AnyUser) -> frozenset[int]:
    if Role.WORKSTREAM_LEAD not in role_names(user):
        return frozenset()
    cached = getattr(user, "_send_led_workstream_ids", None)
    if cached is None:
        cached = frozenset(user.led_workstreams.values_list("pk", flat=True))
        user._send_led_workstream_ids = cached
    return cached


def can_edit_workstream(user: AnyUser, workstream_id: int) -> bool:
    """Edit actions and milestones: administrators, and leads of that workstream."""
    return is_administrator(user) or workstream_id in led_workstream_ids(user)


def can_enter_readings(user: AnyUser, workstream_id: int) -> bool:
    """Officers enter readings for any workstream; leads for their own."""
    return is_officer(user) or can_edit_workstream(user, workstream_id)


def can_import_and_export(user: AnyUser) -> bool:
    """The plan workbook import and the quarterly monitoring pack: officers and
    administrators. Downloading a table the user can already read (the actions list as CSV
    or Excel) is reading, open to every role."""
    return is_officer(user) or is_administrator(user)


def can_read_whole_audit_trail(user: AnyUser) -> bool:
    names = role_names(user)
    return bool(names & {Role.BOARD_MEMBER, Role.OFFICER, Role.ADMINISTRATOR})


def can_read_workstream_audit_trail(user: AnyUser, workstream_id: int) -> bool:
    """One workstream's trail (an action's history): whole-trail readers and its leads."""
    return can_read_whole_audit_trail(user) or workstream_id in led_workstream_ids(user)


def can_read_audit_trail(user: AnyUser) -> bool:
    """Leads read the audit trail of their own workstreams only."""
    return can_read_whole_audit_trail(user) or bool(led_workstream_ids(user))
