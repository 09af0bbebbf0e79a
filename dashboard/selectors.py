"""Reads for the board's dashboard: where the plan stands, what changed since the last board
meeting and what needs the board's attention. Each read is a fixed number of queries."""

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode

from actions.filters import NOT_REPORTED as NOT_REPORTED_FILTER
from actions.filters import actions_for_listing
from actions.models import RAG_SEVERITY, Action, Milestone, ProgressUpdate, Rag
from measures.selectors import measure_statuses
from measures.status import MeasureStatus
from plans.models import BoardMeeting, Plan, ReportingPeriod
from plans.selectors import current_period
from send_wsoa.precompiled import precompiled
from workstreams.models import Workstream

NOT_REPORTED = ""


@dataclass(frozen=True)
class RagCell:
    """One count of the RAG table: `query` filters the actions list to exactly the actions
    counted; `words` follow the count in its link's name (hidden on screen, where the
    column and row say it) so the link makes sense read on its own: "3 Red actions in
    workstream JC"."""

    key: str
    count: int
    query: str
    words: str


# (attribute, the actions list's rag filter, the words after the count)
RAG_CELLS = [("blue", Rag.BLUE.value, "Blue"), ("green", Rag.GREEN.value, "Green"),
             ("amber", Rag.AMBER.value, "Amber"), ("red", Rag.RED.value, "Red"),
             ("not_reported", NOT_REPORTED_FILTER, "not reported")]


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

    @property
    def cells(self) -> list[RagCell]:
        """The counts in table order, each with the actions list query that shows them:
        the workstream's actions of that colour, or the whole plan's for the totals."""
        where = (f"workstream {self.workstream.code}" if self.workstream is not None
                 else "the whole plan")
        cells = []
        for attribute, rag, words in RAG_CELLS:
            count = getattr(self, attribute)
            query = {"rag": rag} if self.workstream is None else {
                "workstream": self.workstream.code, "rag": rag}
            noun = "action" if count == 1 else "actions"
            said = (f"{noun} {words} in {where}" if rag == NOT_REPORTED_FILTER
                    else f"{words} {noun} in {where}")
            cells.append(RagCell(key=attribute.replace("_", "-"), count=count,
                                 query=urlencode(query), words=said))
        return cells


def _rag_count(rag: str) -> Count:
    return Count("actions", filter=Q(actions__rag=rag))


def workstream_rag_counts(plan: Plan, only: Workstream | None = None
                          ) -> list[WorkstreamRagCounts]:
    """Blue, Green, Amber, Red and not reported actions per workstream (or `only` that one),
    in plan order."""
    workstreams = (_rag_counts_of_plan(plan.pk) if only is None
                   else _rag_counts_of_workstream(plan.pk, only.pk))
    return [WorkstreamRagCounts(workstream=ws, blue=ws.n_blue, green=ws.n_green,
                                amber=ws.n_amber, red=ws.n_red,
                                not_reported=ws.n_not_reported)
            for ws in workstreams]


def _with_rag_counts(workstreams: QuerySet) -> QuerySet:
    return workstreams.order_by("order", "code").annotate(
        n_blue=_rag_count(Rag.BLUE), n_green=_rag_count(Rag.GREEN),
        n_amber=_rag_count(Rag.AMBER), n_red=_rag_count(Rag.RED),
        n_not_reported=_rag_count(NOT_REPORTED))


@precompiled
def _rag_counts_of_plan(plan_pk: int) -> QuerySet:
    return _with_rag_counts(Workstream.objects.filter(plan_id=plan_pk))


@precompiled
def _rag_counts_of_workstream(plan_pk: int, workstream_pk: int) -> QuerySet:
    return _with_rag_counts(Workstream.objects.filter(plan_id=plan_pk, pk=workstream_pk))


def plan_totals(rows: Sequence[WorkstreamRagCounts]) -> WorkstreamRagCounts:
    """The whole plan's counts, added up from the per-workstream rows."""
    return WorkstreamRagCounts(
        workstream=None, blue=sum(r.blue for r in rows), green=sum(r.green for r in rows),
        amber=sum(r.amber for r in rows), red=sum(r.red for r in rows),
        not_reported=sum(r.not_reported for r in rows))


def latest_board_meeting(plan: Plan, today: dt.date) -> BoardMeeting | None:
    """The previous board meeting: the latest one held before today."""
    return next(iter(_latest_board_meeting(plan.pk, today)), None)


