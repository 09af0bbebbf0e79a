"""Reads of actions, each a fixed number of queries whatever the action's size."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from measures.models import Measure, Outcome
from plans.models import Plan, ReportingPeriod
from plans.selectors import current_period
from workstreams.models import FeedbackPoint

from .models import Action, Evidence, Milestone, ProgressUpdate


def action_for_plan_or_404(plan: Plan, ref: str) -> Action:
    action = (Action.objects.for_plan(plan).select_related("plan", "workstream", "owner")
              .filter(ref=ref).first())
    if action is None:
        raise Http404("No such action in this plan.")
    return action


@dataclass(frozen=True)
class ActionHeading:
    """Just enough of an action for its page's title and breadcrumbs and to know who may
    edit it: the page itself is usually read from the cache."""

    pk: int
    ref: str
    title: str
    workstream_id: int
    workstream_code: str
    workstream_name: str


def action_heading_or_404(plan: Plan, ref: str) -> ActionHeading:
    row = (Action.objects.for_plan(plan).filter(ref=ref)
           .values_list("pk", "ref", "title", "workstream_id", "workstream__code",
                        "workstream__name").first())
    if row is None:
        raise Http404("No such action in this plan.")
    return ActionHeading(*row)


def action_detail_or_404(plan: Plan, *, pk: int) -> Action:
    """One action with everything its page shows: milestones flagged when overdue, progress
    updates newest first, evidence, linked outcomes with their measures and the inspectors'
    feedback naming it."""
    action = (
        Action.objects.for_plan(plan).filter(pk=pk).with_overdue_flag()
        .select_related("plan", "workstream", "owner", "delivery_team", "lead_agency",
                        "published_summary")
        .prefetch_related(
            "contributors",
            Prefetch("milestones", queryset=Milestone.objects.with_overdue_flag().order_by(
                "due_date", "id")),
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related(
                "author", "period").order_by("-date", "-created_at")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")
                     .order_by("-uploaded_at")),
            Prefetch("outcomes", queryset=Outcome.objects.prefetch_related(
                Prefetch("measures", queryset=Measure.objects.order_by("order", "pk")))
                .order_by("order", "pk")),
            Prefetch("feedback_points", queryset=FeedbackPoint.objects.order_by(
                "letter_date", "number")),
        )
        .first()
    )
    if action is None:
        raise Http404("No such action in this plan.")
    return action


def milestone_for_action_or_404(action: Action, milestone_id: int) -> Milestone:
    milestone = Milestone.objects.filter(action=action, pk=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone on this action.")
    return milestone


def evidence_file_or_404(plan: Plan, ref: str, evidence_id: int) -> Evidence:
    evidence = (Evidence.objects.select_related("action")
                .filter(action__plan=plan, action__ref=ref, pk=evidence_id)
                .exclude(file="").first())
    if evidence is None:
        raise Http404("No such evidence file.")
    return evidence


# "Due soon" on a lead's worklist: what falls due within this many days of today.
DUE_SOON_DAYS = 30


@dataclass
class Worklist:
    """What a lead has to do in a plan, each list in plan order: actions still needing
    this period's update (by the period's end), actions due soon, overdue actions, and
    milestones due soon or overdue."""

    today: dt.date
    period: ReportingPeriod | None
    needs_update: list[dict]
    due_soon: list[dict]
    overdue: list[dict]
    milestones_due: list[dict]

    @property
    def due_soon_until(self) -> dt.date:
        return self.today + dt.timedelta(days=DUE_SOON_DAYS)

    @property
    def is_empty(self) -> bool:
        return not (self.needs_update or self.due_soon or self.overdue or self.milestones_due)


WORKLIST_ACTION_FIELDS = ("pk", "ref", "title", "current_due_date", "rag", "workstream__code")


def _worklist_rows(actions: QuerySet) -> list[dict]:
    return list(actions.natural_order().values(*WORKLIST_ACTION_FIELDS))


def worklist(plan: Plan, today: dt.date, workstream_ids: Iterable[int]) -> Worklist:
    """The worklist for the actions of the workstreams `workstream_ids`, by the same rules
    as the dashboard's "needs attention" (overdue, no update this period)."""
    actions = Action.objects.for_plan(plan).filter(workstream_id__in=workstream_ids)
    milestones = Milestone.objects.filter(action__plan=plan,
                                          action__workstream_id__in=workstream_ids)
    period = current_period(plan, today)
    until = today + dt.timedelta(days=DUE_SOON_DAYS)
    return Worklist(
        today=today, period=period,
        needs_update=_worklist_rows(actions.without_update_in(period)) if period else [],
        due_soon=_worklist_rows(actions.due_between(today, until)),
        overdue=_worklist_rows(actions.overdue(on=today)),
        milestones_due=list(
            milestones.due_by(until).with_overdue_flag(on=today)
            .order_by("due_date", "action__workstream__order", "action__ref_number", "pk")
            # "ref" is the action's, as in the other groups, so each row links the same way.
            .values("pk", "title", "due_date", "overdue", ref=F("action__ref"),
                    action_title=F("action__title"))),
    )
