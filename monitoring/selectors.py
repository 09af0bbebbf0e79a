"""What the monitoring pack of a reporting period says, read as the plan stood at one
moment: the period's close, or now while it is open. Every record that changes is read
from its history (django-simple-history), so a closed period's pack says the same a year
later whatever was edited since; records loaded in bulk, with no history at all, are read
as they are."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from actions.models import Action, Evidence, Milestone, ProgressUpdate, Rag
from actions.querysets import is_overdue
from area_statistics.display import england_cited
from area_statistics.selectors import comparator_figures_for_plan
from audit.services import person_label
from measures.models import Measure, MeasureReading, MilestoneTarget, Outcome
from measures.status import MeasureStatus, measure_status
from plans.models import AgreedDueDate, Membership, Plan, ReportingPeriod
from plans.selectors import periods_for_plan, previous_period
from workstreams.models import FeedbackPoint, Organisation, Workstream

RAG_ORDER = [Rag.BLUE, Rag.GREEN, Rag.AMBER, Rag.RED]


def rows_as_of(model: type[models.Model], at: dt.datetime, fields: Iterable[str],
               **filters) -> dict[int, dict]:
    """Each object's `fields` as its history held them at `at`, by primary key, with the
    history row's id as "history_id" (None for an object without history). Objects deleted
    by then, or made after, are left out."""
    fields = list(fields)
    history = model.history.model.objects.filter(**filters)
    rows: dict[int, dict] = {}
    # Ordered oldest first, so each object's last row by `at` is the one kept.
    for row in (history.filter(history_date__lte=at)
                .order_by("id", "history_date", "history_id")
                .values("id", "history_id", "history_type", *fields)):
        rows[row["id"]] = row
    found = {pk: row for pk, row in rows.items() if row["history_type"] != "-"}
    # Loaded in bulk, without history (the bench plan's milestones): read as they are.
    unrecorded = (model._default_manager.filter(**filters)
                  .exclude(pk__in=history.values("id")).values("id", *fields))
    for row in unrecorded:
        found[row["id"]] = {**row, "history_id": None}
    return found


@dataclass
class ActionLine:
    pk: int
    ref: str
    ref_number: int
    workstream_id: int
    workstream: str
    title: str
    owner: str
    contributors: str
    start: dt.date | None
    original_due: dt.date | None
    current_due: dt.date | None
    moved: bool
    agreed_at: str
    rag: str
    previous_rag: str
    update_this_period: str
    latest_narrative: str
    milestones_done: int
    milestones_total: int
    evidence_count: int
    measures: str
    overdue: bool


@dataclass
class MeasureLine:
    title: str
    workstream: str
    data_source: str
    baseline: Decimal | None
    baseline_period: str
    baseline_note: str
    unit: str
    target: Decimal | None
    target_date: dt.date | None
    actuals: list[Decimal | None]
    # The milestone target set for each review point, None where none was set.
    milestone_targets: list[Decimal | None]
    status: str
    # England's figure, its period and source, or "Not held".
    national_comparator: str


@dataclass
class FeedbackLine:
    text: str
    letter_date: dt.date
    refs: str
    response: str
    rags: str


@dataclass
class EvidenceLine:
    title: str
    kind: str
    ref: str
    added: dt.date


@dataclass
class WorkstreamCounts:
    code: str
    name: str
    now: dict[str, int]
    before: dict[str, int]
    total: int

    @property
    def percent_complete(self) -> float:
        return self.now.get(Rag.BLUE, 0) / self.total if self.total else 0.0


@dataclass
class PackContent:
    plan: Plan
    period: ReportingPeriod
    previous: ReportingPeriod | None
    # The moment the figures are as at: the close, or when the pack was made.
    at: dt.datetime
    is_final: bool
    actions: list[ActionLine] = field(default_factory=list)
    workstreams: list[WorkstreamCounts] = field(default_factory=list)
    measures: list[MeasureLine] = field(default_factory=list)
    review_points: list[ReportingPeriod] = field(default_factory=list)
    feedback: list[FeedbackLine] = field(default_factory=list)
    evidence: list[EvidenceLine] = field(default_factory=list)
    cover: list[tuple[str, object]] = field(default_factory=list)

    @property
    def measure_counts(self) -> dict[str, int]:
        counts = {str(status): 0 for status in MeasureStatus}
        for line in self.measures:
            counts[line.status] += 1
        return counts


def _updates_by_action(plan: Plan, at: dt.datetime) -> dict[int, list[tuple]]:
    """Each action's progress updates made by `at`, oldest first."""
    updates: dict[int, list[tuple]] = defaultdict(list)
    for row in (ProgressUpdate.objects.filter(action__plan=plan, created_at__lte=at)
                .order_by("action_id", "date", "created_at", "id")
                .values_list("action_id", "date", "created_at", "rag", "period_id",
                             "narrative")):
        updates[row[0]].append(row)
    return updates