@precompiled
def _latest_board_meeting(plan_pk: int, today: dt.date) -> QuerySet:
    # With its baseline, if recorded, for changes_since_meeting.
    return (BoardMeeting.objects.filter(plan_id=plan_pk, date__lt=today)
            .select_related("baseline").order_by("-date")[:1])


def _rag_as_of(moment: dt.date) -> RawSQL:
    """The RAG of the action's latest progress update dated on or before `moment` (latest by
    date, then by when it was written), or NOT_REPORTED; for a query of actions. One seek in
    progress_update_latest_idx per action. Written in SQL: Django took longer to compile the
    same expression as a Subquery than the database took to run it, and the RAG history
    chart asks for one per reporting period."""
    quote = connection.ops.quote_name
    update, action = ProgressUpdate._meta.db_table, Action._meta.db_table
    # Only the models' own names are written into the SQL; the values are parameters.
    return RawSQL(  # noqa: S611
        f"COALESCE((SELECT u.{quote('rag')} FROM {quote(update)} u "  # noqa: S608
        f"WHERE u.{quote('action_id')} = {quote(action)}.{quote('id')} "
        f"AND u.{quote('date')} <= %s ORDER BY u.{quote('date')} DESC, "
        f"u.{quote('created_at')} DESC, u.{quote('id')} DESC LIMIT 1), %s)",
        (moment, NOT_REPORTED), output_field=CharField())


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the plan's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


@dataclass
class Change:
    """An action whose RAG or due date changed: its ref and title are what the lists show
    (thousands of model objects cost the board pack more than finding the changes)."""

    action_id: int
    rag_then: str
    rag_now: str
    existed_then: bool
    due_then: dt.date | None
    due_now: dt.date | None
    ref: str = ""
    title: str = ""

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


def _rag_change_kind(rag_then: str, rag_now: str) -> str | None:
    kinds = change_kinds(Change(action_id=0, rag_then=rag_then, rag_now=rag_now,
                                existed_then=False, due_then=None, due_now=None))
    return kinds[0] if kinds else None


# The list a change of RAG belongs in, for every pair (then, now); None when unchanged.
RAG_CHANGE_KINDS = {(then, now): _rag_change_kind(then, now)
                    for then in [*Rag.values, NOT_REPORTED] for now in [*Rag.values, NOT_REPORTED]}


# The due date then of an action that existed then with no due date: a date no plan uses,
# so that one column says both whether the action existed and what its due date was.
NO_DUE_DATE_THEN = dt.date(1, 1, 1)
CHANGE_KINDS = ["improved", "worsened", "completed", "first_reported", "due_dates_moved"]
# The RAG pairs (then, now) of each list of changes of RAG.
RAG_PAIRS_OF_KIND = {kind: [pair for pair, its_kind in RAG_CHANGE_KINDS.items()
                            if its_kind == kind] for kind in CHANGE_KINDS[:-1]}
# The columns of a query of the plan then and now, in order (see actions_then_and_now),
# each named so in its SQL.
THEN_AND_NOW = ("pk", "ref", "title", "rag_then", "rag_now", "due_then", "due_now", "ws_order",
                "ws_code", "ref_number")
# Plan order, as Action.objects.natural_order(): the database reads the actions in this
# order from its indexes (workstream_in_plan_order, action_in_plan_order_idx) and stops at
# a list's first rows rather than sorting every action.
IN_PLAN_ORDER = "ws_order, ws_code, ref_number"
# Whether an action's due date moved: it was in the plan then, and its due date now differs
# (None then or now compared as the date no plan uses), reading the due date then once.
DUE_DATE_MOVED = "due_then <> COALESCE(due_now, %s)"


def _as_date(value) -> dt.date | None:
    """A date read by a raw query: SQLite gives its text, PostgreSQL a date."""
    return parse_date(value) if isinstance(value, str) else value


def _then_and_now(actions: QuerySet, **then) -> QuerySet:
    """`actions` of a plan as rows of THEN_AND_NOW, with `then` (rag_then and due_then:
    NO_DUE_DATE_THEN for an action then in the plan with no due date, None for one not
    then in the plan) and the RAG and due date now, as the RAG table shows them."""
    return (actions.order_by().annotate(**then, rag_now=F("rag"), due_now=F("current_due_date"),
                                        ws_order=F("workstream__order"),
                                        ws_code=F("workstream__code"))
            .values_list(*THEN_AND_NOW))


