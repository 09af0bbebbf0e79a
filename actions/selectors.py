"""Reads of actions, each a fixed number of queries whatever the action's size."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from measures.models import Measure, Outcome
from plans.models import Plan
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
        .select_related("plan", "workstream", "owner", "delivery_team", "lead_agency")
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
