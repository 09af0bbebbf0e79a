"""Reads of the audit trail, always limited to what the reader may see."""

import datetime as dt
import functools
from collections.abc import Iterable, Iterator

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.http import HttpRequest

from plans.models import Membership, Plan
from plans.permissions import AnyUser, can_read_whole_audit_trail, led_workstream_ids
from send_wsoa.precompiled import precompiled
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


# One change, one row. A single change by a person can write several entries: a progress
# update changes its action's RAG and adds the update (the seed sets an action's RAG from
# its latest update the same way, just after it); a record created and then given its
# many-to-many links (an action's contributors, a lead's workstreams) is a created entry and
# a changed one. Every entry stays in the chain as it was written and sealed; the trail
# folds such a run into one row, shown under the run's last entry, whose hash seals the
# whole run (each entry's hash covers the one before it). Grouping is decided when the trail
# is read, from what the entries hold, so entries written before this rule are grouped too
# and nothing stored changes. Two entries are one change when they are consecutive in the
# chain, by the same actor with the same reason, written within a few seconds, and either
# concern the same record or are an action's RAG change and the progress update behind it.
# Only entries the reader's filters keep are folded together: an entry whose partner is
# filtered out is shown on its own.
ONE_CHANGE_WITHIN = dt.timedelta(seconds=5)


def _folds_into_next(entries: QuerySet[AuditEntry]) -> Exists:
    """Whether the next entry `entries` holds is part of the same change as this one. One
    subquery, found by the next sequence number, so the cost is one index look-up a row."""
    def this(field: str, value: str) -> Exact:
        return Exact(OuterRef(field), value)

    of_the_action = Q(plan_id=OuterRef("plan_id"), action_ref=OuterRef("action_ref"))
    same_record = (Q(object_kind=OuterRef("object_kind"), object_id=OuterRef("object_id"))
                   & ~Q(change_type="created") & ~Q(this("change_type", "deleted")))
    update_after_its_rag = (Q(this("object_kind", "action"), this("change_type", "changed"))
                            & Q(object_kind="progress update", change_type="created")
                            & of_the_action)
    rag_after_its_update = (Q(this("object_kind", "progress update"),
                              this("change_type", "created"))
                            & Q(object_kind="action", change_type="changed") & of_the_action)
    return Exists(entries.filter(
        same_record | update_after_its_rag | rag_after_its_update,
        sequence=OuterRef("sequence") + 1, actor_label=OuterRef("actor_label"),
        reason=OuterRef("reason"), recorded_at__lte=OuterRef("recorded_at") + ONE_CHANGE_WITHIN))


def one_row_per_change(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The entries that end a change (see above): one per change, for paging and counting.
    Give the page's rows their folded entries with `with_folded`."""
    return entries.filter(~_folds_into_next(entries))


def with_folded(rows: Iterable[AuditEntry], entries: QuerySet[AuditEntry]) -> list[AuditEntry]:
    """`rows` (from one_row_per_change(entries)), each given `folded`: the entries of the same
    change before it, oldest first. One query per entry a change holds beyond its first."""
    rows = [*rows]
    folds = _folds_into_next(entries)
    for row in rows:
        row.folded = []
    waiting = {row.sequence - 1: row for row in rows}
    while waiting:
        found = {entry.sequence: entry for entry in
                 entries.filter(folds, sequence__in=list(waiting)).order_by()}
        for sequence, entry in found.items():
            waiting[sequence].folded.insert(0, entry)
        waiting = {sequence - 1: waiting[sequence] for sequence in found}
    return rows


def changes_in_order(entries: QuerySet[AuditEntry]) -> Iterator[AuditEntry]:
    """Every change once, oldest first, each with its folded entries (for the CSV); reads
    the trail in chunks."""
    folded: list[AuditEntry] = []
    marked = entries.annotate(folds=_folds_into_next(entries)).order_by("sequence")
    for entry in marked.iterator(chunk_size=2000):
        if entry.folds:
            folded.append(entry)
            continue
        entry.folded, folded = folded, []
        yield entry


def _of_action(action_pk: int) -> Q:
    """The entries of one action and of every milestone, progress update and evidence that
    ever belonged to it, found by primary key (the history tables keep each record's action
    even after it is removed), never by its ref: a ref can be renamed, and a later action
    could be given an old one. Primary keys are never reused (PostgreSQL's sequences,
    SQLite's AUTOINCREMENT)."""
    from actions.models import Evidence, Milestone, ProgressUpdate

    found = Q(object_kind="action", object_id=str(action_pk))
    for kind, model in (("milestone", Milestone), ("progress update", ProgressUpdate),
                        ("evidence", Evidence)):
        ids = model.history.model.objects.filter(action_id=action_pk).annotate(
            record_id=Cast("id", CharField())).values("record_id")
        found |= Q(object_kind=kind, object_id__in=ids)
    return found


def entries_for_action(action) -> QuerySet[AuditEntry]:
    """Everything recorded against one action and its milestones, progress updates and
    evidence, whatever its ref was at the time, newest first; for the action page's history
    (one query)."""
    return _entries_of_action(action.pk, action.plan_id)


def _entries_of_action(action_pk: int, plan_pk: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(_of_action(action_pk), plan_id=plan_pk).order_by(
        "-sequence")


def entries_for_action_ref(entries: QuerySet[AuditEntry], plan: Plan,
                           ref: str) -> QuerySet[AuditEntry]:
    """`entries` of the action that holds `ref` now, under whichever refs it had; of a ref
    no action holds any longer (a removed action), the entries recorded under it."""
    from actions.models import Action

    action = Action.objects.filter(plan=plan, ref__iexact=ref.strip()).first()
    if action is None:
        return entries.filter(action_ref__iexact=ref.strip())
    return entries.filter(_of_action(action.pk), plan_id=action.plan_id)


def latest_entries_for_action(action, *, limit: int) -> tuple[list[AuditEntry], bool]:
    """The newest `limit` changes of the action's history, each change once with the entries
    folded into it, and whether there are older ones. The newest entries are read in one
    query compiled once (it is as costly to build as the rest of the page), each marked
    with whether it folds into the one after it; only a history whose newest changes hold
    more entries than that read is paged the longer way."""
    fetch = (limit + 1) * ENTRIES_READ_PER_CHANGE
    newest = _newest_entries_marked(fetch)(action.pk, action.plan_id)
    rows: list[AuditEntry] = []
    for entry in newest:
        if entry.folds and rows:
            rows[-1].folded.insert(0, entry)
            continue
        if len(rows) == limit:
            return rows, True
        entry.folded = []
        rows.append(entry)
    if len(newest) < fetch:
        return rows, False
    entries = entries_for_action(action)
    rows = [*one_row_per_change(entries)[:limit + 1]]
    return with_folded(rows[:limit], entries), len(rows) > limit


# Most changes are one or two entries (a progress update and its RAG); four per change
# covers the action page's latest changes in one read almost always.
ENTRIES_READ_PER_CHANGE = 4


@functools.cache
def _newest_entries_marked(count: int) -> precompiled:
    """The newest `count` entries of an action, newest first, each with `folds`."""
    def build(action_pk: int, plan_pk: int) -> QuerySet[AuditEntry]:
        entries = _entries_of_action(action_pk, plan_pk)
        return entries.annotate(folds=_folds_into_next(entries)).order_by("-sequence")[:count]
    return precompiled(build)


def filter_query(request: HttpRequest) -> str:
    """The filters of the page as a query string, for the download links."""
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return params.urlencode()