@precompiled
def actions_then_and_now(plan_pk: int, moment: dt.date, after_moment: dt.datetime) -> QuerySet:
    """The plan's actions as they stood at `moment` (the RAG of the latest progress update
    dated by then, the due date in the history to `after_moment`, the end of that day) and
    now, for changes_since. The plan is the workstreams' (as the RAG table counts them), so
    that the actions can be read in plan order from their workstreams."""
    history = Action.history.model.objects.filter(id=OuterRef("pk"),
                                                  history_date__lt=after_moment)
    due_then = (history.order_by("-history_date", "-history_id")
                .values(due=Coalesce("current_due_date", Value(NO_DUE_DATE_THEN)))[:1])
    return _then_and_now(Action.objects.through_workstreams(plan_pk),
                         rag_then=_rag_as_of(moment),
                         due_then=Subquery(due_then, output_field=DateField()))


@precompiled
def actions_then_and_now_at_baseline(plan_pk: int, baseline_pk: int) -> QuerySet:
    """As actions_then_and_now, with each action's RAG and due date then read from its row
    of a meeting's baseline: one join, where the history costs two searches an action."""
    row = FilteredRelation("board_baselines",
                           condition=Q(board_baselines__baseline_id=baseline_pk))
    actions = Action.objects.through_workstreams(plan_pk).annotate(at_meeting=row)
    return _then_and_now(
        actions, rag_then=Coalesce("at_meeting__rag", Value(NOT_REPORTED)),
        due_then=Case(When(at_meeting__existed=True, then=Coalesce(
            "at_meeting__due_date", Value(NO_DUE_DATE_THEN))), output_field=DateField()))


def changes_since(plan: Plan, moment: dt.date, limit: int | None = None) -> ChangesSince:
    """The plan at the end of `moment` against the plan now, from the progress history (RAG
    then), the audit trail (due date then) and the actions themselves (RAG and due date
    now, as the RAG table beside these lists shows them)."""
    return _changes(actions_then_and_now.sql(plan.pk, moment, end_of_day(moment)), moment,
                    limit)


def changes_since_meeting(plan: Plan, meeting: BoardMeeting,
                          limit: int | None = None) -> ChangesSince:
    """What changed since the board's meeting: from its baseline, the rows recorded after
    the meeting day (dashboard.services), when there is one for the meeting's date; else
    from the history, as changes_since, which gives the same lists."""
    try:
        baseline = meeting.baseline
    except ObjectDoesNotExist:
        baseline = None
    if baseline is None or baseline.date != meeting.date:
        return changes_since(plan, meeting.date, limit)
    return _changes(actions_then_and_now_at_baseline.sql(plan.pk, baseline.pk), meeting.date,
                    limit)


def _changes(then_and_now: tuple[str, list], moment: dt.date,
             limit: int | None) -> ChangesSince:
    """The changes among rows of THEN_AND_NOW (SQL and parameters). With a limit, the
    changes are counted by their RAG then and now in one query and sorted into lists here;
    then each list's first rows are read in plan order, which the database finds without
    sorting the plan. With none, every change is read, in plan order (the board pack)."""
    sql, params = then_and_now
    # Each read has the rows as a subquery of its own, which the database merges into it:
    # a table of them, read by several, would be worked out for every action first. Only
    # fixed words are written into the SQL; every value is a parameter.
    rows = f"({sql}) AS r"
    result = ChangesSince(moment=moment, counts=dict.fromkeys(CHANGE_KINDS, 0))
    if limit is None:
        every = _fetched(f"SELECT 'all', r.* FROM {rows} WHERE rag_then <> rag_now OR "  # noqa: S608
                         f"{DUE_DATE_MOVED} ORDER BY {IN_PLAN_ORDER}",
                         [*params, NO_DUE_DATE_THEN])
        for row in every:
            change = _change(row)
            for kind in change_kinds(change):
                getattr(result, kind).append(change)
        result.counts = {kind: len(getattr(result, kind)) for kind in CHANGE_KINDS}
        return result
    counted = _fetched(f"SELECT rag_then, rag_now, {DUE_DATE_MOVED}, COUNT(*) FROM {rows} "  # noqa: S608
                       "GROUP BY 1, 2, 3", [NO_DUE_DATE_THEN, *params])
    for rag_then, rag_now, moved, count in counted:
        if kind := RAG_CHANGE_KINDS[(rag_then, rag_now)]:
            result.counts[kind] += count
        if moved:
            result.counts["due_dates_moved"] += count
    # Each list's first rows: one short read each, in plan order.
    shown, shown_params = [], []
    for kind in (kind for kind in CHANGE_KINDS if result.counts[kind]):
        if kind == "due_dates_moved":
            where, where_params = DUE_DATE_MOVED, [NO_DUE_DATE_THEN]
        else:
            pairs = RAG_PAIRS_OF_KIND[kind]
            where = " OR ".join(["(rag_then = %s AND rag_now = %s)"] * len(pairs))
            where_params = [rag for pair in pairs for rag in pair]
        shown.append(f"SELECT * FROM (SELECT %s, r.* FROM {rows} WHERE {where} "  # noqa: S608
                     f"ORDER BY {IN_PLAN_ORDER} LIMIT %s) AS first_rows")
        shown_params += [kind, *params, *where_params, limit]
    if shown:
        # In plan order within each list, whatever order the database joins them in.
        for row in _fetched(f"{' UNION ALL '.join(shown)} ORDER BY 1, {IN_PLAN_ORDER}",
                            shown_params):
            getattr(result, row[0]).append(_change(row))
    return result


