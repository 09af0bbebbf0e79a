"""Reads for the board's dashboard: where the plan stands, what changed since the last board
meeting and what needs the board's attention. Each read is a fixed number of queries."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import RAG_SEVERITY, Action, Milestone, ProgressUpdate, Rag
from measures.selectors import measures_with_status
from measures.status import MeasureStatus
from plans.models import BoardMeeting, Plan, ReportingPeriod
from plans.selectors import current_period
from workstreams.models import Workstream

NOT_REPORTED = ""


@dataclass
class WorkstreamRagCounts:
    workstream: Workstream
    blue: int
    green: int
    amber: int
    red: int
    not_reported: int

    @property
    def total(self) -> int:
        return self.blue + self.green + self.amber + self.red + self.not_reported

    @property
    def percent_complete(self) -> int:
        """Blue actions as a share of all the workstream's actions, to the nearest whole."""
        return round(100 * self.blue / self.total) if self.total else 0

    def count(self, rag: str) -> int:
        return getattr(self, rag) if rag else self.not_reported


def _rag_count(rag: str) -> Count:
    return Count("actions", filter=Q(actions__rag=rag))


def workstream_rag_counts(plan: Plan) -> list[WorkstreamRagCounts]:
    """Blue, Green, Amber, Red and not reported actions per workstream, in plan order."""
    workstreams = Workstream.objects.filter(plan=plan).order_by("order", "code").annotate(
        n_blue=_rag_count(Rag.BLUE), n_green=_rag_count(Rag.GREEN),
        n_amber=_rag_count(Rag.AMBER), n_red=_rag_count(Rag.RED),
        n_not_reported=_rag_count(NOT_REPORTED))
    return [WorkstreamRagCounts(workstream=ws, blue=ws.n_blue, green=ws.n_green,
                                amber=ws.n_amber, red=ws.n_red,
                                not_reported=ws.n_not_reported)
            for ws in workstreams]


def plan_totals(rows: Sequence[WorkstreamRagCounts]) -> WorkstreamRagCounts:
    """The whole plan's counts, added up from the per-workstream rows."""
    return WorkstreamRagCounts(
        workstream=None, blue=sum(r.blue for r in rows), green=sum(r.green for r in rows),
        amber=sum(r.amber for r in rows), red=sum(r.red for r in rows),
        not_reported=sum(r.not_reported for r in rows))


def latest_board_meeting(plan: Plan, today: dt.date) -> BoardMeeting | None:
    """The previous board meeting: the latest one held before today."""
    return BoardMeeting.objects.filter(plan=plan, date__lt=today).order_by("-date").first()


