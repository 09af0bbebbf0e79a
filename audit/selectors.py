"""Reads of the audit trail, always limited to what the reader may see."""

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest

from plans.models import Membership, Plan
from plans.permissions import AnyUser, can_read_whole_audit_trail, led_workstream_ids
from workstreams.models import Workstream

from .models import AuditEntry

# Changes to an account belong to no plan: they are shown with the plans the account is in.
ACCOUNT_KINDS = ("account", "user role")


def entries_visible_to(user: AnyUser, plan: Plan) -> QuerySet[AuditEntry]:
    """The whole trail of the plan, with the account changes of its members, for board
    members, officers, advisers and administrators; a lead sees only the entries of the
    workstreams they lead. Nothing of another plan, nor of anyone outside this one."""
    if can_read_whole_audit_trail(user, plan):
        members = (Membership.objects.filter(plan=plan).annotate(
            account_id=Cast("user_id", CharField())).values("account_id"))
        return AuditEntry.objects.filter(
            Q(plan=plan) | Q(plan__isnull=True, object_kind__in=ACCOUNT_KINDS,
                             object_id__in=members))
    codes = Workstream.objects.filter(plan=plan, pk__in=led_workstream_ids(user, plan)).values(
        "code")
    return AuditEntry.objects.filter(plan=plan, workstream_code__in=codes)


def entries_for_action(action) -> QuerySet[AuditEntry]:
    """Everything recorded against one action and its milestones, progress updates and
    evidence, newest first; for the action page's history (one query)."""
    return AuditEntry.objects.filter(plan_id=action.plan_id, action_ref=action.ref).order_by(
        "-sequence")


def latest_entries_for_action(action, *, limit: int) -> tuple[list[AuditEntry], bool]:
    """The newest `limit` entries of the action's history, and whether there are older
    ones; one query whatever the length of the history."""
    entries = [*entries_for_action(action)[:limit + 1]]
    return entries[:limit], len(entries) > limit


def filter_query(request: HttpRequest) -> str:
    """The filters of the page as a query string, for the download links."""
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return params.urlencode()
