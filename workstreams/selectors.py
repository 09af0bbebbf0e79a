"""Reads of the plan's structure."""

from django.db.models import Prefetch
from django.http import Http404

from plans.models import Plan

from .models import Weakness, Workstream


def workstream_for_plan_or_404(plan: Plan, *, pk: int) -> Workstream:
    workstream = Workstream.objects.select_related("weakness").filter(plan=plan, pk=pk).first()
    if workstream is None:
        raise Http404("No such workstream.")
    return workstream


def workstream_heading_or_404(plan: Plan, code: str) -> dict:
    """Just enough of a workstream (pk, code, name) for its page's title: the page itself
    is usually read from the cache."""
    workstream = Workstream.objects.filter(plan=plan, code=code).values(
        "pk", "code", "name").first()
    if workstream is None:
        raise Http404("No such workstream.")
    return workstream


def weaknesses_with_points(plan: Plan):
    return Weakness.objects.filter(plan=plan).prefetch_related("points")


def plan_tree(plan: Plan) -> list[dict]:
    """Weakness -> workstreams -> outcomes -> actions and measures, with the inspectors'
    feedback against the actions it names; a fixed number of queries for any plan size."""
    from actions.models import Action
    from measures.models import Measure, Outcome

    from .models import FeedbackPoint

    feedback_by_action: dict[int, list] = {}
    for point in FeedbackPoint.objects.filter(plan=plan).prefetch_related("actions"):
        for action in point.actions.all():
            feedback_by_action.setdefault(action.pk, []).append(point)

    actions = list(Action.objects.filter(plan=plan).natural_order().only(
        "pk", "ref", "title", "rag", "workstream_id", "ref_number"))
    for action in actions:
        action.feedback = feedback_by_action.get(action.pk, [])
    actions_by_pk = {action.pk: action for action in actions}

    outcomes = list(Outcome.objects.filter(plan=plan).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order")),
        Prefetch("actions", queryset=Action.objects.only("pk"))))
    outcomes_by_workstream: dict[int, list] = {}
    linked: set[int] = set()
    for outcome in outcomes:
        outcome.linked_actions = sorted(
            (actions_by_pk[a.pk] for a in outcome.actions.all()),
            key=lambda action: action.ref_number)
        linked.update(action.pk for action in outcome.linked_actions)
        outcomes_by_workstream.setdefault(outcome.workstream_id, []).append(outcome)

    workstreams = list(Workstream.objects.filter(plan=plan).order_by("order", "code"))
    for workstream in workstreams:
        workstream.tree_outcomes = outcomes_by_workstream.get(workstream.pk, [])
        workstream.other_actions = [a for a in actions
                                    if a.workstream_id == workstream.pk and a.pk not in linked]

    sections = [{"weakness": weakness,
                 "workstreams": [ws for ws in workstreams if ws.weakness_id == weakness.pk]}
                for weakness in weaknesses_with_points(plan)]
    unanswered = [ws for ws in workstreams if ws.weakness_id is None]
    if unanswered:
        sections.append({"weakness": None, "workstreams": unanswered})
    return sections