def _latest(updates: list[tuple], *, on: dt.date, made_by: dt.datetime) -> tuple | None:
    latest = None
    for update in updates:
        if update[1] <= on and update[2] <= made_by:
            latest = update
    return latest


def _contributors(rows: dict[int, dict]) -> dict[int, list[int]]:
    through = Action.history.model._meta.get_field(
        "historicalaction_contributors").related_model
    recorded = [row["history_id"] for row in rows.values() if row["history_id"] is not None]
    names: dict[int, list[int]] = defaultdict(list)
    for action_id, organisation_id in through.objects.filter(
            history_id__in=recorded).values_list("action_id", "organisation_id"):
        names[action_id].append(organisation_id)
    unrecorded = [pk for pk, row in rows.items() if row["history_id"] is None]
    for action_id, organisation_id in Action.contributors.through.objects.filter(
            action_id__in=unrecorded).values_list("action_id", "organisation_id"):
        names[action_id].append(organisation_id)
    return names


def _linked_measures(plan: Plan) -> dict[int, list[str]]:
    linked: dict[int, list[str]] = defaultdict(list)
    for action_id, title in (Outcome.actions.through.objects
                             .filter(outcome__plan=plan, outcome__measures__isnull=False)
                             .order_by("outcome__measures__order")
                             .values_list("action_id", "outcome__measures__title")):
        if title not in linked[action_id]:
            linked[action_id].append(title)
    return linked


def _actions(content: PackContent, workstreams: dict[int, Workstream],
             organisations: dict[int, str]) -> None:
    plan, period, previous, at = content.plan, content.period, content.previous, content.at
    previous_at = min(previous.closed_at or at, at) if previous else at
    rows = rows_as_of(Action, at, ["ref", "ref_number", "workstream_id", "title", "owner_id",
                                   "start_date", "original_due_date", "current_due_date",
                                   "rag"], plan_id=plan.pk)
    contributors = _contributors(rows)
    updates = _updates_by_action(plan, at)
    milestones: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows_as_of(Milestone, at, ["action_id", "done_date"],
                          action__plan_id=plan.pk).values():
        counts = milestones[row["action_id"]]
        counts[1] += 1
        counts[0] += bool(row["done_date"] and row["done_date"] <= period.end)
    evidence = rows_as_of(Evidence, at, ["action_id", "title", "kind", "uploaded_at"],
                          action__plan_id=plan.pk)
    evidence_counts: dict[int, int] = defaultdict(int)
    for row in evidence.values():
        evidence_counts[row["action_id"]] += 1
    agreed = {(action_id, due): str(meeting) for action_id, due, meeting in [
        (a.action_id, a.due_date, a.meeting) for a in AgreedDueDate.objects.filter(
            action__plan=plan, recorded_at__lte=at).select_related("meeting")]}
    measures = _linked_measures(plan)

    lines = []
    for pk, row in rows.items():
        workstream = workstreams[row["workstream_id"]]
        own = updates.get(pk, [])
        now = _latest(own, on=period.end, made_by=at)
        before = _latest(own, on=previous.end, made_by=previous_at) if previous else None
        # Before any progress update the colour is the one the plan was published with.
        published = row["rag"] if not own else ""
        this_period = [update for update in own if update[4] == period.pk]
        moved = bool(row["original_due_date"] and row["current_due_date"]
                     and row["original_due_date"] != row["current_due_date"])
        rag = now[3] if now else published
        done, total = milestones.get(pk, (0, 0))
        lines.append(ActionLine(
            pk=pk, ref=row["ref"], ref_number=row["ref_number"],
            workstream_id=row["workstream_id"], workstream=workstream.code,
            title=row["title"], owner=organisations.get(row["owner_id"], ""),
            contributors="; ".join(sorted(organisations.get(o, "")
                                          for o in contributors.get(pk, []))),
            start=row["start_date"], original_due=row["original_due_date"],
            current_due=row["current_due_date"], moved=moved,
            agreed_at=agreed.get((pk, row["current_due_date"]), "") if moved else "",
            rag=rag, previous_rag=before[3] if before else (published if previous else ""),
            update_this_period=this_period[-1][5] if this_period else "",
            latest_narrative=now[5] if now else "",
            milestones_done=done, milestones_total=total,
            evidence_count=evidence_counts.get(pk, 0),
            measures="; ".join(measures.get(pk, [])),
            overdue=is_overdue(rag, row["current_due_date"], period.end)))
    order = {pk: (w.order if w.order is not None else 999, w.code)
             for pk, w in workstreams.items()}
    lines.sort(key=lambda line: (order[line.workstream_id], line.ref_number))
    content.actions = lines
    refs = {line.pk: line.ref for line in lines}
    content.evidence = sorted(
        (EvidenceLine(title=row["title"], kind=Evidence.Kind(row["kind"]).label,
                      ref=refs.get(row["action_id"], ""),
                      added=timezone.localtime(row["uploaded_at"]).date())
         for row in evidence.values() if row["action_id"] in refs),
        key=lambda line: (line.added, line.ref, line.title))