def _rag_as_of(moment: dt.date) -> Subquery:
    """The RAG of the action's latest progress update dated on or before `moment`."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk"), date__lte=moment).order_by(
        "-date", "-created_at", "-pk").values("rag")[:1]
    return Coalesce(Subquery(latest), Value(NOT_REPORTED))


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the plan's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


@dataclass
class Change:
    action_id: int
    rag_then: str
    rag_now: str
    existed_then: bool
    due_then: dt.date | None
    due_now: dt.date | None
    action: Action | None = None

    @property
    def rag_changed(self) -> bool:
        return self.rag_then != self.rag_now

    @property
    def due_date_moved(self) -> bool:
        """Only for actions in the plan at the meeting; a new action has moved nothing."""
        return self.existed_then and self.due_then != self.due_now


@dataclass
class ChangesSince:
    """Each list holds its first `limit` changes (all without a limit); `counts` the
    full number in each list."""

    moment: dt.date
    improved: list[Change] = field(default_factory=list)
    worsened: list[Change] = field(default_factory=list)
    completed: list[Change] = field(default_factory=list)
    first_reported: list[Change] = field(default_factory=list)
    due_dates_moved: list[Change] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def lists(self) -> list[tuple[str, list[Change], str, int]]:
        """Heading, changes, kind and full count of each list, worst news first."""
        return [("RAG worsened", self.worsened, "worsened", self.counts.get("worsened", 0)),
                ("RAG improved", self.improved, "improved", self.counts.get("improved", 0)),
                ("Completed (now Blue)", self.completed, "completed",
                 self.counts.get("completed", 0)),
                ("RAG reported for the first time", self.first_reported, "first_reported",
                 self.counts.get("first_reported", 0)),
                ("Due date moved", self.due_dates_moved, "due",
                 self.counts.get("due_dates_moved", 0))]

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())


def change_kinds(change: Change) -> list[str]:
    """The lists a change belongs in; a completed action is listed as completed only."""
    kinds = []
    if change.rag_changed:
        if change.rag_now == Rag.BLUE:
            kinds.append("completed")
        elif change.rag_then == NOT_REPORTED:
            kinds.append("first_reported")
        elif change.rag_now == NOT_REPORTED:
            kinds.append("worsened")
        elif RAG_SEVERITY[Rag(change.rag_now)] > RAG_SEVERITY[Rag(change.rag_then)]:
            kinds.append("improved")
        else:
            kinds.append("worsened")
    if change.due_date_moved:
        kinds.append("due_dates_moved")
    return kinds


def changes_since(plan: Plan, moment: dt.date, today: dt.date | None = None,
                  limit: int | None = None) -> ChangesSince:
    """The plan at the end of `moment` against the plan today, from the progress history
    (RAG) and the audit trail (due dates); three queries."""
    today = today or timezone.localdate()
    cutoff = end_of_day(moment)
    records = Action.history.model.objects
    history = records.filter(id=OuterRef("pk"), history_date__lt=cutoff)
    due_then = history.order_by("-history_date", "-history_id").values("current_due_date")[:1]
    # Only actions whose audit trail has a record after the meeting can have moved.
    touched = records.filter(plan_id=plan.pk, history_date__gte=cutoff).values("id")
    dues = {pk: (existed, due) for pk, existed, due in (
        Action.objects.filter(plan=plan, pk__in=touched)
        .annotate(existed_then=Exists(history), due_then=Subquery(due_then))
        .values_list("pk", "existed_then", "due_then"))}
    # Only an action with a progress update dated after the meeting can have a RAG now
    # that differs from its RAG then: the rest are left out rather than compared.
    updated = ProgressUpdate.objects.filter(action__plan=plan, date__gt=moment).values(
        "action_id")
    # Compared in Python: filtering in SQL would run each subquery twice per action.
    rows = (Action.objects.filter(plan=plan)
            .filter(Q(pk__in=updated) | Q(pk__in=touched))
            .annotate(rag_then=_rag_as_of(moment), rag_now=_rag_as_of(today))
            .natural_order()
            .values_list("pk", "rag_then", "rag_now", "current_due_date"))
    result = ChangesSince(moment=moment)
    counts = dict.fromkeys(["improved", "worsened", "completed", "first_reported",
                            "due_dates_moved"], 0)
    for pk, rag_then, rag_now, due_now in rows:
        existed_then, due_then = dues.get(pk, (False, due_now))
        change = Change(action_id=pk, rag_then=rag_then, rag_now=rag_now,
                        existed_then=existed_then, due_then=due_then, due_now=due_now)
        for kind in change_kinds(change):
            counts[kind] += 1
            if limit is None or counts[kind] <= limit:
                getattr(result, kind).append(change)
    result.counts = counts
    shown = [change for _, changes, _, _ in result.lists for change in changes]
    if shown:
        # The lists show a ref and a title; only those are read.
        actions = Action.objects.filter(plan=plan).only("pk", "ref", "title")
        if limit is not None:
            actions = actions.filter(pk__in={change.action_id for change in shown})
        by_pk = {action.pk: action for action in actions}
        for change in shown:
            change.action = by_pk[change.action_id]
    return result


def _listed(actions: QuerySet) -> QuerySet:
    return (actions.select_related("workstream").annotate(owner_name=F("owner__name"))
            .natural_order())


# What a printed list of actions shows; plain values, because the board pack can list
# thousands and a model object (with its workstream and owner) per row cost most of its time.
PRINTED_ACTION_FIELDS = ("pk", "workstream_id", "ref", "title", "current_due_date", "rag")


def printed_rows(actions: QuerySet, *extra: str) -> list[dict]:
    """The actions as plain rows for a long printed list, in the queryset's order."""
    return list(actions.values(*PRINTED_ACTION_FIELDS, *extra, owner_name=F("owner__name")))


