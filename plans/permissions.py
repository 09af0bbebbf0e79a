"""Who may do what in a plan. A person's rights come from their memberships of that plan
alone: a board member of one area reads nothing of another. Site administrators
(superusers) hold every right in every plan. A closed plan is read-only for everyone.

Views call these helpers, each taking the plan; templates only show what views allow."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from send_wsoa.precompiled import precompiled

from .models import Membership, Plan

Role = Membership.Role
AnyUser = User | AnonymousUser
# Roles that read the plan's whole audit trail; a lead reads their workstreams' entries.
WHOLE_TRAIL_ROLES = frozenset({Role.BOARD, Role.OFFICER, Role.ADMIN, Role.ADVISER})


@dataclass(frozen=True)
class Rights:
    roles: frozenset[str]
    led_workstream_ids: frozenset[int]
    is_site_administrator: bool
    plan_is_closed: bool

    @property
    def key(self) -> str:
        """What a cached page may differ by between two people of the same plan: two
        people with the same rights see the same page."""
        if self.is_site_administrator:
            return "site-admin"
        led = ",".join(str(pk) for pk in sorted(self.led_workstream_ids))
        return f"{'+'.join(sorted(self.roles))}:{led}"


NO_RIGHTS = Rights(frozenset(), frozenset(), False, False)


def rights(user: AnyUser, plan: Plan) -> Rights:
    """The user's rights in the plan, read in one query once per request and plan."""
    if not user.is_authenticated or not user.is_active:
        return NO_RIGHTS
    cache = user.__dict__.setdefault("_plan_rights", {})
    if plan.pk not in cache:
        rows = _roles_and_led_workstreams(user.pk, plan.pk)
        roles = frozenset(role for role, _ in rows)
        led = frozenset(pk for role, pk in rows if role == Role.LEAD and pk is not None)
        if user.is_superuser:
            roles |= {Role.ADMIN}
        cache[plan.pk] = Rights(roles, led, user.is_superuser, plan.is_closed)
    return cache[plan.pk]


@precompiled
def _roles_and_led_workstreams(user_pk: int, plan_pk: int):
    """Every page's second query, so compiled once."""
    return (Membership.objects.filter(user_id=user_pk, plan_id=plan_pk).order_by()
            .values_list("role", "workstreams"))


def can_read_plan(user: AnyUser, plan: Plan) -> bool:
    """Every role reads the whole plan; without a membership the plan is not there."""
    return bool(rights(user, plan).roles)


def is_administrator(user: AnyUser, plan: Plan) -> bool:
    return Role.ADMIN in rights(user, plan).roles


def led_workstream_ids(user: AnyUser, plan: Plan) -> frozenset[int]:
    return rights(user, plan).led_workstream_ids


def can_edit_workstream(user: AnyUser, plan: Plan, workstream_id: int) -> bool:
    """Edit actions and milestones: administrators, and leads of that workstream, while
    the plan is open."""
    held = rights(user, plan)
    if held.plan_is_closed:
        return False
    return Role.ADMIN in held.roles or workstream_id in held.led_workstream_ids


def has_own_actions(user: AnyUser, plan: Plan) -> bool:
    """Whether the user has a worklist in the plan ("Your actions"): a lead of one of its
    workstreams while the plan is open. Administrators update everything and read the
    whole plan's lists on the dashboard instead."""
    held = rights(user, plan)
    return bool(held.led_workstream_ids) and not held.plan_is_closed


def can_schedule_board_meetings(user: AnyUser, plan: Plan) -> bool:
    """Officers and administrators put the board's meetings in the plan, while it is open."""
    held = rights(user, plan)
    return not held.plan_is_closed and bool(held.roles & {Role.OFFICER, Role.ADMIN})


def can_read_reminders(user: AnyUser, plan: Plan) -> bool:
    """The record of reminders sent (who was chased, when): officers and administrators."""
    return bool(rights(user, plan).roles & {Role.OFFICER, Role.ADMIN})


def can_enter_readings(user: AnyUser, plan: Plan, workstream_id: int) -> bool:
    """Officers enter readings for any workstream; leads for their own."""
    held = rights(user, plan)
    if held.plan_is_closed:
        return False
    return Role.OFFICER in held.roles or can_edit_workstream(user, plan, workstream_id)


def can_import_and_export(user: AnyUser, plan: Plan) -> bool:
    """The plan workbook import and the quarterly monitoring pack: officers and
    administrators. Downloading a table the user can already read (the actions list as CSV
    or Excel) is reading, open to every role."""
    return bool(rights(user, plan).roles & {Role.OFFICER, Role.ADMIN})


def can_import_returns(user: AnyUser, plan: Plan) -> bool:
    """Bringing a returns workbook into the plan is a write: officers and administrators,
    while the plan is open."""
    return not rights(user, plan).plan_is_closed and can_import_and_export(user, plan)


def can_import_new_plan(user: AnyUser) -> bool:
    """The one right no plan can give, as the plan does not exist yet: site
    administrators, who then hold every role in it, import a new plan."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def can_read_whole_audit_trail(user: AnyUser, plan: Plan) -> bool:
    return bool(rights(user, plan).roles & WHOLE_TRAIL_ROLES)


def can_read_workstream_audit_trail(user: AnyUser, plan: Plan, workstream_id: int) -> bool:
    """One workstream's trail (an action's history): whole-trail readers and its leads."""
    return (can_read_whole_audit_trail(user, plan)
            or workstream_id in led_workstream_ids(user, plan))


def can_read_audit_trail(user: AnyUser, plan: Plan) -> bool:
    """Leads read the audit trail of their own workstreams only."""
    return can_read_whole_audit_trail(user, plan) or bool(led_workstream_ids(user, plan))


def can_close_periods(user: AnyUser, plan: Plan) -> bool:
    """Close a reporting period, and submit and record review meetings: officers and
    administrators, while the plan is open."""
    held = rights(user, plan)
    return not held.plan_is_closed and bool(held.roles & {Role.OFFICER, Role.ADMIN})


def can_reopen_periods(user: AnyUser, plan: Plan) -> bool:
    """Reopening changes what a pack already sent may say: administrators only."""
    held = rights(user, plan)
    return not held.plan_is_closed and Role.ADMIN in held.roles


def can_preview_public_page(user: AnyUser, plan: Plan) -> bool:
    """See the plan's public page as it would be with its drafts published: board members,
    officers and administrators."""
    return bool(rights(user, plan).roles & {Role.BOARD, Role.OFFICER, Role.ADMIN})


def can_publish(user: AnyUser, plan: Plan) -> bool:
    """Write, publish and withdraw what the public page says: officers and administrators,
    while the plan is open."""
    held = rights(user, plan)
    return not held.plan_is_closed and bool(held.roles & {Role.OFFICER, Role.ADMIN})
