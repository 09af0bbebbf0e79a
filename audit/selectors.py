"""Reads of the audit trail, always limited to what the reader may see."""

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from accounts.roles import AnyUser, can_read_whole_audit_trail, led_workstream_ids
from workstreams.models import Plan, Workstream

from .models import AuditEntry


def entries_visible_to(user: AnyUser, plan: Plan) -> QuerySet[AuditEntry]:
    """The whole trail of the plan (and account role changes) for board members, officers
    and administrators; a lead sees only the entries of the workstreams they lead."""
    if can_read_whole_audit_trail(user):
        return AuditEntry.objects.filter(Q(plan=plan) | Q(plan__isnull=True))
    codes = Workstream.objects.filter(plan=plan, pk__in=led_workstream_ids(user)).values("code")
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