def _fetched(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _change(row: tuple) -> Change:
    """A Change from a row of a list: its kind, then the columns of THEN_AND_NOW."""
    _, pk, ref, title, rag_then, rag_now, due_then, due_now, *_ = row
    due_then = _as_date(due_then)
    return Change(action_id=pk, rag_then=rag_then, rag_now=rag_now,
                  existed_then=due_then is not None,
                  due_then=None if due_then == NO_DUE_DATE_THEN else due_then,
                  due_now=_as_date(due_now), ref=ref, title=title)


# What a printed list of actions shows; plain values, because the board pack can list
# thousands and a model object (with its workstream and owner) per row cost most of its time.
PRINTED_ACTION_FIELDS = ("pk", "workstream_id", "ref", "title", "current_due_date", "rag")
# A printed milestone: its title, due date and, as `action.ref`, its action's ref.
MILESTONE_FIELDS = ("pk", "title", "due_date", "action__ref")


def _printed(actions: QuerySet, *extra: str, **more) -> QuerySet:
    return actions.values(*PRINTED_ACTION_FIELDS, *extra, owner_name=F("owner__name"), **more)


def _milestone_rows(rows: Iterable[tuple]) -> list[dict]:
    return [{"pk": pk, "title": title, "due_date": due_date, "action": {"ref": ref}}
            for pk, title, due_date, ref, *_ in rows]


@precompiled
def printed_actions_with_last_update(plan_pk: int) -> QuerySet:
    """Every action of the plan as a printed row, with the date of its last update, in plan
    order: the board pack's longest list, compiled once."""
    return _printed(actions_for_listing(plan_pk), "last_update")


def first_listed(attention: "NeedsAttention", name: str, limit: int) -> tuple[list[dict], int]:
    """The first `limit` printed rows of the list `name` of NeedsAttention, and how many it
    holds in all, in two queries compiled once (every dashboard asks for them). Counting in
    the same query (a window) made the database sort every row, not just find the first."""
    if name == "without_update" and attention.period is None:
        return [], 0
    values = attention.values(name)
    rows = _first_listed(name, limit)(*values)
    count = len(rows) if len(rows) < limit else _counted(name)(*values)[0]["count"]
    return (_milestone_rows(rows) if name == "milestones_overdue" else rows), count


def listed_in_full(attention: "NeedsAttention", name: str) -> list[dict]:
    """Every printed row of the list `name` of NeedsAttention, for the board pack, in one
    query compiled once. Plain rows: thousands can be Red or overdue."""
    if name == "without_update" and attention.period is None:
        return []
    rows = _listed_in_full(name)(*attention.values(name))
    return _milestone_rows(rows) if name == "milestones_overdue" else rows


# The lists of NeedsAttention, by name, in the order the dashboard and board pack show them.
ATTENTION_LISTS = ("red", "overdue", "without_update", "milestones_overdue")


def _attention_list(name: str):
    return {"red": red_actions, "overdue": overdue_actions,
            "without_update": actions_without_update,
            "milestones_overdue": overdue_milestones}[name]


@functools.cache
def _first_listed(name: str, limit: int) -> precompiled:
    listed = _attention_list(name)
    if name == "milestones_overdue":
        return precompiled(lambda *values: listed(*values).values_list(
            *MILESTONE_FIELDS)[:limit])
    return precompiled(lambda *values: _printed(listed(*values))[:limit])


@functools.cache
def _counted(name: str) -> precompiled:
    listed = _attention_list(name)
    return precompiled(lambda *values: listed(*values).order_by().values(
        count=Func(F("pk"), function="COUNT")))


@functools.cache
def _listed_in_full(name: str) -> precompiled:
    listed = _attention_list(name)
    if name == "milestones_overdue":
        return precompiled(lambda *values: listed(*values).values_list(*MILESTONE_FIELDS))
    return precompiled(lambda *values: _printed(listed(*values)))


def _listed(plan: Plan) -> QuerySet:
    return Action.objects.in_plan_order(plan).select_related("workstream")


def red_actions(plan: Plan) -> QuerySet:
    return _listed(plan).red()


def overdue_actions(plan: Plan, today: dt.date) -> QuerySet:
    """Current due date passed (due today is not yet overdue) and not Blue."""
    return _listed(plan).overdue(on=today)


def actions_without_update(plan: Plan, period: ReportingPeriod | None) -> QuerySet:
    """Actions not yet completed with no progress update in the period."""
    if period is None:
        return Action.objects.none()
    return _listed(plan).without_update_in(period)


def overdue_milestones(plan: Plan, today: dt.date) -> QuerySet:
    return (Milestone.objects.filter(action__plan=plan).overdue(on=today)
            .select_related("action", "action__workstream")
            .order_by("due_date", "action__workstream__order", "action__ref_number", "pk"))


@dataclass
class NeedsAttention:
    """What the board should look at: each list a query built when it is read, so a page
    can count or show a few or read them compiled (first_listed, listed_in_full)."""

    plan: Plan
    today: dt.date
    period: ReportingPeriod | None

    @property
    def red(self) -> QuerySet:
        return red_actions(self.plan)

    @property
    def overdue(self) -> QuerySet:
        return overdue_actions(self.plan, self.today)

    @property
    def without_update(self) -> QuerySet:
        return actions_without_update(self.plan, self.period)

    @property
    def milestones_overdue(self) -> QuerySet:
        return overdue_milestones(self.plan, self.today)

    def values(self, name: str) -> tuple:
        """The plan's, the day's and the period's ids and dates as list `name` takes them."""
        if name in ("overdue", "milestones_overdue"):
            return self.plan.pk, self.today
        if name == "without_update":
            return self.plan.pk, self.period.pk
        return (self.plan.pk,)


def needs_attention(plan: Plan, today: dt.date) -> NeedsAttention:
    return NeedsAttention(plan=plan, today=today, period=current_period(plan, today))


@dataclass
class RagBar:
    period: ReportingPeriod
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


RAG_ORDER = [Rag.BLUE.value, Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value, NOT_REPORTED]


def workstream_rag_over_time(workstream: Workstream, today: dt.date) -> list[RagBar]:
    """Stacked-bar data for the workstream's RAG history over the periods begun by today."""
    # The plan's periods begun by today: none after the plan's last (plans.querysets).
    periods = list(ReportingPeriod.objects.for_plan(workstream.plan_id).filter(start__lte=today)
                   .order_by("start"))
    # Each action's RAG as of each period's end (its latest update by then, else not
    # reported), counted in one query (reading every update cost more): the RAGs in a
    # materialized table, so each subquery runs once per action, and counted from it in SQL
    # rather than returned, a row per action, to be counted here.
    ordered = sorted(periods, key=lambda period: period.end)
    counts = [dict.fromkeys(RAG_ORDER, 0) for _ in ordered]
    if ordered:
        names = [f"rag_{index}" for index in range(len(ordered))]
        rags_sql, params = _rags_at_ends(len(ordered)).sql(
            workstream.pk, *(period.end for period in ordered))
        quote = connection.ops.quote_name
        tallies = ", ".join(f"COUNT(CASE WHEN {quote(name)} = %s THEN 1 END)"
                            for name in names for _ in RAG_ORDER)
        with connection.cursor() as cursor:
            # Only the annotations' own names are written into the SQL; the RAGs are
            # parameters.
            cursor.execute(f"WITH r AS MATERIALIZED ({rags_sql}) SELECT {tallies} FROM r",  # noqa: S608
                           [*params, *(rag for _ in names for rag in RAG_ORDER)])
            tally = iter(cursor.fetchone())
        for period_counts in counts:
            for rag in RAG_ORDER:
                period_counts[rag] = next(tally)
    return [RagBar(period=period, counts=period_counts)
            for period, period_counts in zip(ordered, counts, strict=True)]


@functools.cache
def _rags_at_ends(count: int) -> precompiled:
    """Each action of a workstream with its RAG at each of `count` days (rag_0, rag_1 ...);
    compiled once for each number of periods."""
    def build(workstream_pk: int, *ends: dt.date) -> QuerySet:
        as_of = {f"rag_{index}": _rag_as_of(end) for index, end in enumerate(ends)}
        return (Action.objects.filter(workstream_id=workstream_pk).order_by().annotate(**as_of)
                .values_list(*as_of))
    return precompiled(build)


@dataclass
class MeasureStatusCounts:
    workstream: Workstream
    counts: list[tuple[MeasureStatus, int]]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


def measure_status_counts(plan: Plan, workstreams: Sequence[Workstream],
                          measures: Iterable | None = None) -> list[MeasureStatusCounts]:
    """How many of each workstream's outcome measures are in each status; from `measures`
    (with their status) when the caller has read them, else from their statuses alone."""
    statuses = (measure_statuses(plan) if measures is None else
                [(measure.outcome.workstream_id, measure.status) for measure in measures])
    tally: dict[int, dict[MeasureStatus, int]] = {
        ws.pk: dict.fromkeys(MeasureStatus, 0) for ws in workstreams}
    for workstream_id, status in statuses:
        if workstream_id in tally:
            tally[workstream_id][MeasureStatus(status)] += 1
    return [MeasureStatusCounts(workstream=ws, counts=list(tally[ws.pk].items()))
            for ws in workstreams]


@dataclass(frozen=True)
class ExceptionReasons:
    is_red: bool = False
    is_overdue: bool = False
    due_date_moved: bool = False
    rag_worsened: bool = False


def exception_reasons(plan: Plan, today: dt.date) -> dict[int, ExceptionReasons]:
    """Each action the board should hear about at its next meeting, by id, with why: Red,
    overdue, or, since the last board, a moved due date or a RAG gone down a colour. By
    the dashboard's own rules, so the exceptions are the lists the board already reads."""
    red = set(red_actions(plan).values_list("pk", flat=True))
    overdue = set(overdue_actions(plan, today).values_list("pk", flat=True))
    moved: set[int] = set()
    worsened: set[int] = set()
    meeting = latest_board_meeting(plan, today)
    if meeting is not None:
        changes = changes_since_meeting(plan, meeting)
        moved = {change.action_id for change in changes.due_dates_moved}
        worsened = {change.action_id for change in changes.worsened}
    return {pk: ExceptionReasons(is_red=pk in red, is_overdue=pk in overdue,
                                 due_date_moved=pk in moved, rag_worsened=pk in worsened)
            for pk in red | overdue | moved | worsened}


def next_board_meeting(plan: Plan, today: dt.date) -> BoardMeeting | None:
    """The board's next meeting: the first on or after today."""
    return next(iter(_next_board_meeting(plan.pk, today)), None)


@precompiled
def _next_board_meeting(plan_pk: int, today: dt.date) -> QuerySet:
    return BoardMeeting.objects.filter(plan_id=plan_pk, date__gte=today).order_by("date")[:1]


def meeting_exceptions(meeting: BoardMeeting | None) -> list:
    """The meeting's exceptions in plan order, with their actions and commentators."""
    if meeting is None:
        return []
    return _meeting_exceptions(meeting.pk)


@precompiled
def _meeting_exceptions(meeting_pk: int) -> QuerySet:
    from .models import BoardException

    return (BoardException.objects.filter(meeting_id=meeting_pk)
            .select_related("action", "action__workstream", "commentary_by").in_plan_order())


def exceptions_awaiting_commentary(plan: Plan, today: dt.date,
                                   workstream_ids: Iterable[int]) -> list:
    """The exceptions of the next board meeting, in these workstreams, with no commentary
    yet: what their leads still have to write."""
    from .models import BoardException

    meeting = next_board_meeting(plan, today)
    if meeting is None:
        return []
    return list(BoardException.objects.filter(
        meeting=meeting, action__workstream_id__in=workstream_ids, commentary_at__isnull=True)
        .select_related("action", "meeting").in_plan_order())