def _counts(lines: list[ActionLine], workstreams: dict[int, Workstream]) -> list[WorkstreamCounts]:
    by_workstream: dict[int, list[ActionLine]] = defaultdict(list)
    for line in lines:
        by_workstream[line.workstream_id].append(line)
    result = []
    for pk, workstream in sorted(workstreams.items(), key=lambda item: (
            item[1].order if item[1].order is not None else 999, item[1].code)):
        own = by_workstream.get(pk, [])
        if not own:
            continue
        now: dict[str, int] = defaultdict(int)
        before: dict[str, int] = defaultdict(int)
        for line in own:
            now[line.rag] += 1
            before[line.previous_rag] += 1
        result.append(WorkstreamCounts(code=workstream.code, name=workstream.name, now=now,
                                       before=before, total=len(own)))
    return result


def _measures(content: PackContent, workstream_of_outcome: dict[int, str]) -> None:
    plan, period, at = content.plan, content.period, content.at
    content.review_points = list(periods_for_plan(plan).filter(start__lte=period.start))
    point_ids = {p.pk: index for index, p in enumerate(content.review_points)}
    measures = rows_as_of(Measure, at, [
        "title", "outcome_id", "order", "data_source", "kind", "unit", "direction", "baseline",
        "baseline_period", "baseline_note", "target", "target_date"], plan_id=plan.pk)
    readings = rows_as_of(MeasureReading, at, ["measure_id", "period_id", "area_id", "value",
                                               "achieved_on"], measure__plan_id=plan.pk)
    actuals: dict[int, list] = defaultdict(lambda: [None] * len(point_ids))
    latest: dict[int, dict] = {}
    for row in sorted(readings.values(), key=lambda r: point_ids.get(r["period_id"], -1)):
        if row["area_id"] is not None or row["period_id"] not in point_ids:
            continue
        actuals[row["measure_id"]][point_ids[row["period_id"]]] = row["value"]
        latest[row["measure_id"]] = row
    targets: dict[int, list] = defaultdict(lambda: [None] * len(point_ids))
    for row in rows_as_of(MilestoneTarget, at, ["measure_id", "period_id", "value"],
                          measure__plan_id=plan.pk).values():
        if row["period_id"] in point_ids:
            targets[row["measure_id"]][point_ids[row["period_id"]]] = row["value"]
    outcome_order = dict(Outcome.objects.filter(plan=plan).values_list("pk", "order"))
    # The links as they stood at `at`; England's figure of a period ended by the period's end.
    comparators = comparator_figures_for_plan(plan, as_of=at)
    comparator_by = period.end + dt.timedelta(days=1)
    lines = []
    for pk, row in sorted(measures.items(), key=lambda item: (
            workstream_of_outcome.get(item[1]["outcome_id"], ""),
            outcome_order.get(item[1]["outcome_id"], 0), item[1]["order"], item[0])):
        reading = latest.get(pk)
        status = measure_status(
            kind=row["kind"], direction=row["direction"], baseline=row["baseline"],
            target=row["target"], target_date=row["target_date"],
            latest=reading["value"] if reading else None,
            achieved_on=reading["achieved_on"] if reading else None, today=period.end)
        lines.append(MeasureLine(
            title=row["title"], workstream=workstream_of_outcome.get(row["outcome_id"], ""),
            data_source=row["data_source"], baseline=row["baseline"],
            baseline_period=row["baseline_period"], baseline_note=row["baseline_note"],
            unit=row["unit"], target=row["target"], target_date=row["target_date"],
            actuals=actuals[pk], milestone_targets=targets[pk], status=str(status),
            national_comparator=england_cited(comparators.get(pk), by=comparator_by)))
    content.measures = lines