def red_actions(plan: Plan) -> QuerySet:
    return _listed(Action.objects.for_plan(plan).red())


def overdue_actions(plan: Plan, today: dt.date) -> QuerySet:
    """Current due date passed (due today is not yet overdue) and not Blue."""
    return _listed(Action.objects.for_plan(plan).overdue(on=today))


def actions_without_update(plan: Plan, period: ReportingPeriod | None) -> QuerySet:
    """Actions not yet completed with no progress update in the period."""
    if period is None:
        return Action.objects.none()
    return _listed(Action.objects.for_plan(plan).without_update_in(period))


def overdue_milestones(plan: Plan, today: dt.date) -> QuerySet:
    return (Milestone.objects.filter(action__plan=plan).overdue(on=today)
            .select_related("action", "action__workstream")
            .order_by("due_date", "action__workstream__order", "action__ref_number", "pk"))


@dataclass
class NeedsAttention:
    today: dt.date
    period: ReportingPeriod | None
    red: QuerySet
    overdue: QuerySet
    without_update: QuerySet
    milestones_overdue: QuerySet


def needs_attention(plan: Plan, today: dt.date) -> NeedsAttention:
    """What the board should look at; the lists are lazy so a page can count or show a few."""
    period = current_period(plan, today)
    return NeedsAttention(today=today, period=period, red=red_actions(plan),
                          overdue=overdue_actions(plan, today),
                          without_update=actions_without_update(plan, period),
                          milestones_overdue=overdue_milestones(plan, today))


@dataclass
class RagBar:
    period: ReportingPeriod
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


RAG_ORDER = [Rag.BLUE.value, Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value, NOT_REPORTED]


def rag_over_time(updates: Iterable[tuple[int, dt.date, str]], action_ids: Iterable[int],
                  periods: Sequence[ReportingPeriod]) -> list[RagBar]:
    """Counts of each RAG as of each period's end. `updates` are (action id, date, rag),
    oldest first within an action; an action with no update by then is not reported."""
    by_action: dict[int, list[tuple[dt.date, str]]] = {pk: [] for pk in action_ids}
    for action_id, date, rag in updates:
        by_action.setdefault(action_id, []).append((date, rag))
    ordered = sorted(periods, key=lambda period: period.end)
    counts = [dict.fromkeys(RAG_ORDER, 0) for _ in ordered]
    for history in by_action.values():
        seen, rag = 0, NOT_REPORTED
        for index, period in enumerate(ordered):
            while seen < len(history) and history[seen][0] <= period.end:
                rag = history[seen][1]
                seen += 1
            counts[index][rag] += 1
    bars = [RagBar(period=period, counts=period_counts)
            for period, period_counts in zip(ordered, counts, strict=True)]
    return bars


def workstream_rag_over_time(workstream: Workstream, today: dt.date) -> list[RagBar]:
    """Stacked-bar data for the workstream's RAG history over the periods begun by today."""
    periods = list(ReportingPeriod.objects.filter(plan_id=workstream.plan_id, start__lte=today)
                   .order_by("start"))
    action_ids = list(Action.objects.filter(workstream=workstream).values_list("pk", flat=True))
    updates = (ProgressUpdate.objects.filter(action__workstream=workstream)
               .order_by("action_id", "date", "created_at", "pk")
               .values_list("action_id", "date", "rag"))
    return rag_over_time(updates, action_ids, periods)


@dataclass
class MeasureStatusCounts:
    workstream: Workstream
    counts: list[tuple[MeasureStatus, int]]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


def measure_status_counts(plan: Plan, workstreams: Sequence[Workstream],
                          measures: Iterable | None = None) -> list[MeasureStatusCounts]:
    """How many of each workstream's outcome measures are in each status."""
    measures = measures if measures is not None else measures_with_status(plan)
    tally: dict[int, dict[MeasureStatus, int]] = {
        ws.pk: dict.fromkeys(MeasureStatus, 0) for ws in workstreams}
    for measure in measures:
        workstream_id = measure.outcome.workstream_id
        if workstream_id in tally:
            tally[workstream_id][MeasureStatus(measure.status)] += 1
    return [MeasureStatusCounts(workstream=ws, counts=list(tally[ws.pk].items()))
            for ws in workstreams]