def _feedback(content: PackContent) -> None:
    rags = {line.pk: line for line in content.actions}
    lines = []
    for point in (FeedbackPoint.objects.filter(plan=content.plan)
                  .prefetch_related("actions").order_by("letter_date", "number")):
        named = sorted((rags[a.pk] for a in point.actions.all() if a.pk in rags),
                       key=lambda line: (line.workstream, line.ref_number))
        lines.append(FeedbackLine(
            text=point.text, letter_date=point.letter_date,
            refs=", ".join(line.ref for line in named) or point.action_refs_as_written,
            response=point.response,
            rags="; ".join(f"{line.ref} {Rag(line.rag).label if line.rag else 'Not reported'}"
                           for line in named)))
    content.feedback = lines


def _names(organisations: Iterable[Organisation]) -> str:
    return "; ".join(organisation.name for organisation in organisations)


def _cover(content: PackContent, organisations: list[Organisation]) -> None:
    plan = content.plan
    not_recorded = "Not recorded in the service"
    by_kind: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        by_kind[organisation.kind].append(organisation)
    advisers = User.objects.filter(memberships__plan=plan,
                                   memberships__role=Membership.Role.ADVISER).distinct()
    inspection = ""
    if plan.inspection_start:
        inspection = plan.inspection_start if plan.inspection_end in (
            None, plan.inspection_start) else (
            f"{plan.inspection_start:%d/%m/%Y} to {plan.inspection_end:%d/%m/%Y}")
    content.cover = [
        ("Name of the local area", plan.local_area.name),
        ("Date of inspection", inspection or "Not published in the source documents"),
        ("Date of publication of the inspection (or revisit) report",
         plan.report_published or "Not published in the source documents"),
        ("Accountable body for the council",
         _names(by_kind[Organisation.Kind.COUNCIL]) or not_recorded),
        ("Accountable bodies for the NHS", _names(by_kind[Organisation.Kind.CCG]) or not_recorded),
        ("SEND and NHS England advisers",
         "; ".join(person_label(user) for user in advisers) or not_recorded),
        ("Governance and accountability",
         _names(by_kind[Organisation.Kind.BOARD]) or not_recorded),
    ]


def pack_content(plan: Plan, period: ReportingPeriod, *,
                 now: dt.datetime | None = None) -> PackContent:
    """The pack of `period`: as at its close, or as at `now` while it is open."""
    at = period.closed_at or now or timezone.now()
    content = PackContent(plan=plan, period=period, previous=previous_period(period), at=at,
                          is_final=period.is_closed)
    workstreams = {w.pk: w for w in Workstream.objects.filter(plan=plan)}
    organisations = list(Organisation.objects.filter(plan=plan).order_by("name"))
    names = {organisation.pk: organisation.name for organisation in organisations}
    _actions(content, workstreams, names)
    content.workstreams = _counts(content.actions, workstreams)
    workstream_of_outcome = dict(Outcome.objects.filter(plan=plan).values_list(
        "pk", "workstream__code"))
    _measures(content, workstream_of_outcome)
    _feedback(content)
    _cover(content, organisations)
    return content
